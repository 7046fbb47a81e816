import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseConversationScenarios, type Clock, type ConversationScenario, type HandoffTrace, type TraceStore } from '@baton/core';
import type { FlowRunResult, FlowTraceEntry } from '@baton/flow';
import {
  createTimelineStore,
  type ConsoleHandoffTrace,
  type ConsoleReplayStep,
  type ConsoleScenario,
  type ConsoleTimelineEvent,
  type Sandbox,
} from '@baton/sandbox';
import type { Logger } from './logger.js';

/** The Architect names of the actions the flow runs (as the flow editor labels them). */
const STEP_LABELS: Record<FlowTraceEntry['action'], string> = {
  callDigitalBotFlow: 'Call Digital Bot Flow',
  callData: 'Call Data Action',
  decision: 'Decision',
  switch: 'Switch',
  updateData: 'Update Data',
  setParticipantData: 'Set Participant Data',
  sendResponse: 'Send Response',
  transferToAcd: 'Transfer to ACD',
  disconnect: 'Disconnect',
  changeState: 'Change State',
  endState: 'End State',
};

/** Architect's output names: a Call Data Action's Success/Failure/Timeout, a decision's Yes/No. */
const OUTCOME_LABELS: Record<string, string> = { success: 'Success', failure: 'Failure', timeout: 'Timeout', yes: 'Yes', no: 'No' };

/** One flow step as the console draws it; the transfer's queue by name, as Genesys shows it. */
export function timelineEventOf(entry: FlowTraceEntry, queueName: (id: string) => string | undefined): Omit<ConsoleTimelineEvent, 'seq' | 'at'> {
  let detail = entry.detail;
  if (entry.action === 'callData') {
    // The exported flow names the action after its data action: say it once.
    const action = entry.dataAction === entry.name ? undefined : entry.dataAction;
    detail = [action, entry.detail].filter(Boolean).join(': ') || undefined;
  }
  if (entry.action === 'transferToAcd' && entry.queueId !== undefined) {
    detail = `queue ${queueName(entry.queueId) ?? entry.queueId}, priority ${entry.priority ?? 0}`;
  }
  return {
    step: STEP_LABELS[entry.action],
    name: entry.name,
    ...(entry.path !== undefined && { outcome: OUTCOME_LABELS[entry.path] ?? entry.path }),
    ...(detail !== undefined && { detail }),
    ...(entry.durationMs !== undefined && { durationMs: entry.durationMs }),
  };
}

/**
 * A handoff trace for the console: status, steps, and each Platform API call's method, route,
 * status and duration. No request or response bodies and no transcript, though the trace store
 * holds them redacted: the console is a view for people, and what it never sends cannot leak.
 */
export function consoleTraceOf(trace: HandoffTrace): ConsoleHandoffTrace {
  return {
    handoffId: trace.handoffId,
    status: trace.status,
    startedAt: trace.startedAt,
    durationMs: trace.durationMs,
    ...(trace.error && { error: { code: trace.error.code, message: trace.error.message } }),
    steps: trace.steps.map((s) => ({ step: s.step, outcome: s.outcome, summary: s.summary, durationMs: s.durationMs })),
    calls: trace.calls.map((c) => ({ method: c.method, route: c.route, path: c.path, status: c.status, durationMs: c.durationMs })),
  };
}

/**
 * The scenarios in `dir` (`*.conversation.yaml`) the console offers to replay: each one's customer
 * lines. A file that does not parse is left out with a warning (`baton test` reports it in full).
 */
export async function loadConsoleScenarios(dir: string, logger: Pick<Logger, 'warn'>): Promise<ConsoleScenario[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.conversation.yaml')).sort();
  } catch {
    return []; // no examples folder here (another working directory): nothing to replay
  }
  const scenarios: ConsoleScenario[] = [];
  for (const file of names) {
    try {
      const parsed = parseConversationScenarios(file, await readFile(path.join(dir, file), 'utf8'));
      for (const [i, s] of parsed.entries()) {
        // A scenario that sets the sandbox up (Baton down, a slow API) would not show its outcome on
        // this healthy one; `baton test` runs those on a loop of their own.
        if (s.sandbox) continue;
        const replay = consoleReplayOf(s);
        if (replay.says.length > 0) scenarios.push({ id: `${file}#${i + 1}`, name: s.name, file, ...replay });
      }
    } catch (error) {
      logger.warn({ file, err: error }, 'the console leaves out a scenario file it cannot read');
    }
  }
  return scenarios;
}

/** How long the console waits for a reply a scenario expects when the step gives no timeout. */
const REPLAY_WAIT_MS = 10_000;

/**
 * What the console can replay of a scenario: what the customer does (each line, then the replies
 * the scenario waits for, so the next line goes after them), the agent's part for the sandbox's
 * answering agent (its script: its lines as it answers, then maybe the end), and a note for each
 * step it does not replay as written. Checks are not replayed: the page shows what happens.
 */
export function consoleReplayOf(
  scenario: ConversationScenario,
): Pick<ConsoleScenario, 'says' | 'replay' | 'agent' | 'notes'> {
  const says: string[] = [];
  const replay: ConsoleReplayStep[] = [];
  const replies: string[] = [];
  let disconnect = false;
  const notes: string[] = [];
  const checks: string[] = [];
  let agentStepLine: number | undefined;
  for (const { step, line } of scenario.steps) {
    const timeoutMs = step.timeoutMs ?? REPLAY_WAIT_MS;
    if ('say' in step) {
      says.push(step.say);
      replay.push({ say: step.say });
      if (agentStepLine !== undefined) {
        notes.push(
          `line ${line}: the customer speaks after the agent's part (line ${agentStepLine}); the sandbox's agent says its lines as it answers, so they come first`,
        );
      }
    } else if ('expectBot' in step) {
      replay.push({ waitFor: { from: 'bot', ...step.expectBot, timeoutMs } });
    } else if ('expectAgent' in step) {
      replay.push({ waitFor: { from: 'agent', ...step.expectAgent, timeoutMs } });
    } else if ('agentSays' in step) {
      replies.push(step.agentSays);
      agentStepLine ??= line;
    } else if ('disconnect' in step) {
      disconnect = true;
      agentStepLine ??= line;
    } else {
      checks.push(`${Object.keys(step)[0]} (line ${line})`);
    }
  }
  if (checks.length > 0) notes.push(`checks are not replayed (baton test runs them): ${checks.join(', ')}`);
  return {
    says,
    replay,
    ...((replies.length > 0 || disconnect) && { agent: { replies, disconnect } }),
    notes,
  };
}

export interface AttachedConsole {
  /** Feed for the conversation loop's onTraceEntry. */
  onTraceEntry(conversationId: string, entry: FlowTraceEntry): void;
  /** Feed for the loop's end of run: a flow that failed shows it on the timeline. */
  onRunEnd(conversationId: string, result: FlowRunResult): void;
  detach(): void;
}

/**
 * Plugs `baton serve`'s views into the sandbox console, in-process (the console exists only in
 * sandbox mode): the flow's steps into a bounded timeline store, the bridge's trace store as the
 * handoff trace, the example scenarios. The sandbox imports neither the flow nor core.
 */
export function attachConsole(options: {
  sandbox: Pick<Sandbox, 'console' | 'org'>;
  traces: Pick<TraceStore, 'list'>;
  clock: Pick<Clock, 'now'>;
  scenarios: readonly ConsoleScenario[];
}): AttachedConsole {
  const { sandbox } = options;
  const timeline = createTimelineStore({ now: () => options.clock.now() });
  const queueName = (id: string) => sandbox.org.findQueue(id)?.name;
  const detach = sandbox.console.attach({
    timelineOf: (conversationId) => timeline.list(conversationId),
    handoffTracesOf: async (conversationId) => (await options.traces.list({ conversationId, limit: 20 })).map(consoleTraceOf),
    scenarios: options.scenarios,
  });
  return {
    onTraceEntry: (conversationId, entry) => timeline.add(conversationId, timelineEventOf(entry, queueName)),
    onRunEnd(conversationId, result) {
      if (result.outcome.kind === 'error') timeline.add(conversationId, { step: 'Flow error', name: '', detail: result.outcome.error.message });
    },
    detach,
  };
}
