export * from './config.js';
export type { StepContext } from './runtime.js';
export * from './decision.js';
export * from './routing.js';
export * from './slots.js';
export * from './transcript.js';
export * from './participants.js';
export * from './agent-context.js';
export * from './queue-cache.js';
export * from './trace-recorder.js';
export { handoffKey, type HandedOff } from './handed-off.js';
export type { HandoffResult } from './pipeline.js';
export {
  createHandoffService,
  type ActionResult,
  type ActionResults,
  type HandoffActions,
  type HandoffService,
  type HandoffServiceDeps,
} from './service.js';
export { CLAIM_MARGIN_MS, runOnce, type HeldClaim, type RunOutcome, type RunOnceResult } from './run-once.js';
