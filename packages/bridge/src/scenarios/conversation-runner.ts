import {
  createGuestClient,
  systemClock,
  type Clock,
  type ConversationScenario,
  type ConversationStep,
  type GuestClientEvent,
} from '@baton/core';
import type { ConversationTarget, HandoffObservation } from './conversation-target.js';
import { pollBackoff } from './poll-backoff.js';

/** One step that did not hold: where it is written, what it expected, what happened instead. */
export interface ConversationStepFailure {
  readonly index: number;
  readonly line: number;
  readonly step: ConversationStep;
  readonly expected: string;
  readonly actual: string;
}

/** A step (or part of one) the target cannot check: not passed, and said why. */
export interface ConversationStepSkip {
  readonly index: number;
  readonly line: number;
  readonly step: ConversationStep;
  readonly reason: string;
}

export interface ConversationScenarioResult {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly passed: boolean;
  readonly steps: number;
  readonly failure?: ConversationStepFailure;
  /** Steps (or parts of steps) that were not checked, in order. */
  readonly skipped: readonly ConversationStepSkip[];
  /** The conversation as the customer saw it (`customer:`, `bot:`, `agent:` lines). */
  readonly transcript: readonly string[];
  readonly durationMs: number;
  /** The run was cancelled (`deps.signal`) during this scenario: the steps not run are skipped as `cancelled`, none failed. */
  readonly cancelled?: true;
}

export interface ConversationRunnerDeps {
  /** Where the guest connects and how the conversation and its handoff are observed. */
  readonly target: ConversationTarget;
  /** Milliseconds since some origin (the one clock of the caller). */
  readonly now: () => number;
  /** The waits between looks (default the system clock); tests pass a manual one with `now` from it. */
  readonly clock?: Pick<Clock, 'sleep'>;
  /** The guest's WebSocket constructor (default the global one, which Node 20, VS Code's extension host, lacks). */
  readonly WebSocket?: typeof WebSocket;
  /**
   * Cancels the scenario (the Test Explorer's Cancel): the guest's connection closes at once, no
   * more Platform API looks are made, and the steps not yet done are skipped as `cancelled`.
   */
  readonly signal?: AbortSignal;
}

/** What a step cancelled by `deps.signal` is reported as (skipped, not failed). */
export const CANCELLED_REASON = 'cancelled';

const DEFAULT_TIMEOUT_MS = 10_000;
/** How often what the guest received is looked at (in memory: cheap). */
const POLL_MS = 10;

/** Why steps that watch the agent are not run where no agent is simulated or observed. */
export const NO_AGENT_REASON =
  'needs an agent: on a real org a human answers (set BATON_TEST_AGENT=human when one does)';
/** Why steps that act as the agent are not run where no agent is simulated. */
export const NO_AGENT_ACTION_REASON =
  'needs a simulated agent: on a real org only the human agent can speak or end the conversation';

/** A step's expectation did not hold (not a bug in the runner). */
class StepFailed extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`expected ${expected}, got ${actual}`);
  }
}

/** The run was cancelled: not the scenario's failure. */
class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** A scenario not run at all: every step skipped with `reason` (never passed). */
export function skippedScenario(scenario: ConversationScenario, reason: string): ConversationScenarioResult {
  return {
    file: scenario.file,
    name: scenario.name,
    line: scenario.line,
    passed: true,
    steps: scenario.steps.length,
    skipped: scenario.steps.map(({ step, line }, index) => ({ index, line, step, reason })),
    transcript: [],
    durationMs: 0,
  };
}

/**
 * Drives one scenario as a customer on the target's Guest API (core's guest client over a real
 * WebSocket). On the sandbox its agents stand in for the agent side; on a real org agent steps are
 * skipped (with their reason) unless a human answers. Waits poll what has arrived, so nothing
 * sleeps longer than it must: a suite runs as fast as the loop answers.
 */
export async function runConversationScenario(
  scenario: ConversationScenario,
  deps: ConversationRunnerDeps,
): Promise<ConversationScenarioResult> {
  const { target, signal } = deps;
  const started = deps.now();
  if (scenario.sandbox && !target.simulated) {
    // Baton down, a late Platform API, a hidden disconnect: outcomes one sets up on the sandbox only.
    return skippedScenario(
      scenario,
      `sets up the sandbox (sandbox: ${JSON.stringify(scenario.sandbox)}): ${target.description} cannot be set up so`,
    );
  }
  if (signal?.aborted) return { ...skippedScenario(scenario, CANCELLED_REASON), cancelled: true };
  const client = createGuestClient({
    origin: target.webMessaging.origin,
    deploymentId: target.webMessaging.deploymentId,
    heartbeatMs: 0,
    ...(target.webMessaging.reorderWindowMs !== undefined && {
      reorderWindowMs: target.webMessaging.reorderWindowMs,
    }),
    ...(deps.WebSocket && { WebSocket: deps.WebSocket }),
  });
  const events: GuestClientEvent[] = [];
  client.on((e) => void events.push(e));
  // Cancel closes the guest's connection at once (the conversation is left as a customer leaves
  // it) and ends whatever the step awaits, rather than waiting out the step's timeout.
  let cancel: (error: Cancelled) => void = () => undefined;
  const cancelledPromise = new Promise<never>((_, reject) => (cancel = reject));
  cancelledPromise.catch(() => undefined);
  const onAbort = () => {
    cancel(new Cancelled());
    void client.close().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const untilCancelled = <T>(work: Promise<T>): Promise<T> =>
    signal ? Promise.race([work, cancelledPromise]) : work;
  const transcript = () =>
    events.flatMap((e) =>
      e.kind === 'text'
        ? [`${e.from === 'guest' ? 'customer' : e.from}: ${e.text}`]
        : e.kind === 'presence' && e.presence === 'Disconnect'
          ? ['(disconnected)']
          : [],
    );
  const from = (who: string) =>
    events.filter(
      (e): e is Extract<GuestClientEvent, { kind: 'text' }> => e.kind === 'text' && e.from === who,
    );
  // Replies already matched by an earlier step: `expectBot` looks at what arrived after them.
  const seen: Record<string, number> = { bot: 0, agent: 0 };
  const sentMessageIds: string[] = [];
  const skipped: ConversationStepSkip[] = [];
  let conversationId: string | undefined;
  const idOf = async () =>
    (conversationId ??= await target.conversationIdOf({ token: client.token, sentMessageIds }));

  const waitFor = async <T>(
    timeoutMs: number,
    probe: () => T | undefined | Promise<T | undefined>,
    failure: () => StepFailed,
    pollMs: number | (() => number) = POLL_MS,
  ): Promise<T> => {
    const deadline = deps.now() + timeoutMs;
    for (;;) {
      // Checked before every look: a cancelled wait makes no more Platform API calls.
      if (signal?.aborted) throw new Cancelled();
      const value = await probe();
      if (value !== undefined) return value;
      if (deps.now() >= deadline) throw failure();
      const wait = typeof pollMs === 'number' ? pollMs : pollMs();
      // Rejects at once on a cancel (the signal's reason): the catch below reports it as cancelled.
      await (deps.clock ?? systemClock).sleep(Math.max(1, Math.min(wait, deadline - deps.now())), signal);
    }
  };
  /**
   * Looks at the handoff until `check` finds nothing wrong (undefined), the observation settles with
   * a problem, or the time runs out (then the last problem, or `what` never seen, is the failure).
   */
  let endedEpisode: string | undefined;
  const handoffWhere = async (
    timeoutMs: number,
    what: string,
    check: (o: HandoffObservation) => StepFailed | undefined | Promise<StepFailed | undefined>,
  ): Promise<HandoffObservation> => {
    let last: StepFailed | undefined;
    // A conversation waiting in a queue on a real org: look less often while nothing changes.
    const backoff = pollBackoff(target.pollMs, target.pollMaxMs);
    let lastSeen: string | undefined;
    let changed = true;
    return waitFor(
      timeoutMs,
      async () => {
        const id = await idOf();
        const o = id === undefined ? undefined : await target.observeHandoff(id);
        const seen = JSON.stringify(o ?? null);
        changed = seen !== lastSeen;
        lastSeen = seen;
        // The handoff the agent ended: what comes after waits for the next one.
        if (o === undefined || (o.episode !== undefined && o.episode === endedEpisode)) return undefined;
        last = await check(o);
        if (last === undefined) return o;
        if (o.settled) throw last;
        return undefined;
      },
      () =>
        last ??
        new StepFailed(
          what,
          target.agent.kind === 'simulated'
            ? `no agent answered within ${timeoutMs} ms`
            : `no handoff to a queue seen within ${timeoutMs} ms`,
        ),
      () => backoff.next(changed),
    );
  };
  const reply = async (
    who: 'bot' | 'agent',
    test: (text: string) => boolean,
    expected: string,
    timeoutMs: number,
  ) => {
    await waitFor(
      timeoutMs,
      () => {
        const list = from(who);
        const i = list.findIndex((e, n) => n >= seen[who]! && test(e.text));
        if (i < 0) return undefined;
        seen[who] = i + 1;
        return true;
      },
      () =>
        new StepFailed(
          expected,
          `${who} said ${JSON.stringify(
            from(who)
              .slice(seen[who])
              .map((e) => e.text),
          )} within ${timeoutMs} ms`,
        ),
    );
  };

  let failure: ConversationStepFailure | undefined;
  let cancelled = false;
  let index = 0;
  const skip = (reason: string) => {
    const at = scenario.steps[index]!;
    skipped.push({ index, line: at.line, step: at.step, reason });
  };
  try {
    await untilCancelled(client.connect());
    for (; index < scenario.steps.length; index++) {
      const { step } = scenario.steps[index]!;
      await untilCancelled(runStep(step, step.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    }
  } catch (error) {
    const at = scenario.steps[Math.min(index, scenario.steps.length - 1)]!;
    if (signal?.aborted) {
      // Whatever the step was doing when the connection closed under it, it was cancelled, not failed.
      cancelled = true;
      for (let i = index; i < scenario.steps.length; i++) {
        const { step, line } = scenario.steps[i]!;
        skipped.push({ index: i, line, step, reason: CANCELLED_REASON });
      }
    } else {
      failure =
        error instanceof StepFailed
          ? { index, line: at.line, step: at.step, expected: error.expected, actual: error.actual }
          : {
              index,
              line: at.line,
              step: at.step,
              expected: 'the step to run',
              actual: error instanceof Error ? error.message : String(error),
            };
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await client.close().catch(() => undefined);
  }
  return {
    file: scenario.file,
    name: scenario.name,
    line: scenario.line,
    passed: failure === undefined,
    steps: scenario.steps.length,
    ...(failure ? { failure } : {}),
    skipped,
    transcript: transcript(),
    durationMs: Math.round(deps.now() - started),
    ...(cancelled && { cancelled: true as const }),
  };

  async function runStep(step: ConversationStep, timeoutMs: number): Promise<void> {
    const agent = target.agent;
    if ('say' in step) {
      const echoed = await client.sendText(step.say);
      sentMessageIds.push(echoed.id);
      // Pinned at once: the guest's next conversation (after a disconnect) is not this one.
      await idOf();
    } else if ('expectBot' in step) {
      const e = step.expectBot;
      if ('contains' in e)
        await reply(
          'bot',
          (t) => t.includes(e.contains),
          `a bot reply containing ${JSON.stringify(e.contains)}`,
          timeoutMs,
        );
      else {
        const re = new RegExp(e.matches);
        await reply('bot', (t) => re.test(t), `a bot reply matching /${e.matches}/`, timeoutMs);
      }
    } else if ('expectAgent' in step) {
      if (agent.kind === 'none') return skip(NO_AGENT_REASON);
      await reply(
        'agent',
        (t) => t.includes(step.expectAgent.contains),
        `an agent message containing ${JSON.stringify(step.expectAgent.contains)}`,
        timeoutMs,
      );
    } else if ('expectHandoff' in step) {
      const e = step.expectHandoff;
      const wantsRules = e.decisionRule !== undefined || e.routingRule !== undefined;
      const rulesOf = target.rulesOf;
      await handoffWhere(timeoutMs, 'a handoff to a queue', async (o) => {
        const problems: string[] = [];
        const actual: string[] = [`queue ${o.queue.name}`, `priority ${o.priority ?? 'none'}`];
        if (e.queue !== undefined && e.queue !== o.queue.name && e.queue !== o.queue.id)
          problems.push(`queue ${e.queue}`);
        if (e.priority !== undefined && e.priority !== o.priority) problems.push(`priority ${e.priority}`);
        if (wantsRules && rulesOf) {
          const rules = await rulesOf(o.conversationId);
          actual.push(
            `decisionRule ${JSON.stringify(rules.decisionRule ?? null)}`,
            `routingRule ${JSON.stringify(rules.routingRule ?? null)}`,
          );
          if (e.decisionRule !== undefined && !(rules.decisionRule ?? '').includes(e.decisionRule))
            problems.push(`decisionRule containing ${JSON.stringify(e.decisionRule)}`);
          if (e.routingRule !== undefined && !(rules.routingRule ?? '').includes(e.routingRule))
            problems.push(`routingRule containing ${JSON.stringify(e.routingRule)}`);
        }
        return problems.length > 0 ? new StepFailed(problems.join(', '), actual.join(', ')) : undefined;
      });
      if (wantsRules && !rulesOf) {
        skip(
          "decisionRule/routingRule: Baton's rules are in the deployed bridge's handoff trace, not on the org (the queue and priority were checked)",
        );
      }
    } else if ('expectParticipantData' in step) {
      await handoffWhere(timeoutMs, 'participant data (seen by the answering agent)', (o) => {
        for (const [key, contains] of Object.entries(step.expectParticipantData)) {
          // The agent's view keys it as Genesys's analytics do (`conversationDetails.participantData.<key>`).
          const value =
            o.participantData[key] ?? o.participantData[`conversationDetails.participantData.${key}`];
          if (value === undefined || !value.includes(contains)) {
            return new StepFailed(
              `participant data ${JSON.stringify(key)} containing ${JSON.stringify(contains)}`,
              value === undefined ? 'not set' : JSON.stringify(value),
            );
          }
        }
        return undefined;
      });
    } else if ('expectAgentAnswers' in step) {
      if (agent.kind === 'none') return skip(NO_AGENT_REASON);
      const queue = step.expectAgentAnswers === true ? undefined : step.expectAgentAnswers.queue;
      await handoffWhere(timeoutMs, 'an agent to answer', (o) =>
        !o.agentAnswered
          ? new StepFailed('an agent to answer', `waiting in ${o.queue.name}, not answered`)
          : queue !== undefined && queue !== o.queue.name && queue !== o.queue.id
            ? new StepFailed(`an agent of ${queue}`, `an agent of ${o.queue.name}`)
            : undefined,
      );
    } else if ('expectDataActionPath' in step) {
      const pathOf = target.dataActionPathOf?.bind(target);
      if (!pathOf) return skip(`${target.description} does not show its flow runs`);
      const expected = `the flow's Call Data Action to take its ${step.expectDataActionPath} path`;
      let seen: string | undefined;
      await waitFor(
        timeoutMs,
        async () => {
          const id = await idOf();
          seen = id === undefined ? undefined : await pathOf(id);
          return seen === step.expectDataActionPath ? true : undefined;
        },
        () =>
          new StepFailed(expected, seen ? `its ${seen} path` : `no Call Data Action within ${timeoutMs} ms`),
        target.pollMs,
      );
    } else if ('agentSays' in step || 'disconnect' in step) {
      if (agent.kind !== 'simulated') return skip(NO_AGENT_ACTION_REASON);
      const view = await handoffWhere(
        timeoutMs,
        `an agent to answer (to ${'agentSays' in step ? 'speak' : 'disconnect'})`,
        (o) => (o.agentAnswered ? undefined : new StepFailed('an agent to answer', 'not answered')),
      );
      if ('agentSays' in step) agent.reply(view.conversationId, step.agentSays);
      else {
        agent.disconnect(view.conversationId);
        endedEpisode = view.episode;
      }
    } else {
      // A disconnect the scenario itself asked of an agent that was skipped cannot be awaited.
      if (skipped.some((s) => 'disconnect' in s.step)) return skip('follows a skipped agent disconnect');
      await waitFor(
        timeoutMs,
        () => (events.some((e) => e.kind === 'presence' && e.presence === 'Disconnect') ? true : undefined),
        () =>
          new StepFailed(
            'the conversation to be disconnected',
            `no Presence Disconnect within ${timeoutMs} ms`,
          ),
      );
    }
  }
}

/** Plain-text lines for a failed scenario: the step's `file:line`, expected vs actual, then the transcript. */
export function formatConversationFailure(r: ConversationScenarioResult): string[] {
  if (!r.failure) return [];
  const f = r.failure;
  return [
    `    ${r.file}:${f.line}: step ${f.index + 1} ${JSON.stringify(f.step)}`,
    `      expected: ${f.expected}`,
    `      actual:   ${f.actual}`,
    '      transcript:',
    ...r.transcript.map((t) => `        ${t}`),
  ];
}

/** Plain-text lines for the steps a scenario skipped: the step's `file:line` and why. */
export function formatConversationSkips(r: ConversationScenarioResult): string[] {
  return r.skipped.map(
    (k) => `    ${r.file}:${k.line}: step ${k.index + 1} ${Object.keys(k.step)[0]} skipped: ${k.reason}`,
  );
}

/** A JUnit XML report (one testsuite per file, one testcase per scenario) for CI systems. */
export function conversationJUnitXml(
  results: readonly ConversationScenarioResult[],
  parseErrors: readonly { file: string; message: string }[] = [],
): string {
  const esc = (s: string) =>
    s
      .replace(
        /[<>&"']/g,
        (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
      )
      // XML 1.0 has no place for most control characters (a bot reply could hold one).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
  const files = [...new Set([...results.map((r) => r.file), ...parseErrors.map((e) => e.file)])];
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = results.filter((r) => !r.passed).length;
  const skippedCount = (rs: readonly ConversationScenarioResult[]) =>
    rs.filter((r) => r.passed && r.skipped.length > 0).length;
  out.push(
    `<testsuites name="baton test" tests="${results.length + parseErrors.length}" failures="${failures}" errors="${parseErrors.length}" skipped="${skippedCount(results)}">`,
  );
  for (const file of files) {
    const rs = results.filter((r) => r.file === file);
    const es = parseErrors.filter((e) => e.file === file);
    const time = rs.reduce((t, r) => t + r.durationMs, 0) / 1000;
    out.push(
      `  <testsuite name="${esc(file)}" tests="${rs.length + es.length}" failures="${rs.filter((r) => !r.passed).length}" errors="${es.length}" skipped="${skippedCount(rs)}" time="${time.toFixed(3)}">`,
    );
    for (const e of es) {
      out.push(
        `    <testcase classname="${esc(file)}" name="(parse)"><error message="${esc(e.message)}"/></testcase>`,
      );
    }
    for (const r of rs) {
      out.push(
        `    <testcase classname="${esc(file)}" name="${esc(r.name)}" time="${(r.durationMs / 1000).toFixed(3)}">`,
      );
      if (r.failure) {
        out.push(
          `      <failure message="${esc(`${r.file}:${r.failure.line}: expected ${r.failure.expected}, got ${r.failure.actual}`)}">${esc(formatConversationFailure(r).join('\n'))}</failure>`,
        );
      } else if (r.skipped.length > 0) {
        // Not a pass: some of what the scenario asks was not checked (a CI system shows it as skipped).
        out.push(
          `      <skipped message="${esc(
            `${r.skipped.length} step(s) not checked: ${formatConversationSkips(r)
              .map((l) => l.trim())
              .join('; ')}`,
          )}"/>`,
        );
      }
      out.push(`      <system-out>${esc(r.transcript.join('\n'))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
