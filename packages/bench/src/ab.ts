#!/usr/bin/env node
/**
 * `pnpm bench:ab`: an interleaved A/B of two bridge builds for a busy machine, where whole bench
 * runs minutes apart measure the neighbours more than the change. One sandbox, both bridges and the
 * floor started once and warmed, then the same load block (`--handoffs` at one concurrency ×
 * latency) sent to A, B and the floor in turn, `--rounds` times: every block of A has a block of B
 * next to it in time. Prints each block's CPU per handoff (read inside each process), p50, and each
 * process's peak RSS, then the medians, B/A round by round (the figure to read) and the ratios to the floor.
 * Run it with the Node the bridge runs on (`pnpm bench:ab` does; a plain `node` may be another version).
 *
 *   pnpm bench:ab -- --a OTHER/packages/bridge/dist/src/cli.js [--b CLI] \
 *     [--only c50-40ms] [--rounds 6] [--handoffs 600]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startLoadGenerator } from './load/load-generator.js';
import { parseFocus } from './plan.js';
import { startSandboxProcess } from './sandbox-client.js';
import { HANDOFF_PATH, startBridge, startFloor, type Target } from './targets.js';

const INTENT = { intent: 'Refund', confidence: 0.42 } as const;

interface Block {
  side: string;
  cpuMsPerHandoff: number;
  p50Ms: number;
  handoffsPerSecond: number;
}

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : [...argv],
    options: {
      a: { type: 'string' },
      b: { type: 'string' },
      only: { type: 'string', default: 'c50-40ms' },
      rounds: { type: 'string', default: '6' },
      handoffs: { type: 'string', default: '600' },
    },
    strict: true,
  });
  if (values.a === undefined) throw new Error('--a: the A side\'s built bridge CLI (packages/bridge/dist/src/cli.js of another checkout)');
  const focus = parseFocus(values.only);
  const rounds = Number(values.rounds);
  const perBlock = Number(values.handoffs);
  const log = (line: string) => void process.stdout.write(`${line}\n`);
  const logDir = mkdtempSync(join(tmpdir(), 'baton-ab-'));
  const load = startLoadGenerator();
  const sandbox = await startSandboxProcess({ latencyMs: focus.latencyMs, seed: 7, plainConversations: (rounds + 1) * 3 * perBlock + 100, probeConversations: 1 });
  const targets: Target[] = [];
  try {
    const plain = [...(await sandbox.pools()).plain];
    const common = { sandbox: sandbox.info, requestsPerMinute: 100_000, logDir };
    const sides: [string, Target][] = [
      ['A', await startBridge({ ...common, label: 'A', cliPath: resolve(values.a) })],
      ['B', await startBridge({ ...common, label: 'B', ...(values.b !== undefined && { cliPath: resolve(values.b) }) })],
      ['floor', await startFloor({ sandbox: sandbox.info })],
    ];
    targets.push(...sides.map(([, t]) => t));
    const block = async (target: Target): Promise<Omit<Block, 'side'>> => {
      const ids = plain.splice(0, perBlock);
      const before = await target.usage();
      const run = await load.run({
        url: target.url,
        path: HANDOFF_PATH,
        headers: { ...target.headers },
        bodies: ids.map((conversationId) => JSON.stringify({ conversationId, ...INTENT })),
        connections: focus.concurrency,
        maxSeconds: 120,
        timeoutSeconds: 30,
      });
      const after = await target.usage();
      if (run.ok !== ids.length) throw new Error(`${run.ok} of ${ids.length} handoffs answered 2xx`);
      return { cpuMsPerHandoff: (after.cpuUs - before.cpuUs) / 1000 / run.ok, p50Ms: run.latency.p50, handoffsPerSecond: run.okPerSecond };
    };
    // Warm-up: JIT, pools, the queue cache, not recorded.
    for (const [, t] of sides) await block(t);
    const blocks: Block[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      // Alternate who goes first, so a trend in the machine's load does not favour one side.
      const order = round % 2 === 1 ? sides : [sides[1]!, sides[0]!, sides[2]!];
      for (const [side, t] of order) {
        const b = { side, ...(await block(t)) };
        blocks.push(b);
        log(`round ${round} ${side.padEnd(5)} CPU ${b.cpuMsPerHandoff.toFixed(3)} ms/handoff, p50 ${b.p50Ms.toFixed(1)} ms, ${b.handoffsPerSecond.toFixed(0)}/s`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const summary: Record<string, { cpu: number; cpuMin: number; cpuMax: number; p50: number; peakRssMb: number }> = {};
    for (const [side, t] of sides) {
      const mine = blocks.filter((b) => b.side === side);
      const cpus = mine.map((b) => b.cpuMsPerHandoff);
      summary[side] = { cpu: median(cpus), cpuMin: Math.min(...cpus), cpuMax: Math.max(...cpus), p50: median(mine.map((b) => b.p50Ms)), peakRssMb: (await t.usage()).maxRssBytes / 2 ** 20 };
    }
    for (const [side, s] of Object.entries(summary)) {
      log(`${side.padEnd(5)} median CPU ${s.cpu.toFixed(3)} ms/handoff (${s.cpuMin.toFixed(3)}–${s.cpuMax.toFixed(3)}), median p50 ${s.p50.toFixed(1)} ms, peak RSS ${s.peakRssMb.toFixed(0)} MB`);
    }
    // Each round's B over the same round's A: blocks next to each other in time share the machine's load.
    const pairs = blocks.filter((b) => b.side === 'B').map((b, i) => b.cpuMsPerHandoff / blocks.filter((x) => x.side === 'A')[i]!.cpuMsPerHandoff);
    log(`B/A CPU by round ${pairs.map((r) => r.toFixed(3)).join(', ')}; median ${median(pairs).toFixed(3)}`);
    const { A, B, floor } = summary as Record<'A' | 'B' | 'floor', (typeof summary)[string]>;
    log(`B/A CPU ${(B.cpu / A.cpu).toFixed(3)}; vs floor: A ${(A.cpu / floor.cpu).toFixed(2)}×, B ${(B.cpu / floor.cpu).toFixed(2)}× CPU; RSS A ${(A.peakRssMb / floor.peakRssMb).toFixed(2)}×, B ${(B.peakRssMb / floor.peakRssMb).toFixed(2)}×; p50 − floor A ${(A.p50 - floor.p50).toFixed(1)}, B ${(B.p50 - floor.p50).toFixed(1)} ms`);
    return 0;
  } finally {
    await Promise.all(targets.map((t) => t.stop()));
    await sandbox.stop();
    await load.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench:ab failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
