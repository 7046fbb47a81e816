import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { InFlight } from './in-flight.js';
import type { Logger } from './logger.js';

export interface StartServerOptions {
  app: Express;
  port: number;
  host: string;
  logger: Logger;
  /**
   * Keep-alive timeout. Genesys reports a keep-alive connection the server closed under it as
   * "500 Connection reset" (docs/genesys-facts.md#keep-alive-and-connection-reset), so it must outlast any
   * idle timeout in front of the bridge.
   */
  keepAliveTimeoutMs?: number;
  /**
   * Longest a request may take to arrive, headers and body (BridgeConfig.server.requestTimeoutMs:
   * the deadline plus a margin). A client dripping its body is answered 408 and disconnected then,
   * also while shutting down. Default 300000 (Node's own).
   */
  requestTimeoutMs?: number;
  /** Connections open at once; more are closed as they arrive. Default: no limit. */
  maxConnections?: number;
  /** Called for each connection closed because of `maxConnections` (for a metric). */
  onConnectionDropped?: () => void;
}

export interface RunningServer {
  server: Server;
  /** `http://host:port` (host as bound; `0.0.0.0` shown as 127.0.0.1). */
  url: string;
  port: number;
  /**
   * Graceful stop: stop accepting connections, wait for `inFlight` to drain (at most `timeoutMs`),
   * then close every connection. Resolves with whether the drain finished in time.
   */
  shutdown(options: { inFlight: InFlight; timeoutMs: number; beforeClose?: () => void }): Promise<{ drained: boolean }>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const requestTimeout = options.requestTimeoutMs ?? 300_000;
  const keepAlive = options.keepAliveTimeoutMs ?? 65000;
  const server = createServer({
    requestTimeout,
    // Node only enforces requestTimeout/headersTimeout when it sweeps its connections (every 30 s by
    // default), which would let a slow client overstay a short bound by up to that much.
    connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(requestTimeout / 4))),
    // Slow headers are bounded like a slow body. Since Node 18 headersTimeout no longer runs on an
    // idle keep-alive connection, so it need not exceed keepAliveTimeout (slow-clients.test checks).
    headersTimeout: Math.min(requestTimeout, keepAlive + 5000),
  });
  const receiving = trackReceiving(server);
  server.on('request', options.app);
  server.keepAliveTimeout = keepAlive;
  if (options.maxConnections !== undefined) server.maxConnections = options.maxConnections;
  server.on('drop', () => options.onConnectionDropped?.());

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  const url = `http://${address.family === 'IPv6' && shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;

  let stopping: Promise<{ drained: boolean }> | undefined;
  return {
    server,
    url,
    port: address.port,
    shutdown({ inFlight, timeoutMs, beforeClose }) {
      stopping ??= (async () => {
        beforeClose?.();
        // close() also stops Node's request-timeout sweep, so from here the bound is ours to enforce.
        const stopBounding = receiving.enforce(requestTimeout);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Idle keep-alive connections would otherwise hold close() open until their timeout.
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          inFlight.drain().then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
          }),
        ]);
        clearTimeout(timer);
        if (!drained) options.logger.warn({ inFlight: inFlight.size }, 'shutdown timeout: closing with work still in flight');
        server.closeAllConnections();
        stopBounding();
        await closed;
        return { drained };
      })();
      return stopping;
    },
  };
}

/**
 * Requests whose body is still arriving, with when their headers arrived. Node stops answering
 * slow requests 408 once `server.close()` is called, and each such request counts as in flight, so
 * without this a client dripping its body would hold a shutdown for the whole shutdown timeout.
 */
function trackReceiving(server: Server) {
  const receiving = new Map<IncomingMessage, { res: ServerResponse; since: number }>();
  let bound: ((req: IncomingMessage) => void) | undefined;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.complete) return;
    receiving.set(req, { res, since: Date.now() });
    const done = () => receiving.delete(req);
    req.once('end', done);
    req.once('close', done);
    bound?.(req);
  });
  const timers = new Set<NodeJS.Timeout>();
  return {
    /** From now until the returned function is called, cuts off each request still arriving `timeoutMs` after its headers. */
    enforce(timeoutMs: number): () => void {
      bound = (req) => {
        const entry = receiving.get(req);
        if (!entry) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          // `complete`: the whole request is in (the handler may still be working on it).
          if (!receiving.has(req) || req.complete) return;
          // What Node itself answers (408, then close); the request never reached a handler's logic.
          if (!entry.res.headersSent) entry.res.writeHead(408, { Connection: 'close', 'Content-Type': 'application/json' });
          entry.res.end(JSON.stringify({ code: 'request_timeout', message: `The request did not arrive within ${timeoutMs} ms.` }));
          req.socket.destroy();
        }, Math.max(0, entry.since + timeoutMs - Date.now()));
        timers.add(timer);
      };
      for (const req of receiving.keys()) bound(req);
      return () => {
        bound = undefined;
        for (const t of timers) clearTimeout(t);
        timers.clear();
      };
    },
  };
}
