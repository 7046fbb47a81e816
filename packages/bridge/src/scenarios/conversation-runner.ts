import {
  createGuestClient,
  type ConversationScenario,
  type ConversationStep,
  type GuestClientEvent,
} from '@baton/core';
import type { AgentView, Sandbox } from '@baton/sandbox';

/** One step that did not hold: where it is written, what it expected, what happened instead. */
export interface ConversationStepFailure {
  readonly index: number;
  readonly line: number;
  readonly step: ConversationStep;
  readonly expected: string;
  readonly actual: string;
}

export interface ConversationScenarioResult {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly passed: boolean;
  readonly steps: number;
  readonly failure?: ConversationStepFailure;
  /** The conversation as the customer saw it (`customer:`, `bot:`, `agent:` lines). */
  readonly transcript: readonly string[];
  readonly durationMs: number;
}

export interface ConversationRunnerDeps {
  /** The sandbox whose conversation loop (flow, bot, agents) is running. */
  readonly sandbox: Sandbox;
  /** Baton's decision and routing rules for a conversation (from its handoff trace), for `expectHandoff`. */
  readonly rulesOf?: (conversationId: string) => Promise<{ decisionRule?: string; routingRule?: string }>;
  /** Milliseconds since some origin (the one clock of the caller). */
  readonly now: () => number;
  /** The guest's WebSocket constructor (default the global one, which Node 20, VS Code's extension host, lacks). */
  readonly WebSocket?: typeof WebSocket;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_MS = 10;

/** A step's expectation did not hold (not a bug in the runner). */
class StepFailed extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`expected ${expected}, got ${actual}`);
  }
}

/**
 * Drives one scenario as a customer on the sandbox's Guest API (core's guest client over a real
 * WebSocket), with the sandbox's agents standing in for the agent side. Waits poll what has
 * arrived, so nothing sleeps longer than it must: a suite runs as fast as the loop answers.
 */
export async function runConversationScenario(
  scenario: ConversationScenario,
  deps: ConversationRunnerDeps,
): Promise<ConversationScenarioResult> {
  const sb = deps.sandbox;
  const started = deps.now();
  const client = createGuestClient({
    origin: sb.webMessagingUrl,
    deploymentId: sb.deploymentId,
    heartbeatMs: 0,
    ...(deps.WebSocket ? { WebSocket: deps.WebSocket } : {}),
  });
  const events: GuestClientEvent[] = [];
  client.on((e) => void events.push(e));
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
  let conversationId: string | undefined;
  const idOf = () => (conversationId ??= sb.guest.conversationIdOf(client.token));

  const waitFor = async <T>(
    timeoutMs: number,
    probe: () => T | undefined | Promise<T | undefined>,
    failure: () => StepFailed,
  ): Promise<T> => {
    const deadline = deps.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (deps.now() >= deadline) throw failure();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };
  const answered = (timeoutMs: number, what: string): Promise<AgentView> =>
    waitFor(
      timeoutMs,
      () => {
        const id = idOf();
        return id === undefined ? undefined : sb.agents.viewOf(id);
      },
      () => new StepFailed(what, `no agent answered within ${timeoutMs} ms`),
    );
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
  let index = 0;
  try {
    await client.connect();
    for (; index < scenario.steps.length; index++) {
      const { step } = scenario.steps[index]!;
      await runStep(step, step.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    }
  } catch (error) {
    const at = scenario.steps[Math.min(index, scenario.steps.length - 1)]!;
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
  } finally {
    await client.close().catch(() => undefined);
  }
  return {
    file: scenario.file,
    name: scenario.name,
    line: scenario.line,
    passed: failure === undefined,
    steps: scenario.steps.length,
    ...(failure ? { failure } : {}),
    transcript: transcript(),
    durationMs: Math.round(deps.now() - started),
  };

  async function runStep(step: ConversationStep, timeoutMs: number): Promise<void> {
    if ('say' in step) {
      await client.sendText(step.say);
      idOf();
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
      await reply(
        'agent',
        (t) => t.includes(step.expectAgent.contains),
        `an agent message containing ${JSON.stringify(step.expectAgent.contains)}`,
        timeoutMs,
      );
    } else if ('expectHandoff' in step) {
      const e = step.expectHandoff;
      const view = await answered(timeoutMs, 'a handoff to a queue');
      const problems: string[] = [];
      const actual: string[] = [`queue ${view.queue.name}`, `priority ${view.priority ?? 'none'}`];
      if (e.queue !== undefined && e.queue !== view.queue.name && e.queue !== view.queue.id)
        problems.push(`queue ${e.queue}`);
      if (e.priority !== undefined && e.priority !== view.priority) problems.push(`priority ${e.priority}`);
      if (e.decisionRule !== undefined || e.routingRule !== undefined) {
        const rules = (await deps.rulesOf?.(view.conversationId)) ?? {};
        actual.push(
          `decisionRule ${JSON.stringify(rules.decisionRule ?? null)}`,
          `routingRule ${JSON.stringify(rules.routingRule ?? null)}`,
        );
        if (e.decisionRule !== undefined && !(rules.decisionRule ?? '').includes(e.decisionRule))
          problems.push(`decisionRule containing ${JSON.stringify(e.decisionRule)}`);
        if (e.routingRule !== undefined && !(rules.routingRule ?? '').includes(e.routingRule))
          problems.push(`routingRule containing ${JSON.stringify(e.routingRule)}`);
      }
      if (problems.length > 0) throw new StepFailed(problems.join(', '), actual.join(', '));
    } else if ('expectParticipantData' in step) {
      const view = await answered(timeoutMs, 'participant data (seen by the answering agent)');
      for (const [key, contains] of Object.entries(step.expectParticipantData)) {
        // The agent's view keys it as Genesys's analytics do (`conversationDetails.participantData.<key>`).
        const value =
          view.participantData[key] ?? view.participantData[`conversationDetails.participantData.${key}`];
        if (value === undefined || !value.includes(contains)) {
          throw new StepFailed(
            `participant data ${JSON.stringify(key)} containing ${JSON.stringify(contains)}`,
            value === undefined ? 'not set' : JSON.stringify(value),
          );
        }
      }
    } else if ('expectAgentAnswers' in step) {
      const view = await answered(timeoutMs, 'an agent to answer');
      const queue = step.expectAgentAnswers === true ? undefined : step.expectAgentAnswers.queue;
      if (queue !== undefined && queue !== view.queue.name && queue !== view.queue.id) {
        throw new StepFailed(`an agent of ${queue}`, `an agent of ${view.queue.name}`);
      }
    } else if ('agentSays' in step) {
      const view = await answered(timeoutMs, 'an agent to answer (to speak)');
      sb.agents.reply(view.conversationId, step.agentSays);
    } else if ('disconnect' in step) {
      const view = await answered(timeoutMs, 'an agent to answer (to disconnect)');
      sb.agents.disconnect(view.conversationId);
    } else {
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
  out.push(
    `<testsuites name="baton test" tests="${results.length + parseErrors.length}" failures="${failures}" errors="${parseErrors.length}">`,
  );
  for (const file of files) {
    const rs = results.filter((r) => r.file === file);
    const es = parseErrors.filter((e) => e.file === file);
    const time = rs.reduce((t, r) => t + r.durationMs, 0) / 1000;
    out.push(
      `  <testsuite name="${esc(file)}" tests="${rs.length + es.length}" failures="${rs.filter((r) => !r.passed).length}" errors="${es.length}" time="${time.toFixed(3)}">`,
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
      }
      out.push(`      <system-out>${esc(r.transcript.join('\n'))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
