import type { HandoffActions, StepContext } from '@baton/core';

/**
 * What the HTTP layer needs of core's handoff service: one typed entry, `run(actionId, input, ctx)`,
 * keyed by the contract table, taking the input the route already parsed (parseActionInput) and
 * the deadline the bridge owns (deadline.ts). Declared as the narrow part the routes use, so they
 * can be tested with a stand-in (e.g. a step that never finishes, for the deadline).
 */
export type HandoffSteps = HandoffActions;

/** What the bridge passes with each step (core's StepContext): its deadline, and where upstream calls go. */
export type BridgeStepContext = StepContext;
