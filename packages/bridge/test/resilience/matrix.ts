import type { FaultRule } from '@baton/sandbox';
import { postHandoff, type HandoffCall, type ReplicaSet } from './replicas.js';

/**
 * How far past its deadline an answer may arrive and still count as "before its deadline". The
 * bridge answers 504 at the deadline from a timer (src/deadline.ts), so the answer is due at the
 * deadline itself; what this margin absorbs is scheduling, not work: event-loop lag on a loaded
 * 2-core CI machine (timers fire late, two replicas and the sandbox share one process), writing the
 * response, and the client reading it. 750 ms is generous for that and still far below any delay
 * that would mean the deadline was not enforced (the latency faults hold a call for longer than
 * the deadline plus this margin, so an answer that waited for them is counted late).
 */
export const SCHEDULING_MARGIN_MS = 750;

/** One fault of the matrix: rules for the sandbox, and/or something done while the handoffs run. */
export interface Scenario {
  name: string;
  faults?: FaultRule[];
  /** Runs alongside the handoffs (revoke tokens, restart Redis, stop a replica). */
  during?: (set: ReplicaSet) => Promise<void>;
  /** Fresh conversations, each posted `perConversation` times at once, spread over the replicas. */
  conversations: number;
  perConversation: number;
  /**
   * Rounds of retries (Architect's retry), each posting every conversation of the first wave
   * once more, after `during` finished and then `delayMs`.
   */
  retries?: { delayMs: number }[];
}

export interface MatrixRow {
  fault: string;
  /** Handoff requests posted. */
  handoffs: number;
  /** 200: transferred, or the first result of the same handoff. */
  completed: number;
  /** A 4xx/5xx with a stable code and a message (never internal_error), before the client gave up. */
  failedCleanly: number;
  /** Transfer requests sent for a conversation already transferred, plus conversations transferred twice. */
  duplicates: number;
  /** No answer, an unclean answer (internal_error / not JSON), or a handoff that ran without a trace. */
  lost: number;
  /** Conversations the sandbox shows transferred. */
  transferred: number;
  /**
   * Answers (or client give-ups) later than the deadline the bridge was given plus
   * SCHEDULING_MARGIN_MS, measured by the client from sending the request to reading the answer.
   */
  late: number;
  /** Slowest answer, ms from sending the request. */
  slowestMs: number;
  /** Statuses of the 200 answers (transferred, already_handed_off, …), with counts. */
  results: Record<string, number>;
  /** Failure codes seen, with counts. */
  codes: Record<string, number>;
  /** Details of anything counted as lost, for the assertion message. */
  problems: string[];
}

export interface RunOptions {
  /** The deadline the bridge was given (BATON_DEADLINE_MS; the handoffs send no budgetMs). */
  deadlineMs: number;
  /** An answer later than deadlineMs plus this is late. Default SCHEDULING_MARGIN_MS. */
  marginMs?: number;
  /**
   * The client gives up this long after the deadline (an answer later than that is "lost"). It
   * waits past the margin on purpose: an answer that is late but arrives is counted late (and
   * shows how late), not only lost.
   */
  graceMs?: number;
}

const isClean = (call: HandoffCall) =>
  call.status >= 400 &&
  typeof call.body?.code === 'string' &&
  call.body.code !== 'internal_error' &&
  typeof call.body.message === 'string' &&
  call.body.message.length > 0;

/** Runs one scenario on `set` and measures it. Faults are cleared afterwards. */
export async function runScenario(set: ReplicaSet, scenario: Scenario, options: RunOptions): Promise<MatrixRow> {
  const abortAfterMs = options.deadlineMs + (options.graceMs ?? 3000);
  const lateAfterMs = options.deadlineMs + (options.marginMs ?? SCHEDULING_MARGIN_MS);
  const live = set.replicas.filter((r) => !r.bridge.shuttingDown);
  const conversations = Array.from({ length: scenario.conversations }, () => set.newConversation());
  const removers = (scenario.faults ?? []).map((rule) => set.sandbox.faults.add(rule));
  const timed = async (replicaIndex: number, conversationId: string) => {
    const started = performance.now();
    const call = await postHandoff(live[replicaIndex % live.length]!, conversationId, { abortAfterMs });
    return { call, ms: Math.round(performance.now() - started) };
  };

  let n = 0;
  const wave = Promise.all(conversations.flatMap((id) => Array.from({ length: scenario.perConversation }, () => timed(n++, id))));
  const [first] = await Promise.all([wave, scenario.during?.(set)]);
  const results = [...first];
  for (const round of scenario.retries ?? []) {
    await new Promise((resolve) => setTimeout(resolve, round.delayMs));
    results.push(...(await Promise.all(conversations.map((id) => timed(n++, id)))));
  }
  for (const remove of removers) remove();
  set.sandbox.faults.clear();

  // Steps may outlive their HTTP deadline (still writing): let every replica settle before counting.
  await Promise.all(set.replicas.map((r) => r.bridge.inFlight.drain()));

  const row: MatrixRow = {
    fault: scenario.name,
    handoffs: results.length,
    completed: 0,
    failedCleanly: 0,
    duplicates: 0,
    lost: 0,
    transferred: 0,
    late: 0,
    slowestMs: Math.max(...results.map((r) => r.ms)),
    results: {},
    codes: {},
    problems: [],
  };
  for (const { call, ms } of results) {
    if (ms > lateAfterMs) {
      row.late++;
      row.problems.push(`${call.conversationId} via ${call.replica}: answered after ${ms} ms (deadline ${options.deadlineMs} ms + ${lateAfterMs - options.deadlineMs} ms margin): ${call.status} ${call.transportError ?? JSON.stringify(call.body)}`);
    }
    if (call.status === 200) {
      row.completed++;
      const status = String(call.body?.status);
      row.results[status] = (row.results[status] ?? 0) + 1;
    }
    else if (isClean(call)) {
      row.failedCleanly++;
      const code = String(call.body!.code);
      row.codes[code] = (row.codes[code] ?? 0) + 1;
      if (process.env.MATRIX_DEBUG) console.log(scenario.name, call.replica, code, call.body!.message);
    } else {
      row.lost++;
      row.problems.push(`${call.conversationId} via ${call.replica}: ${call.status} ${call.transportError ?? JSON.stringify(call.body)}`);
    }
  }

  const duplicateAttempts = set.duplicateTransferAttempts();
  for (const id of conversations) {
    const transfers = set.sandbox.org.transfers.filter((t) => t.conversationId === id).length;
    if (transfers > 0) row.transferred++;
    row.duplicates += Math.max(0, transfers - 1) + (duplicateAttempts.get(id) ?? 0);
  }

  // Every handoff that ran is traced, readable from any replica (traces written during a Redis
  // outage are flushed when it returns: give that a moment).
  const reader = set.replicas[set.replicas.length - 1]!.state.traces;
  const ranFor = new Set(results.filter(({ call }) => call.status === 200 || (isClean(call) && call.body!.code !== 'state_unavailable')).map(({ call }) => call.conversationId));
  const untraced = async () => {
    const missing: string[] = [];
    for (const id of ranFor) {
      const traces = await reader.list({ conversationId: id, limit: 10 }).catch(() => []);
      if (traces.length === 0) missing.push(id);
    }
    for (const { call } of results) {
      if (call.status !== 200) continue;
      const trace = await reader.get(String(call.body!.handoffId)).catch(() => undefined);
      if (!trace) missing.push(`${call.conversationId} (handoff ${String(call.body!.handoffId)})`);
    }
    return missing;
  };
  let missing = await untraced();
  for (let i = 0; i < 40 && missing.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    missing = await untraced();
  }
  row.lost += missing.length;
  row.problems.push(...missing.map((m) => `no trace: ${m}`));
  return row;
}

/** The matrix as a fixed-width table, one line per fault. */
export function formatMatrix(rows: readonly MatrixRow[], extra?: (row: MatrixRow) => string): string {
  const header = ['fault', 'handoffs', 'completed', 'failed cleanly', 'duplicates', 'lost', 'transferred', 'late', 'slowest ms', 'answers (200)', 'failure codes'];
  const counts = (table: Record<string, number>) =>
    Object.entries(table)
      .map(([key, count]) => `${key}×${count}`)
      .join(' ');
  const lines = rows.map((r) => [
    r.fault,
    String(r.handoffs),
    String(r.completed),
    String(r.failedCleanly),
    String(r.duplicates),
    String(r.lost),
    String(r.transferred),
    String(r.late),
    String(r.slowestMs),
    counts(r.results),
    counts(r.codes) + (extra ? extra(r) : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [fmt(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...lines.map(fmt)].join('\n');
}
