import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** The shared test Redis. CI starts one; a missing Redis fails the run (it must never skip). */
export const SHARED_REDIS_URL = process.env.BATON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The Genesys OAuth client the token and pacer tests store under (keys are scoped by it). */
export const TEST_GENESYS_CLIENT = { loginBaseUrl: 'https://login.baton-test.invalid', clientId: 'baton-test-client' } as const;

/** A key prefix no other test run (or replica of a real deployment) uses. */
export function uniquePrefix(label: string): string {
  return `baton-test:${label}:${process.pid}:${randomUUID().slice(0, 8)}:`;
}

/** Connects to the shared Redis or throws, so a run without Redis fails loudly. */
export async function requireSharedRedis(): Promise<Redis> {
  const admin = new Redis(SHARED_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
    await admin.ping();
  } catch (error) {
    admin.disconnect();
    throw new Error(
      `These tests need Redis at ${SHARED_REDIS_URL} (CI starts one; locally: redis-server --save "" --appendonly no). ${String(error)}`,
    );
  }
  return admin;
}

/** Deletes every key under `prefix` (never FLUSHALL: the shared Redis belongs to everyone). */
export async function deletePrefix(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await admin.unlink(...keys);
  } while (cursor !== '0');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A private redis-server on a free port, for tests that kill and restart Redis. Never the shared
 * 6379 one. No persistence: a restart loses every key, the worst case for the stores.
 */
export interface PrivateRedis {
  url: string;
  port: number;
  /** SIGKILL: a crash, not a clean shutdown. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const start = async () => {
    if (alive()) return;
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
      stdio: 'ignore',
    });
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          if (probe.status !== 'ready') await probe.connect();
          await probe.ping();
          return;
        } catch (error) {
          if (attempt > 100 || !alive()) throw new Error(`redis-server on port ${port} did not start: ${String(error)}`);
          probe.disconnect();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      probe.disconnect();
    }
  };

  const end = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || !alive()) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  };

  // mocha runs with --exit: never leave a redis-server behind.
  process.once('exit', () => child?.kill('SIGKILL'));
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
