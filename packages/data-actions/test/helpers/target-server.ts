import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type RequestHandler } from 'express';

/** A request the target received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text. */
  body: string;
}

/**
 * A small HTTP service on 127.0.0.1, port 0, that data actions call in these tests. It is a test
 * target standing in for "some web service", not a Genesys mock: each test mounts the answers it
 * needs, and every request is recorded so tests assert what was actually sent.
 */
export interface TargetServer {
  baseUrl: string;
  received: ReceivedRequest[];
  /** Answers `POST|GET <path>` with this handler (replaces an earlier one). */
  on(method: 'GET' | 'POST', path: string, handler: RequestHandler): void;
  close(): Promise<void>;
}

export async function startTargetServer(): Promise<TargetServer> {
  const app = express();
  const received: ReceivedRequest[] = [];
  const handlers = new Map<string, RequestHandler>();
  app.use(express.text({ type: () => true, limit: '1mb' }));
  app.use((req, res, next) => {
    received.push({
      method: req.method,
      path: req.path,
      headers: req.headers,
      body: typeof req.body === 'string' ? req.body : '',
    });
    const handler = handlers.get(`${req.method} ${req.path}`);
    if (!handler) {
      res.status(404).json({ code: 'not_found', message: `no route ${req.method} ${req.path}` });
      return;
    }
    handler(req, res, next);
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    on: (method, path, handler) => handlers.set(`${method} ${path}`, handler),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
