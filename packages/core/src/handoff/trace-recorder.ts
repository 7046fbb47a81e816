import type { HandoffTrace, StepName, StepTrace, UpstreamCall } from '../contracts/trace.js';
import { BatonError, contextIdOf, describeError } from '../errors.js';
import { redact, redactText } from '../redact.js';

/** One step being recorded: its calls go to the step and to the handoff's ordered list. */
export interface StepRecording {
  readonly onCall: (call: UpstreamCall) => void;
  end(outcome: 'ok' | 'failed', summary: string): void;
}

/** What a step's work gives back: its value, and the summary its trace entry shows. */
export interface StepDone<T> {
  value: T;
  summary: string;
}

/**
 * Builds a HandoffTrace while the handoff runs: every upstream call (route, status, duration,
 * retries) in order, grouped by the step that made it. The bridge returns it, the trace store keeps
 * it and the extension draws it as a timeline.
 */
export interface TraceRecorder {
  readonly handoffId: string;
  /** Number of Platform API requests recorded so far, retries included (what the rate limit counts). */
  requestCount(): number;
  step(step: StepName): StepRecording;
  /**
   * Runs one step's work and records it: started now, its calls as they come, ended `ok` with the
   * summary the work gives, or `failed` with `describeFailure(error)` (default: the error's code and
   * message) before the error goes on.
   */
  run<Done extends StepDone<unknown>>(
    step: StepName,
    work: (recording: StepRecording) => Promise<Done>,
    describeFailure?: (error: unknown) => string,
  ): Promise<Done['value']>;
  /** A step that did not run (e.g. no transcript when the bot keeps the conversation). */
  skip(step: StepName, summary: string): void;
  finish(outcome: {
    status: string;
    error?: { code: string; message: string; contextId?: string | undefined } | undefined;
    transcript?: string | undefined;
  }): HandoffTrace;
}

export function createTraceRecorder(options: {
  handoffId: string;
  conversationId: string;
  now: () => number;
  /** The caller's own sink (StepContext.onCall), fed as calls happen. */
  forward?: ((call: UpstreamCall) => void) | undefined;
}): TraceRecorder {
  const { now } = options;
  const startedAt = now();
  // Steps in the order they started (parallel steps end in any order); filled in when they end.
  const steps: (StepTrace | (() => StepTrace))[] = [];
  const calls: UpstreamCall[] = [];

  // The trace's redaction edge: everything enters a trace through this recorder, so each call
  // record (its error text, and the body snippets a client captures) and the free text added at
  // finish (error message, transcript) is redacted here, once, as it enters. A trace is therefore
  // clean from birth: the trace store, the bridge's answer, the CLI and the extension take it as it
  // is, with no second pass. Per call rather than over the finished trace, because the finished
  // trace holds each call twice (in its step and in `calls`) and redacting it would copy both.
  const record = (into: UpstreamCall[]) => (call: UpstreamCall) => {
    const safe = redact(call) as UpstreamCall;
    into.push(safe);
    calls.push(safe);
    options.forward?.(call);
  };

  const recorder: TraceRecorder = {
    handoffId: options.handoffId,
    requestCount: () => calls.reduce((n, c) => n + 1 + c.retries, 0),
    step(step) {
      const stepCalls: UpstreamCall[] = [];
      const started = now();
      const slot = steps.length;
      const entry = (outcome: StepTrace['outcome'], summary: string): StepTrace => ({
        step,
        startedAt: new Date(started).toISOString(),
        durationMs: Math.max(0, now() - started),
        outcome,
        summary,
        calls: stepCalls,
      });
      // Until it ends, the step reads as unfinished (a trace taken then must not hide it).
      steps.push(() => entry('failed', 'not finished'));
      let ended = false;
      return {
        onCall: record(stepCalls),
        end(outcome, summary) {
          if (ended) return;
          ended = true;
          steps[slot] = entry(outcome, summary);
        },
      };
    },
    async run(step, work, describeFailure = describeError) {
      const recording = recorder.step(step);
      try {
        const done = await work(recording);
        recording.end('ok', done.summary);
        return done.value;
      } catch (error) {
        recording.end('failed', describeFailure(error));
        throw error;
      }
    },
    skip(step, summary) {
      steps.push({
        step,
        startedAt: new Date(now()).toISOString(),
        durationMs: 0,
        outcome: 'skipped',
        summary,
        calls: [],
      });
    },
    finish(outcome) {
      const trace: HandoffTrace = {
        handoffId: options.handoffId,
        conversationId: options.conversationId,
        startedAt: new Date(startedAt).toISOString(),
        durationMs: Math.max(0, now() - startedAt),
        status: outcome.status,
        steps: steps.map((s) => (typeof s === 'function' ? s() : s)),
        calls: [...calls],
      };
      if (outcome.error) {
        trace.error = { code: outcome.error.code, message: redactText(outcome.error.message) };
        if (outcome.error.contextId) trace.error.contextId = outcome.error.contextId;
      }
      if (outcome.transcript !== undefined) trace.transcript = redactText(outcome.transcript);
      return trace;
    },
  };
  return recorder;
}

/** The recording of a step run on its own (a standalone action): no trace, its calls go to the caller's sink. */
export function untracedStep(onCall: ((call: UpstreamCall) => void) | undefined): StepRecording {
  return { onCall: onCall ?? (() => undefined), end: () => undefined };
}

/** What a failed handoff's trace says of its error: code, message, and the Genesys contextId when there is one. */
export function errorFacts(error: unknown): { code: string; message: string; contextId?: string | undefined } {
  if (error instanceof BatonError) return { code: error.code, message: error.message, contextId: contextIdOf(error) };
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}
