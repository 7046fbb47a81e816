import type { BenchResults, LoadRow, ScenarioCost, TargetName } from '../results.js';
import { num, ratio, signed } from './format.js';
import { renderMarkdown, renderText, type Table } from './table.js';

/** The per-token default budget of a Genesys client-credentials token (docs/genesys-facts.md#rate-limits). */
export const GENESYS_REQUESTS_PER_MINUTE = 300;

export interface TargetCheck {
  target: string;
  met: boolean | undefined;
  figure: string;
}

const SOURCE_LABEL = { inputs: 'inputs', participantData: 'participant data', botFlowAnalytics: 'bot-flow analytics' } as const;
const TARGET_LABEL: Record<TargetName, string> = { bridge: 'bridge', 'bridge+redis': 'bridge + Redis', baseline: 'baseline (seed port)', floor: 'floor (minimal)' };
const mark = (met: boolean | undefined) => (met === undefined ? 'n/a' : met ? 'met' : 'MISSED');

/** The targets (issues 8 and 17), each met or missed with the figure that decides it. */
export function checkTargets(r: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const source of ['inputs', 'participantData'] as const) {
    const c = r.costs.find((x) => x.target === 'bridge' && x.mode === 'flow' && x.source === source && !x.writeContext);
    const contextAttached = c !== undefined && (c.byRoute.patchConversationsMessageParticipantAttributes ?? 0) >= 1 && (c.statuses.ready_for_transfer ?? 0) === c.handoffs;
    checks.push({
      target: `≤ 3 Platform API calls per handoff, flow mode, intent from ${SOURCE_LABEL[source]}, context attached`,
      met: c === undefined ? undefined : c.apiCallsPerHandoff <= 3 && contextAttached,
      figure: c === undefined ? 'not measured' : `${num(c.apiCallsPerHandoff, 2)} calls${contextAttached ? ', context attached' : ', context NOT attached'}`,
    });
  }
  const byFlow = r.costs.find((x) => x.target === 'bridge' && x.writeContext === 'flow');
  const nothingWritten = byFlow !== undefined && (byFlow.byRoute.patchConversationsMessageParticipantAttributes ?? 0) === 0 && (byFlow.statuses.ready_for_transfer ?? 0) === byFlow.handoffs;
  checks.push({
    target: "2 Platform API calls per handoff with writeContext: flow (the flow's Set Participant Data writes the context)",
    met: byFlow === undefined ? undefined : byFlow.apiCallsPerHandoff <= 2 && nothingWritten,
    figure: byFlow === undefined ? 'not measured' : `${num(byFlow.apiCallsPerHandoff, 2)} calls${nothingWritten ? ', no PATCH' : ', PATCHED or failed'}`,
  });
  const cold = r.cold.filter((c) => c.target === 'bridge');
  const worst = cold.reduce<(typeof cold)[number] | undefined>((w, c) => (w === undefined || c.tokenRequests > w.tokenRequests ? c : w), undefined);
  checks.push({
    target: `1 token request for ${worst?.concurrency ?? 1000} concurrent handoffs on a cold start`,
    met: worst === undefined ? undefined : cold.every((c) => c.tokenRequests === 1 && c.failed === 0),
    figure: cold.map((c) => `${c.tokenRequests} at ${c.latencyMs} ms (${c.ok} ok)`).join('; ') || 'not measured',
  });
  const row = r.rows.find((x) => x.target === 'bridge' && x.latencyMs === 40 && x.concurrency === 50);
  checks.push({
    target: 'p50 overhead over the critical path ≤ 5 ms (50 concurrent, 40 ms upstream)',
    met: row === undefined ? undefined : row.p50Ms - row.criticalPathMs <= 5,
    figure: row === undefined ? 'not measured' : `${signed(row.p50Ms - row.criticalPathMs)} ms (p50 ${num(row.p50Ms)} ms, critical path ${num(row.criticalPathMs, 0)} ms)`,
  });
  checks.push({
    target: 'p99 overhead over the critical path ≤ 20 ms (50 concurrent, 40 ms upstream)',
    met: row === undefined ? undefined : row.p99Ms - row.criticalPathMs <= 20,
    figure: row === undefined ? 'not measured' : `${signed(row.p99Ms - row.criticalPathMs)} ms (p99 ${num(row.p99Ms)} ms)`,
  });
  for (const concurrency of [50, 200]) {
    const b = r.rows.find((x) => x.target === 'bridge' && x.latencyMs === 40 && x.concurrency === concurrency);
    const base = r.rows.find((x) => x.target === 'baseline' && x.latencyMs === 40 && x.concurrency === concurrency);
    checks.push({
      target: `≥ 2× the baseline's handoffs/s at 40 ms upstream (${concurrency} concurrent)`,
      met: b === undefined || base === undefined ? undefined : b.handoffsPerSecond >= 2 * base.handoffsPerSecond,
      figure: b === undefined || base === undefined ? 'not measured' : `${ratio(b.handoffsPerSecond, base.handoffsPerSecond)} (${num(b.handoffsPerSecond, 0)} vs ${num(base.handoffsPerSecond, 0)} handoffs/s)`,
    });
  }
  // Against the floor measured in the same run (the lean-bridge issue): what the bridge adds to
  // the least a process can do while making the same calls.
  const at = (target: TargetName, concurrency: number) => r.rows.find((x) => x.target === target && x.latencyMs === 40 && x.concurrency === concurrency);
  const pair = (concurrency: number) => ({ b: at('bridge', concurrency), f: at('floor', concurrency) });
  const vsFloor = (concurrency: number, label: string, test: (b: LoadRow, f: LoadRow) => boolean, figure: (b: LoadRow, f: LoadRow) => string) => {
    const { b, f } = pair(concurrency);
    checks.push({ target: label, met: b === undefined || f === undefined ? undefined : test(b, f), figure: b === undefined || f === undefined ? 'not measured' : figure(b, f) });
  };
  vsFloor(
    50,
    'CPU per handoff ≤ 1.5× the floor (50 concurrent, 40 ms upstream)',
    (b, f) => b.cpuMsPerHandoff <= 1.5 * f.cpuMsPerHandoff,
    (b, f) => `${ratio(b.cpuMsPerHandoff, f.cpuMsPerHandoff)} (${num(b.cpuMsPerHandoff, 2)} vs ${num(f.cpuMsPerHandoff, 2)} ms)`,
  );
  vsFloor(
    50,
    'peak RSS ≤ 1.3× the floor (50 concurrent, 40 ms upstream)',
    (b, f) => b.peakRssMb <= 1.3 * f.peakRssMb,
    (b, f) => `${ratio(b.peakRssMb, f.peakRssMb)} (${num(b.peakRssMb, 0)} vs ${num(f.peakRssMb, 0)} MB)`,
  );
  vsFloor(
    50,
    "p50 within 5 ms of the floor's (50 concurrent, 40 ms upstream)",
    (b, f) => b.p50Ms - f.p50Ms <= 5,
    (b, f) => `${signed(b.p50Ms - f.p50Ms)} ms (${num(b.p50Ms)} vs ${num(f.p50Ms)} ms)`,
  );
  vsFloor(
    1,
    "p50 within 3 ms of the floor's (1 at a time, 40 ms upstream)",
    (b, f) => b.p50Ms - f.p50Ms <= 3,
    (b, f) => `${signed(b.p50Ms - f.p50Ms)} ms (${num(b.p50Ms)} vs ${num(f.p50Ms)} ms)`,
  );
  return checks;
}

export function buildTables(r: BenchResults): Table[] {
  const baselineCost = r.costs.find((c) => c.target === 'baseline');
  const requests = (c: ScenarioCost) => c.apiCallsPerHandoff + c.tokenRequestsPerHandoff;
  const costRows = r.costs
    .filter((c) => c.target !== 'bridge+redis')
    .map((c) => [
      TARGET_LABEL[c.target],
      c.target === 'baseline' ? '—' : c.writeContext ? `${c.mode}, writeContext: ${c.writeContext}` : c.mode,
      SOURCE_LABEL[c.source],
      num(c.apiCallsPerHandoff, 2),
      num(c.tokenRequestsPerHandoff, 2),
      num(GENESYS_REQUESTS_PER_MINUTE / c.apiCallsPerHandoff, 0),
      String(c.dependentRoundTrips),
      ratio(requests(c), baselineCost && requests(baselineCost)),
      Object.entries(c.statuses)
        .map(([s, n]) => `${s} ${n}`)
        .join(', '),
      routes(c),
    ]);
  const costs: Table = {
    title: `1. Platform API budget per handoff (one at a time; counted by the sandbox; ${r.probeLatencyMs} ms per call)`,
    headers: ['target', 'mode', 'intent source', 'API calls', 'token req.', `handoffs/token-min @${GENESYS_REQUESTS_PER_MINUTE}`, 'dependent trips', 'req. vs baseline', 'answers', 'calls by route'],
    rows: costRows,
    rightAligned: new Set([3, 4, 5, 6, 7]),
    notes: [
      'API calls exclude POST /oauth/token (token req. counts those); handoffs/token-min = 300 / API calls.',
      'dependent trips = upstream round trips that waited on each other (measured: overlap of the sandbox\'s latency waits).',
      `bot-flow analytics: the session is found on the first page (sessions newest first; ${r.botFlowSessions} sessions in the flow); each further 250 sessions ahead of it cost one more call.`,
      'The baseline mints a token per handoff: its per-token budget never binds, the token endpoint does (Genesys rate-limits logins too).',
    ],
  };

  const coldBaseline = (latencyMs: number) => r.cold.find((c) => c.target === 'baseline' && c.latencyMs === latencyMs);
  const cold: Table = {
    title: '2. Cold start: concurrent handoffs on a fresh process (counted by the sandbox)',
    headers: ['target', 'upstream', 'concurrent', 'ok', 'failed', 'token requests', 'vs baseline', 'p50 ms', 'p99 ms'],
    rows: r.cold.map((c) => [
      TARGET_LABEL[c.target],
      `${c.latencyMs} ms`,
      String(c.concurrency),
      String(c.ok),
      String(c.failed),
      String(c.tokenRequests),
      ratio(c.tokenRequests, coldBaseline(c.latencyMs)?.tokenRequests),
      num(c.p50Ms),
      num(c.p99Ms),
    ]),
    rightAligned: new Set([2, 3, 4, 5, 6, 7, 8]),
  };

  const same = (target: TargetName, row: LoadRow) => r.rows.find((x) => x.target === target && x.latencyMs === row.latencyMs && x.concurrency === row.concurrency);
  const base = (row: LoadRow) => same('baseline', row);
  const floor = (row: LoadRow) => (row.target === 'floor' ? undefined : same('floor', row));
  const load: Table = {
    title: '3. Latency, throughput, CPU and memory (closed loop: each connection sends its next handoff when the last is answered)',
    headers: ['target', 'upstream', 'conc.', 'handoffs', 'failed', 'p50 ms', 'p99 ms', 'critical path', 'p50 over', 'p99 over', 'handoffs/s', 'CPU ms/handoff', 'peak RSS MB', 'p50 vs bl', 'h/s vs bl', 'CPU vs bl', 'p50 − floor', 'CPU vs floor', 'RSS vs floor', 'sandbox CPU ms/h', 'others CPU %'],
    rows: r.rows.map((row) => {
      const b = base(row);
      const f = floor(row);
      return [
        TARGET_LABEL[row.target],
        `${row.latencyMs} ms`,
        String(row.concurrency),
        String(row.handoffs),
        String(row.failed),
        num(row.p50Ms),
        num(row.p99Ms),
        `${num(row.criticalPathMs, 0)} ms`,
        signed(row.p50Ms - row.criticalPathMs),
        signed(row.p99Ms - row.criticalPathMs),
        num(row.handoffsPerSecond, 0),
        num(row.cpuMsPerHandoff, 2),
        num(row.peakRssMb, 0),
        ratio(row.p50Ms, b?.p50Ms),
        ratio(row.handoffsPerSecond, b?.handoffsPerSecond),
        ratio(row.cpuMsPerHandoff, b?.cpuMsPerHandoff),
        f === undefined ? '—' : signed(row.p50Ms - f.p50Ms),
        ratio(row.cpuMsPerHandoff, f?.cpuMsPerHandoff),
        ratio(row.peakRssMb, f?.peakRssMb),
        num(row.sandboxCpuMsPerHandoff, 2),
        num(row.othersCpuPercent, 0),
      ];
    }),
    rightAligned: new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]),
    notes: [
      'critical path = dependent upstream round trips × latency (bridge: conversation → bulk messages → attributes; baseline: token first, then the same three).',
      'p50/p99 over = latency minus the critical path: the target\'s own overhead plus the load generator\'s and the sandbox\'s on shared cores.',
      'CPU ms/handoff = process.cpuUsage() of the target process over the row / handoffs; peak RSS sampled every 250 ms.',
      'floor = node:http + one keep-alive undici pool + one cached token, the same three calls and the same 256-character transcript parts, nothing else (packages/bench/src/floor): the least the work needs on this machine.',
      'sandbox CPU ms/h = the simulated Genesys side, on the same cores; others CPU % = share of all cores used outside the bench meanwhile (other work on a shared machine).',
      'Once target + sandbox + load generator need more CPU than the cores have, latency is queueing: p50 over then measures the machine, not the bridge.',
      ...(r.redisUnavailable ? [`bridge + Redis: ${r.redisUnavailable}`] : []),
    ],
  };

  const checks = checkTargets(r);
  const targets: Table = {
    title: '4. Targets',
    headers: ['target', 'result', 'figure'],
    rows: checks.map((c) => [c.target, mark(c.met), c.figure]),
  };
  return [costs, cold, load, targets];
}

function routes(c: ScenarioCost): string {
  const short: Record<string, string> = {
    postToken: 'token',
    getConversationsMessage: 'GET conv',
    postConversationsMessageMessagesBulk: 'bulk',
    patchConversationsMessageParticipantAttributes: 'PATCH attrs',
    getRoutingQueue: 'GET queue',
    getAnalyticsBotflowSessions: 'sessions',
    getAnalyticsBotflowDivisionsReportingturns: 'turns',
    getConversation: 'GET conv (generic)',
    postConversationsMessageCommunicationMessages: 'send msg',
    postConversationParticipantReplaceQueue: 'replace/queue',
    patchRoutingConversation: 'PATCH routing',
  };
  return Object.entries(c.byRoute)
    .map(([route, n]) => `${short[route] ?? route}${n === 1 ? '' : ` ×${num(n, 2)}`}`)
    .join(', ');
}

export function header(r: BenchResults): string[] {
  const m = r.machine;
  return [
    `Baton bench, ${m.date.slice(0, 10)}: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}${r.quick ? ' (QUICK run: small counts, not for publishing)' : ''}; ${num(r.durationSeconds, 0)} s.`,
    'Processes: the sandbox org, the target (bridge or baseline) and the load generator (autocannon) each run in their own process, on the same cores.',
    `Budget rows count calls as Genesys would charge them; load rows run the bridge with GENESYS_REQUESTS_PER_MINUTE=${r.bridgeRequestsPerMinute} and the sandbox's per-token limit raised, since 300/min pacing would otherwise be all they measure.`,
  ];
}

export function renderReport(r: BenchResults, format: 'text' | 'markdown'): string {
  const render = format === 'text' ? renderText : renderMarkdown;
  return [...header(r), '', ...buildTables(r).map((t) => `${render(t)}\n`)].join('\n');
}
