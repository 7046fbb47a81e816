import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';

/**
 * A tiny request/response protocol over Node's IPC channel, so every measured piece (sandbox,
 * bridge or baseline, load generator) runs in its own process and the bench can still ask it for
 * counters, CPU time or results.
 *
 * Parent → child: `{ id, type, ...payload }`. Child → parent: `{ id, ok: true, result }` or
 * `{ id, ok: false, error }`; unsolicited messages carry a `type` and no `id` (e.g. `ready`).
 */
export interface IpcRequest {
  id: number;
  type: string;
  [key: string]: unknown;
}

export interface IpcReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface Child {
  readonly process: ChildProcess;
  /** Sends `{ type, ...payload }` and resolves with the child's `result`. */
  request<T>(type: string, payload?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Resolves with the first unsolicited message of that `type`. */
  waitFor<T>(type: string, timeoutMs: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Last lines the child wrote to stderr (for error messages). */
  stderrTail(): string;
}

export function forkChild(modulePath: string, args: readonly string[], options: ForkOptions = {}): Child {
  const child = fork(modulePath, [...args], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], ...options });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const waiters = new Map<string, { resolve(v: unknown): void; reject(e: Error): void }[]>();
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    // Keep only a tail: a chatty child must not grow the bench's own memory.
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    const error = new Error(`${modulePath} exited (${signal ?? code}) ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    for (const list of waiters.values()) for (const w of list) w.reject(error);
    waiters.clear();
  });
  child.on('message', (raw: unknown) => {
    const msg = raw as Partial<IpcReply> & { type?: string };
    if (typeof msg.id === 'number') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'child request failed'));
      return;
    }
    if (typeof msg.type === 'string') {
      const list = waiters.get(msg.type);
      const w = list?.shift();
      w?.resolve(msg);
    }
  });

  return {
    process: child,
    request<T>(type: string, payload: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${modulePath}: no answer to ${type} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ id, type, ...payload });
      });
    },
    waitFor<T>(type: string, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${modulePath}: no ${type} message within ${timeoutMs} ms: ${stderr.trim().slice(-500)}`)), timeoutMs);
        const list = waiters.get(type) ?? [];
        list.push({
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        waiters.set(type, list);
      });
    },
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    stderrTail: () => stderr,
  };
}

/**
 * The child side: answers requests with `handlers[type]`. Unknown types are left alone, so two
 * listeners in one process (the usage probe and the process's own handlers) can share the channel.
 */
export function serveIpc(handlers: Record<string, (req: IpcRequest) => unknown>): void {
  // The bench started this process and talks to it only over IPC: when the bench goes (even
  // killed), so does this process, rather than keeping a port and a core busy as an orphan.
  process.once('disconnect', () => process.exit(0));
  process.on('message', (raw: unknown) => {
    const req = raw as IpcRequest;
    const handler = typeof req?.type === 'string' ? handlers[req.type] : undefined;
    if (!handler || typeof req.id !== 'number') return;
    Promise.resolve()
      .then(() => handler(req))
      .then(
        (result) => process.send?.({ id: req.id, ok: true, result } satisfies IpcReply),
        (error: unknown) => process.send?.({ id: req.id, ok: false, error: (error as Error).message ?? String(error) } satisfies IpcReply),
      );
  });
}
