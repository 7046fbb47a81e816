/**
 * @baton/flow: runs an inbound message flow written in a documented subset of Archy's YAML format
 * (README) against the sandbox, calling Baton's data actions the way Genesys calls them.
 */
export { FlowLoadError, FlowRuntimeError } from './flow-error.js';
export { parseExpression, supportedFunctions, type Expression, type ExpressionScope, type FlowValue, type QueueValue } from './expression.js';
export { loadFlow, supportedActions, type FlowAction, type FlowState, type InboundMessageFlow } from './load-flow.js';
export type { BotExit, BotSession, BotTurn, FlowHost } from './flow-host.js';
export { createDataActionCaller, type DataActionCaller, type DataActionCallerOptions } from './data-action-caller.js';
export {
  runFlow,
  type FlowConversation,
  type FlowOutcome,
  type FlowRunResult,
  type FlowTraceEntry,
  type RunFlowOptions,
} from './run-flow.js';
export {
  createSandboxFlowHost,
  exitAtOnceBots,
  FLOW_CLIENT_ID,
  orgPortsOf,
  type BotProvider,
  type FlowOrgPorts,
  type SandboxFlowHostOptions,
} from './sandbox-host.js';
export { startConversationLoop, type ConversationLoop, type ConversationLoopOptions } from './conversation-loop.js';
