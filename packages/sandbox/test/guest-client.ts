import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';

/** A server → guest frame, as parsed from the socket. */
export interface WireFrame {
  type: string;
  class: string;
  code: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- frames are checked field by field in the tests
  tracingId?: string;
}

/** A minimal Guest API client over a real WebSocket: raw frames in, raw requests out. */
export interface GuestClient {
  readonly token: string;
  readonly ws: WebSocket;
  send(request: Record<string, unknown>): void;
  /** The next frame matching `match` (frames that do not match stay queued). */
  next(match?: (f: WireFrame) => boolean, timeoutMs?: number): Promise<WireFrame>;
  /** Frames received and not yet taken. */
  pending(): WireFrame[];
  configure(deploymentId: string, extra?: Record<string, unknown>): Promise<WireFrame>;
  sendText(text: string, extra?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function connectGuest(webMessagingUrl: string, deploymentId: string, token: string = randomUUID()): Promise<GuestClient> {
  const ws = new WebSocket(`${webMessagingUrl}/v1?deploymentId=${encodeURIComponent(deploymentId)}`);
  const queue: WireFrame[] = [];
  const waiters: { match: (f: WireFrame) => boolean; resolve: (f: WireFrame) => void }[] = [];
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as WireFrame;
    const i = waiters.findIndex((w) => w.match(f));
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(f);
    else queue.push(f);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const client: GuestClient = {
    token,
    ws,
    send: (request) => ws.send(JSON.stringify(request)),
    next(match = () => true, timeoutMs = 5000) {
      const i = queue.findIndex(match);
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0] as WireFrame);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (f: WireFrame) => {
            clearTimeout(timer);
            resolve(f);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching frame within ${timeoutMs} ms; queued: ${JSON.stringify(queue)}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    pending: () => queue.slice(),
    configure(dep, extra = {}) {
      client.send({ action: 'configureSession', token, deploymentId: dep, ...extra });
      return client.next((f) => f.type === 'response');
    },
    sendText(text, extra = {}) {
      client.send({ action: 'onMessage', token, message: { type: 'Text', text }, ...extra });
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.close();
      await closed;
    },
  };
  return client;
}

/** The next StructuredMessage pushed (type `message`) with this direction. */
export const structured =
  (direction: 'Inbound' | 'Outbound', type?: 'Text' | 'Event') =>
  (f: WireFrame): boolean =>
    f.type === 'message' && f.class === 'StructuredMessage' && f.body?.direction === direction && (type === undefined || f.body?.type === type);
