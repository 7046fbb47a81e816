export { createSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export { SandboxError } from './sandbox-error.js';
export { routeNames, routeTable, type RouteName, type RouteSpec } from './route-table.js';
export { faultRuleSchema, type FaultRule, type FaultController } from './faults.js';
export type { RequestCounters, RequestCountersSnapshot } from './counters.js';
export type { AddClientOptions } from './auth/client-registry.js';
export { tokenFingerprint } from './auth/token-store.js';
export { SCENARIO_NAMES, type ScenarioName } from './state/scenarios.js';
export { conversationFixtureSchema, type ConversationFixture } from './state/fixture.js';
export type { SandboxOrg } from './state/org.js';
export { GUEST_API_PATH, type GuestApi, type GuestMessageEvent } from './guest/guest-api.js';
export { guestFaultRuleSchema, type GuestFaultRule, type GuestFaultController } from './guest/guest-faults.js';
export type { Frame as GuestFrame, SessionResponse as GuestSessionResponse, StructuredMessage as GuestStructuredMessage } from './guest/protocol.js';
export type {
  BotSessionRecord,
  ConversationRecord,
  MessageRecord,
  MessageRole,
  ParticipantPurpose,
  ParticipantRecord,
  QueueRecord,
  ReportingTurnRecord,
  SentMessageRecord,
  TransferRecord,
} from './state/records.js';
export { MAX_REQUEST_BYTES } from './http/validation.js';
export { MAX_BULK_MESSAGE_IDS } from './routes/conversations.js';
export { MAX_BOTFLOW_PAGE_SIZE } from './routes/botflow-analytics.js';
export {
  BOT_EXIT_REASONS,
  NOT_SET,
  botDefinitionSchema,
  loadBotDefinition,
  parseBotDefinition,
  type BotDefinition,
  type BotDefinitionInput,
  type BotExitReason,
} from './bot/bot-definition.js';
export { DEFAULT_BOT } from './bot/default-bot.js';
export { contentWords, extractSlots, normalise, scoreIntents, type IntentScore } from './bot/scorer.js';
export type { BotExit, BotSession, BotTurnResult, Bots } from './bot/bots.js';
export type { AgentScript, AgentView, Agents, AgentsConfig, AutoAnswer } from './agents/agents.js';
export { AGENT_VISIBLE_PREFIX, agentDataEntries, agentDataEntry, type AgentDataDisplay, type AgentDataEntry } from './agents/agent-display.js';
export type { RoutingEvent } from './state/org.js';
export type {
  ConsoleAgentScript,
  ConsoleApiCall,
  ConsoleConnector,
  ConsoleHandoffTrace,
  ConsoleReplayStep,
  ConsoleScenario,
  ConsoleSources,
  ConsoleTimeline,
  ConsoleTimelineEvent,
} from './console/console-sources.js';
export { createTimelineStore, type TimelineStore, type TimelineStoreOptions } from './console/timeline-store.js';
