import type {
  AssessIntentInput,
  AssessIntentOutput,
  HandToQueueInput,
  HandToQueueOutput,
  HandoffInput,
  HandoffOutput,
  HandoffTrace,
  TranscriptInput,
  TranscriptOutput,
  UpstreamCall,
} from '@baton/core';

/** What the bridge passes with each step (core's StepContext). */
export interface BridgeStepContext {
  /** Absolute deadline, epoch ms. */
  deadline?: number;
  signal?: AbortSignal;
  onCall?: (call: UpstreamCall) => void;
}

/**
 * The part of core's handoff service the bridge calls. Declared here structurally so the HTTP
 * layer can be tested with a stand-in (e.g. a step that never finishes, for the deadline) and does
 * not care how core builds the service.
 */
export interface HandoffSteps {
  assessIntent(input: AssessIntentInput, ctx: BridgeStepContext): Promise<AssessIntentOutput>;
  buildTranscript(input: TranscriptInput, ctx: BridgeStepContext): Promise<TranscriptOutput>;
  handToQueue(input: HandToQueueInput, ctx: BridgeStepContext): Promise<HandToQueueOutput>;
  handoff(input: HandoffInput, ctx: BridgeStepContext): Promise<{ output: HandoffOutput; trace: HandoffTrace }>;
}
