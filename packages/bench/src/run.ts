#!/usr/bin/env node
/**
 * `pnpm bench`: what a handoff costs, measured on the sandbox org against the limits that matter
 * (Platform API budget, latency, the bridge's own CPU and memory), beside a literal port of the
 * seed's pipeline and a minimal floor (floor/). Prints one report; `--markdown FILE` / `--json FILE` also write it.
 *
 *   node packages/bench/dist/src/run.js [--quick] [--markdown FILE] [--json FILE] [--no-redis] [--keep-logs]
 *     [--only c50-40ms] [--bridge-cli FILE] [--bridge-node-flag FLAG]...
 *
 * `--only cN-Lms` runs one load row (N concurrent, L ms per Genesys call) for the bridge and the floor
 * only: about 30 s, for A/B runs on a busy machine. `--bridge-cli` runs the bridge from another
 * checkout's built `packages/bridge/dist/src/cli.js` (the A side of an A/B); `--bridge-node-flag`
 * passes a Node flag to the bridge process (e.g. `--cpu-prof`, whose profile lands in the log directory).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { runBench } from './bench.js';
import { startLoadGenerator } from './load/load-generator.js';
import { benchPlan, parseFocus } from './plan.js';
import { claimEmptyRedisDb } from './redis-db.js';
import { renderReport } from './report/report.js';
import { startSandboxProcess } from './sandbox-client.js';
import { startBaseline, startBridge, startFloor } from './targets.js';

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const { values } = parseArgs({
    // `pnpm bench -- --quick` passes the `--` through.
    args: argv[0] === '--' ? argv.slice(1) : [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      markdown: { type: 'string' },
      json: { type: 'string' },
      'no-redis': { type: 'boolean', default: false },
      'keep-logs': { type: 'boolean', default: false },
      only: { type: 'string' },
      'bridge-cli': { type: 'string' },
      'bridge-node-flag': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const plan = benchPlan(values.quick === true, values.only === undefined ? undefined : parseFocus(values.only));
  const redisUrl = values['no-redis'] ? undefined : (env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const logDir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const log = (line: string) => void process.stderr.write(`${line}\n`);
  const load = startLoadGenerator();
  let ok = false;
  try {
    const results = await runBench({
      plan,
      load,
      startSandbox: startSandboxProcess,
      startTarget: (name, sandbox, redis) =>
        name === 'baseline'
          ? startBaseline({ sandbox })
          : name === 'floor'
            ? startFloor({ sandbox })
            : startBridge({
                sandbox,
                requestsPerMinute: plan.bridgeRequestsPerMinute,
                logDir,
                label: `${name}-${Date.now()}`,
                ...(values['bridge-cli'] !== undefined && { cliPath: resolve(values['bridge-cli']) }),
                ...(values['bridge-node-flag'] && { nodeFlags: values['bridge-node-flag'] }),
                ...(redis && { redisUrl: redis.url }),
              }),
      ...(redisUrl !== undefined && { claimRedisDb: () => claimEmptyRedisDb(redisUrl) }),
      log,
      now: () => performance.now(),
    });
    process.stdout.write(`\n${renderReport(results, 'text')}\n`);
    if (values.markdown) writeFileSync(values.markdown, `${renderReport(results, 'markdown')}\n`);
    if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
    ok = true;
    return 0;
  } finally {
    await load.stop();
    if (ok && !values['keep-logs']) rmSync(logDir, { recursive: true, force: true });
    else log(`bridge logs kept in ${logDir}`);
  }
}

// Run only when executed directly, so importing this module has no side effects.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
