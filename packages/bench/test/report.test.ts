import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { buildTables, checkTargets, renderReport } from '../src/report/report.js';
import type { BenchResults, LoadRow } from '../src/results.js';

const row = (over: Partial<LoadRow>): LoadRow => ({
  target: 'bridge',
  latencyMs: 40,
  concurrency: 50,
  handoffs: 1000,
  failed: 0,
  p50Ms: 123,
  p99Ms: 150,
  criticalPathMs: 120,
  handoffsPerSecond: 400,
  cpuMsPerHandoff: 2,
  peakRssMb: 150,
  sandboxCpuMsPerHandoff: 3,
  othersCpuPercent: 0,
  apiCallsPerHandoff: 3,
  tokenRequests: 0,
  ...over,
});

function results(): BenchResults {
  const cost = { handoffs: 10, tokenRequestsPerHandoff: 0, dependentRoundTrips: 3, statuses: { ready_for_transfer: 10 } };
  const byRoute = { getConversationsMessage: 1, postConversationsMessageMessagesBulk: 1, patchConversationsMessageParticipantAttributes: 1 };
  return {
    machine: { date: '2025-01-01T00:00:00.000Z', cpuModel: 'test cpu', cores: 2, memoryGb: 4, node: 'v20', platform: 'linux-x64' },
    quick: false,
    durationSeconds: 100,
    probeLatencyMs: 40,
    botFlowSessions: 10,
    bridgeRequestsPerMinute: 100000,
    costs: [
      { target: 'bridge', mode: 'flow', source: 'inputs', apiCallsPerHandoff: 3, byRoute, ...cost },
      { target: 'bridge', mode: 'flow', source: 'participantData', apiCallsPerHandoff: 4, byRoute, ...cost },
    ],
    cold: [{ target: 'bridge', latencyMs: 40, concurrency: 1000, ok: 1000, failed: 0, tokenRequests: 1, p50Ms: 1, p99Ms: 2 }],
    rows: [row({}), row({ target: 'baseline', handoffsPerSecond: 250, p50Ms: 170, criticalPathMs: 160 }), row({ concurrency: 200, handoffsPerSecond: 600 }), row({ target: 'baseline', concurrency: 200, handoffsPerSecond: 250 })],
    notes: [],
  };
}

describe('checkTargets', () => {
  it('says met or MISSED per target, with the deciding figure', () => {
    const checks = checkTargets(results());
    const by = (prefix: string) => checks.filter((c) => c.target.includes(prefix));
    assert.deepEqual(by('intent from').map((c) => c.met), [true, false]);
    assert.equal(by('token request')[0]?.met, true);
    assert.equal(by('p50 overhead')[0]?.met, true);
    assert.match(by('p50 overhead')[0]?.figure ?? '', /^\+3\.0 ms/);
    assert.deepEqual(by('baseline').map((c) => c.met), [false, true]);
    assert.match(by('baseline')[0]?.figure ?? '', /1\.60×/);
  });

  it('when the writeContext: flow row ran, then it is judged at 2 calls with no PATCH, and it is not taken for the flow-mode row', () => {
    const r = results();
    const cost = { handoffs: 10, tokenRequestsPerHandoff: 0, dependentRoundTrips: 2, statuses: { ready_for_transfer: 10 } };
    r.costs.unshift({ target: 'bridge', mode: 'flow', source: 'inputs', writeContext: 'flow', apiCallsPerHandoff: 2, byRoute: { getConversationsMessage: 1, postConversationsMessageMessagesBulk: 1 }, ...cost });
    const checks = checkTargets(r);
    const flow = checks.find((c) => c.target.includes('writeContext: flow'));
    assert.equal(flow?.met, true);
    assert.equal(flow?.figure, '2.00 calls, no PATCH');
    assert.equal(checks.find((c) => c.target.includes('intent from inputs'))?.figure, '3.00 calls, context attached');
    assert.equal(buildTables(r)[0]?.rows[0]?.[1], 'flow, writeContext: flow');
    r.costs[0]!.byRoute.patchConversationsMessageParticipantAttributes = 1;
    r.costs[0]!.apiCallsPerHandoff = 3;
    assert.equal(checkTargets(r).find((c) => c.target.includes('writeContext: flow'))?.met, false);
  });

  it('when the floor ran in the same run, then CPU, RSS and p50 are judged against it', () => {
    const r = results();
    r.rows.push(row({ target: 'floor', cpuMsPerHandoff: 1, peakRssMb: 100, p50Ms: 121 }), row({ target: 'bridge', concurrency: 1, p50Ms: 126 }), row({ target: 'floor', concurrency: 1, p50Ms: 122 }));
    const checks = checkTargets(r);
    const by = (prefix: string) => checks.find((c) => c.target.startsWith(prefix));
    assert.equal(by('CPU per handoff ≤ 1.5× the floor')?.met, false);
    assert.match(by('CPU per handoff ≤ 1.5× the floor')?.figure ?? '', /^2\.00× \(2\.00 vs 1\.00 ms\)/);
    assert.equal(by('peak RSS ≤ 1.3× the floor')?.met, false);
    assert.equal(by("p50 within 5 ms of the floor's (50")?.met, true);
    assert.match(by("p50 within 5 ms of the floor's (50")?.figure ?? '', /^\+2\.0 ms/);
    assert.equal(by("p50 within 3 ms of the floor's (1")?.met, false);
    const text = renderReport(r, 'text');
    assert.ok(text.includes('floor (minimal)'), 'the floor has its rows');
    assert.ok(text.includes('RSS vs floor'), 'the load table has the floor ratios');
  });

  it('when the floor did not run, then its targets are n/a rather than met', () => {
    const checks = checkTargets(results());
    const floorChecks = checks.filter((c) => c.target.includes('the floor'));
    assert.equal(floorChecks.length, 4);
    assert.ok(floorChecks.every((c) => c.met === undefined && c.figure === 'not measured'));
  });

  it('when a figure was not measured, then the target is n/a rather than met', () => {
    const r = results();
    r.rows = [];
    assert.equal(checkTargets(r).find((c) => c.target.includes('p99 overhead'))?.met, undefined);
  });
});

describe('renderReport', () => {
  it('renders the same tables as text and as Markdown', () => {
    const text = renderReport(results(), 'text');
    const md = renderReport(results(), 'markdown');
    for (const title of ['1. Platform API budget', '2. Cold start', '3. Latency', '4. Targets']) {
      assert.ok(text.includes(title), `text has ${title}`);
      assert.ok(md.includes(`### ${title}`), `markdown has ${title}`);
    }
    assert.ok(md.includes('| bridge | 40 ms | 50 |'));
  });
});
