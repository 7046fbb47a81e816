import { createServer, type Server } from 'node:http';
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
  const server = createServer(options.app);
  const keepAlive = options.keepAliveTimeoutMs ?? 65000;
  server.keepAliveTimeout = keepAlive;
  // headersTimeout must exceed keepAliveTimeout, or Node drops the connection first.
  server.headersTimeout = keepAlive + 5000;
  server.requestTimeout = Math.max(server.requestTimeout, keepAlive + 10000);

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
        await closed;
        return { drained };
      })();
      return stopping;
    },
  };
}
