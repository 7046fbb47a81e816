import { connect, type Socket } from 'node:net';

/** A raw TCP client for what fetch/supertest cannot do: send half a request, drip a body, hold a connection. */
export interface RawClient {
  socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves once the server closed (or reset) the connection. */
  closed: Promise<void>;
  /** Resolves once `pattern` appears in what was received (rejects if the connection closes first). */
  waitFor(pattern: RegExp): Promise<string>;
  write(data: string | Buffer): void;
  /** Writes one byte every `everyMs` until the connection closes; returns a stop function. */
  drip(everyMs: number): () => void;
  destroy(): void;
}

export async function openRaw(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  let text = '';
  let isClosed = false;
  const waiters = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (const w of waiters) w();
  });
  // A reset (the cap's drop, a destroy mid-write) is a close too.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      for (const w of waiters) w();
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const client: RawClient = {
    socket,
    received: () => text,
    closed,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) {
            waiters.delete(check);
            resolve(text);
          } else if (isClosed) {
            waiters.delete(check);
            reject(new Error(`connection closed before ${String(pattern)}; received: ${JSON.stringify(text.slice(0, 300))}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    write(data) {
      if (!socket.destroyed) socket.write(data);
    },
    drip(everyMs) {
      const timer = setInterval(() => client.write('a'), everyMs);
      void closed.then(() => clearInterval(timer));
      return () => clearInterval(timer);
    },
    destroy: () => socket.destroy(),
  };
  return client;
}

/** Request headers for a POST (JSON unless `headers` names a Content-Type) with a body of `contentLength` bytes still to come. */
export function postHead(path: string, headers: Record<string, string>, contentLength: number): string {
  const lines = [`POST ${path} HTTP/1.1`, 'Host: bridge.test', `Content-Length: ${contentLength}`];
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) lines.push('Content-Type: application/json');
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
