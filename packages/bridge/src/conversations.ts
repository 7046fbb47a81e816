/**
 * `@baton/bridge/conversations`: the whole conversation on a sandbox (the exported flow run against a
 * bridge, the sandbox's bot and agents) and the conversation-scenario runner, for `baton test`, `baton
 * serve` and the VS Code extension. A subpath of its own so that a production bridge importing
 * `@baton/bridge` never loads the flow runtime and the data-action tooling.
 */
export { startSandboxLoop, SANDBOX_FLOW_FILE, type SandboxLoop, type SandboxLoopOptions } from './conversation-loop.js';
export {
  conversationJUnitXml,
  formatConversationFailure,
  formatConversationSkips,
  CANCELLED_REASON,
  runConversationScenario,
  skippedScenario,
  type ConversationRunnerDeps,
  type ConversationScenarioResult,
  type ConversationStepFailure,
  type ConversationStepSkip,
} from './scenarios/conversation-runner.js';
export type { ConversationTarget, DataActionPath, HandoffObservation, HandoffRules } from './scenarios/conversation-target.js';
export { sandboxTarget, type FlowRuns } from './scenarios/sandbox-target.js';
export { decisionRuleOf, handoffRulesOf } from './scenarios/handoff-rules.js';
export { realOrgTarget, RealOrgTargetError, type RealOrgTargetOptions } from './scenarios/real-org-target.js';
export { pollBackoff, type PollBackoff } from './scenarios/poll-backoff.js';
