import { randomBytes } from 'node:crypto';
import { openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { forkChild, type Child } from './ipc.js';
import { portableExecArgv, siblingModule } from './modules.js';
import type { ProcessUsage } from './processes/usage-probe.js';
import type { SandboxReady } from './sandbox-client.js';

/** Something that serves `POST /v1/actions/handoff` in its own process: the bridge or the baseline. */
export interface Target {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Headers every handoff request carries (the inbound credential). */
  readonly headers: Readonly<Record<string, string>>;
  /** The target process's own CPU time and memory, read inside it. */
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
}

export const HANDOFF_PATH = '/v1/actions/handoff';

export interface BridgeTargetOptions {
  sandbox: SandboxReady;
  /** GENESYS_REQUESTS_PER_MINUTE: raised for the load rows (the pacer is not what they measure). */
  requestsPerMinute: number;
  redisUrl?: string;
  /** The bridge's stdout (its JSON log) goes here. */
  logDir: string;
  label: string;
  /** Extra Node flags for the bridge process (e.g. `--cpu-prof` when looking into a figure). */
  nodeFlags?: readonly string[];
  /** Another checkout's built bridge CLI (the A side of an A/B run); default: this workspace's. */
  cliPath?: string;
}

/**
 * `baton serve` as an operator runs it, against the sandbox as if it were an org
 * (GENESYS_BASE_URL), with the usage probe preloaded. Its environment is built from scratch, and
 * its working directory is the log directory, so neither the developer's shell nor a `.env` leak in.
 */
export async function startBridge(options: BridgeTargetOptions): Promise<Target> {
  const cli = options.cliPath ?? cliPath();
  const port = await freePort();
  const apiKey = `bench-${randomBytes(18).toString('base64url')}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GENESYS_BASE_URL: options.sandbox.url,
    GENESYS_CLIENT_ID: options.sandbox.clientId,
    GENESYS_CLIENT_SECRET: options.sandbox.clientSecret,
    GENESYS_QUEUE_ID: options.sandbox.queueId,
    GENESYS_REQUESTS_PER_MINUTE: String(options.requestsPerMinute),
    BATON_API_KEY: apiKey,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  };
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  const logFd = openSync(join(options.logDir, `bridge-${options.label}.log`), 'a');
  const child = forkChild(cli, ['serve'], {
    execArgv: [...portableExecArgv(), ...(options.nodeFlags ?? []), '--import', pathToFileURL(siblingModule(import.meta.url, './processes/usage-probe.js')).href],
    env,
    cwd: options.logDir,
    stdio: ['ignore', logFd, 'pipe', 'ipc'],
  });
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, 30_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return target('bridge', url, child, { 'X-API-Key': apiKey });
}

export interface BaselineTargetOptions {
  sandbox: SandboxReady;
}

/** The seed's pipeline ported literally (baseline/), in its own process with the usage probe. */
export function startBaseline(options: BaselineTargetOptions): Promise<Target> {
  return startSmallTarget('baseline', './baseline/main.js', 'BASELINE_CONFIG', options.sandbox);
}

/** The minimal floor (floor/): node:http + a keep-alive pool, the same three calls, nothing else. */
export function startFloor(options: BaselineTargetOptions): Promise<Target> {
  return startSmallTarget('floor', './floor/main.js', 'FLOOR_CONFIG', options.sandbox);
}

async function startSmallTarget(name: string, entry: string, configVariable: string, sandbox: SandboxReady): Promise<Target> {
  const apiKey = `bench-${randomBytes(18).toString('base64url')}`;
  const config = { genesysUrl: sandbox.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, apiKey };
  const child = forkChild(siblingModule(import.meta.url, entry), [], {
    execArgv: [...portableExecArgv(), '--import', pathToFileURL(siblingModule(import.meta.url, './processes/usage-probe.js')).href],
    // The secret goes through the environment, not argv (argv is visible in `ps`).
    env: { PATH: process.env.PATH ?? '', [configVariable]: JSON.stringify(config) },
  });
  let ready: { url: string };
  try {
    ready = await child.waitFor<{ url: string }>('ready', 30_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return target(name, ready.url, child, { 'X-API-Key': apiKey });
}

function target(name: string, url: string, child: Child, headers: Record<string, string>): Target {
  return {
    name,
    url,
    pid: child.process.pid ?? -1,
    headers,
    usage: () => child.request<ProcessUsage>('usage', {}, 10_000),
    stop: () => child.stop(15_000),
  };
}

/** The bridge's CLI module, found through the package's own export (dist, or src under `source`). */
function cliPath(): string {
  return siblingModule(import.meta.resolve('@baton/bridge'), './cli.js');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, child: Child, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  // /healthz, not /readyz: readiness fetches a Genesys token, which would spoil the cold start.
  while (Date.now() < until) {
    if (child.process.exitCode !== null) throw new Error(`bridge exited during start-up: ${child.stderrTail().slice(-800)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await delay(50);
  }
  throw new Error(`bridge not healthy within ${timeoutMs} ms: ${child.stderrTail().slice(-800)}`);
}
