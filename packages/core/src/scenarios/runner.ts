import type { HandoffInput, HandoffOutput } from '../contracts/handoff.js';
import type { HandoffTrace, UpstreamCall } from '../contracts/trace.js';
import { genesysIdSchema } from '../contracts/common.js';
import { describeError } from '../errors.js';
import type { Scenario } from './schema.js';

/** What the runner needs of the handoff service (`createHandoffService(...)` satisfies it). */
export interface ScenarioHandoffService {
  handoff(
    input: HandoffInput,
    ctx: { deadline?: number; onCall?: (call: UpstreamCall) => void },
  ): Promise<{ output: HandoffOutput; trace: HandoffTrace }>;
}

export interface ScenarioQueue {
  id: string;
  name: string;
}

export interface RunScenarioOptions {
  service: ScenarioHandoffService;
  /** Seeds an inline fixture and returns its conversation id (the sandbox's `org.addConversation`). */
  seedConversation?: (fixture: Record<string, unknown>) => Promise<string>;
  /** The org's queues, to resolve queue names in `input.queue` and `expect.queue`. */
  queues?: readonly ScenarioQueue[];
  /** JSON pointer of this scenario inside its file, e.g. `/scenarios/0`; expectation paths extend it. */
  pointer?: string;
  /** Budget for one handoff (default 30 s). */
  timeoutMs?: number;
  now?: () => number;
}

export interface ExpectationResult {
  /** JSON pointer into the scenario file, at the expectation (or input) that failed. */
  path: string;
  expected: unknown;
  actual: unknown;
  passed: boolean;
  message: string;
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  expectations: ExpectationResult[];
  /** Absent when the handoff did not run (bad input, no sandbox for a fixture) or threw. */
  trace?: HandoffTrace;
  output?: HandoffOutput;
  conversationId?: string;
  /** Upstream calls counted through `onCall`. */
  apiCalls: number;
  durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Runs one scenario: seed (or take) the conversation, hand it off, check every expectation. */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const base = options.pointer ?? '';
  const calls: UpstreamCall[] = [];
  const result = (fields: Partial<ScenarioResult> & { expectations: ExpectationResult[] }): ScenarioResult => ({
    name: scenario.name,
    passed: fields.expectations.every((e) => e.passed),
    apiCalls: calls.length,
    durationMs: now() - started,
    ...fields,
  });
  const failure = (path: string, expected: unknown, actual: unknown, message: string): ScenarioResult =>
    result({ expectations: [{ path: base + path, expected, actual, passed: false, message }] });

  let queueId: string | undefined;
  if (scenario.input.queue !== undefined) {
    queueId = resolveQueueId(scenario.input.queue, options.queues);
    if (queueId === undefined) {
      const known = (options.queues ?? []).map((q) => q.name).join(', ') || '(none listed)';
      return failure('/input/queue', scenario.input.queue, undefined, `No queue named "${scenario.input.queue}" on this org; queues: ${known}`);
    }
  }

  let conversationId: string;
  if ('id' in scenario.conversation) {
    conversationId = scenario.conversation.id;
  } else if (options.seedConversation) {
    try {
      conversationId = await options.seedConversation(scenario.conversation.fixture);
    } catch (error) {
      return failure('/conversation/fixture', 'a valid sandbox fixture', undefined, `The fixture was not accepted: ${messageOf(error)}`);
    }
  } else {
    return failure(
      '/conversation',
      'a conversation id',
      'an inline fixture',
      'An inline fixture needs the sandbox org; against a real org give the conversation by "id".',
    );
  }

  const { queue: _queue, ...rest } = scenario.input;
  const input: HandoffInput = { ...rest, conversationId, ...(queueId === undefined ? {} : { queueId }) };
  let output: HandoffOutput;
  let trace: HandoffTrace;
  try {
    ({ output, trace } = await options.service.handoff(input, {
      deadline: now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      onCall: (call) => calls.push(call),
    }));
  } catch (error) {
    const r = failure('', 'the handoff completes', describeError(error), `The handoff failed: ${describeError(error)}`);
    return { ...r, conversationId };
  }

  const expectations = checkExpectations(scenario, output, calls.length, base, options.queues);
  return result({ expectations, trace, output, conversationId });
}

function checkExpectations(
  scenario: Scenario,
  output: HandoffOutput,
  apiCalls: number,
  base: string,
  queues: readonly ScenarioQueue[] | undefined,
): ExpectationResult[] {
  const e = scenario.expect;
  const out: ExpectationResult[] = [];
  const check = (path: string, expected: unknown, actual: unknown, passed: boolean, what: string): void => {
    out.push({
      path: base + '/expect' + path,
      expected,
      actual,
      passed,
      message: passed ? `${what}: ${show(actual)}` : `${what}: expected ${show(expected)}, got ${show(actual)}`,
    });
  };

  if (e.decision !== undefined) {
    const decision = output.status === 'bot_keeps' ? 'bot_keeps' : 'handoff';
    check('/decision', e.decision, decision, decision === e.decision, 'decision');
  }
  if (e.status !== undefined) check('/status', e.status, output.status, output.status === e.status, 'status');
  if (e.queue !== undefined) {
    const wantedId = resolveQueueId(e.queue, queues) ?? e.queue;
    const passed = output.queueId !== '' && (output.queueId === wantedId || output.queueName === e.queue);
    const actual = output.queueId === '' ? '(no queue)' : `${output.queueName} (${output.queueId})`;
    check('/queue', e.queue, actual, passed, 'queue');
  }
  if (e.priority !== undefined) check('/priority', e.priority, output.priority, output.priority === e.priority, 'priority');
  if (e.intent !== undefined) check('/intent', e.intent, output.intent, output.intent === e.intent, 'intent');
  if (e.decisionRule !== undefined) {
    check('/decisionRule', e.decisionRule, output.decisionRule, output.decisionRule === e.decisionRule, 'decision rule');
  }
  if (e.intentSource !== undefined) {
    check('/intentSource', e.intentSource, output.intentSource, output.intentSource === e.intentSource, 'intent source');
  }
  if (e.transferred !== undefined) {
    check('/transferred', e.transferred, output.transferred, output.transferred === e.transferred, 'transferred');
  }
  if (e.transcript !== undefined) {
    (e.transcript.contains ?? []).forEach((text, i) => {
      const found = output.transcript.includes(text);
      out.push({
        path: `${base}/expect/transcript/contains/${i}`,
        expected: text,
        actual: found ? text : excerpt(output.transcript),
        passed: found,
        message: found ? `transcript contains ${show(text)}` : `transcript does not contain ${show(text)}`,
      });
    });
    (e.transcript.notContains ?? []).forEach((text, i) => {
      const found = output.transcript.includes(text);
      out.push({
        path: `${base}/expect/transcript/notContains/${i}`,
        expected: `not ${text}`,
        actual: found ? text : '(absent)',
        passed: !found,
        message: found ? `transcript contains ${show(text)}, which it must not` : `transcript does not contain ${show(text)}`,
      });
    });
    if (e.transcript.messageCount !== undefined) {
      const c = e.transcript.messageCount;
      check('/transcript/messageCount', c, output.messageCount, countMatches(c, output.messageCount), 'transcript message count');
    }
  }
  if (e.apiCalls !== undefined) check('/apiCalls', e.apiCalls, apiCalls, countMatches(e.apiCalls, apiCalls), 'API calls');
  return out;
}

function countMatches(expected: number | { min?: number; max?: number }, actual: number): boolean {
  if (typeof expected === 'number') return actual === expected;
  return (expected.min === undefined || actual >= expected.min) && (expected.max === undefined || actual <= expected.max);
}

function resolveQueueId(nameOrId: string, queues: readonly ScenarioQueue[] | undefined): string | undefined {
  const byName = queues?.find((q) => q.name === nameOrId);
  if (byName) return byName.id;
  return genesysIdSchema.safeParse(nameOrId).success ? nameOrId : undefined;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
