import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { createSandbox, type Sandbox } from '../../src/index.js';
import { guestErrors, MAX_TEXT_LENGTH, TOO_MANY_REQUESTS_CODE } from '../../src/guest/protocol.js';
import { fuzzRuns, FUZZ_SEED } from './fuzz-config.js';

/** Frames per socket; BATON_SANDBOX_FUZZ_RUNS scales it like the HTTP fuzz test's requests per route. */
const RUNS = fuzzRuns(process.env.BATON_SANDBOX_FUZZ_RUNS, 80);
const SOCKETS = 6;

interface Frame {
  type: unknown;
  class: unknown;
  code: unknown;
  body: unknown;
  tracingId?: unknown;
}

/** Error texts the sandbox answers with, each documented (docs/genesys-facts.md#web-messaging-guest-api). */
const DOCUMENTED_ERRORS = new Map<number, string[]>();
for (const e of Object.values(guestErrors)) DOCUMENTED_ERRORS.set(e.code, [...(DOCUMENTED_ERRORS.get(e.code) ?? []), e.body]);

/** What is wrong with one answer frame ([] when nothing): the envelope, and a documented code and text. */
function problemsOf(f: Frame): string[] {
  if (f.type !== 'response' && f.type !== 'message') return [`type ${String(f.type)}`];
  if (typeof f.class !== 'string' || typeof f.code !== 'number') return ['envelope without class or code'];
  if (f.code === 200) return [];
  if (f.code === 429) {
    const body = f.body as { errorCode?: unknown };
    return f.class === 'TooManyRequestsErrorMessage' && body.errorCode === TOO_MANY_REQUESTS_CODE ? [] : ['429 without a TooManyRequestsErrorMessage'];
  }
  const texts = DOCUMENTED_ERRORS.get(f.code);
  if (!texts) return [`undocumented code ${f.code}`];
  if (f.class !== 'string' || !texts.includes(f.body as string)) return [`code ${f.code} with body ${JSON.stringify(f.body)}`];
  return [];
}

/** One socket that records what it receives and whether it closed. */
interface Guest {
  ws: WebSocket;
  token: string;
  frames: Frame[];
  closed: { code: number } | undefined;
}

async function connect(sb: Sandbox): Promise<Guest> {
  const ws = new WebSocket(`${sb.webMessagingUrl}/v1?deploymentId=${sb.deploymentId}`);
  const g: Guest = { ws, token: randomUUID(), frames: [], closed: undefined };
  ws.on('message', (data) => g.frames.push(JSON.parse(String(data)) as Frame));
  ws.on('close', (code) => (g.closed = { code }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return g;
}

/** Waits until a frame matches (the heartbeat that marks the end of one fuzzed frame's answers). */
async function until(g: Guest, match: (f: Frame) => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!g.frames.some(match)) {
    if (g.closed) throw new Error(`socket closed with ${g.closed.code}`);
    if (Date.now() > deadline) throw new Error('no answer in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Frames from wild to nearly valid: wrong actions and types, missing or foreign tokens, long texts, binary. */
function frames(token: string, deploymentId: string): fc.Arbitrary<{ data: string | Buffer; binary: boolean }> {
  const tokens = fc.oneof({ weight: 6, arbitrary: fc.constant<unknown>(token) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, '', null, 5, randomUUID(), ['x'], { t: 1 }, 'x'.repeat(5000)) });
  const deployment = fc.oneof({ weight: 4, arbitrary: fc.constant<unknown>(deploymentId) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, '', randomUUID(), 7, null, deploymentId.toUpperCase()) });
  const text = fc.oneof(
    { weight: 6, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('', '   ', null, 5, ['hi'], { t: 'hi' }, '\u0000', '\ud800') },
    { weight: 1, arbitrary: fc.integer({ min: MAX_TEXT_LENGTH - 2, max: MAX_TEXT_LENGTH + 2000 }).map((n) => 'w'.repeat(n)) },
  );
  const attrs = fc.oneof(
    fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
    fc.constantFrom<unknown>({ big: 'b'.repeat(3000) }, { n: 5 }, [], 'x', null, { __proto__: 'x' }),
  );
  const message = fc.record(
    {
      type: fc.oneof({ weight: 5, arbitrary: fc.constant<unknown>('Text') }, { weight: 2, arbitrary: fc.constantFrom<unknown>('Event', 'Structured', 'text', '', 1, null) }),
      text,
      events: fc.oneof(
        fc.constantFrom<unknown>(
          [{ eventType: 'Typing', typing: { type: 'On' } }],
          [{ eventType: 'Typing', typing: { type: 'On', duration: -1 } }],
          [{ eventType: 'Typing', typing: { type: 'Off' } }],
          [{ eventType: 'Presence', presence: { type: 'Join' } }],
          [{ eventType: 'Presence', presence: { type: 'Disconnect' } }],
          [{ eventType: 'Presence' }],
          [],
          [{}],
          'Typing',
          [{ eventType: 'Typing', typing: { type: 'On' } }, { eventType: 'Presence', presence: { type: 'Join' } }],
        ),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      metadata: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }), fc.constantFrom<unknown>(null, { n: 1 })),
      channel: fc.oneof(attrs.map((customAttributes) => ({ metadata: { customAttributes } })), fc.constantFrom<unknown>(null, 'x', { metadata: 'x' })),
    },
    { requiredKeys: ['type'] },
  );
  const request = fc.record(
    {
      action: fc.oneof({ weight: 6, arbitrary: fc.constantFrom<unknown>('configureSession', 'onMessage', 'onMessage', 'onMessage', 'echo', 'closeSession') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('getJwt', 'ConfigureSession', '', null, 3, 'onAttachment', '__proto__') }),
      token: tokens,
      deploymentId: deployment,
      startNew: fc.constantFrom<unknown>(true, false, 'yes', undefined),
      message,
      channel: fc.oneof(attrs.map((customAttributes) => ({ metadata: { customAttributes } })), fc.constant<unknown>(undefined)),
      tracingId: fc.oneof(fc.uuid(), fc.constantFrom<unknown>(5, null, '', undefined)),
      closeAllConnections: fc.constantFrom<unknown>(false, 'true', undefined),
    },
    { requiredKeys: ['action'] },
  );
  return fc.oneof(
    { weight: 12, arbitrary: request.map((r) => ({ data: JSON.stringify(r), binary: false })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ data: JSON.stringify(v), binary: false })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }).map((s) => ({ data: s, binary: false })) },
    { weight: 1, arbitrary: request.map((r) => ({ data: JSON.stringify(r).slice(0, -1), binary: false })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({ data: Buffer.from(b), binary: true })) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '{}', '"configureSession"', '{"__proto__":{"action":"echo"}}', '['.repeat(5000) + ']'.repeat(5000)).map((s) => ({ data: s, binary: false })) },
  );
}

function parsed(data: string | Buffer): { action?: unknown; token?: unknown } | undefined {
  try {
    const v = JSON.parse(String(data)) as unknown;
    return typeof v === 'object' && v !== null ? (v as { action?: unknown; token?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

describe('fuzzing the Guest API WebSocket (fast-check, real sockets)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  before(async () => {
    sb = await createSandbox({ conversations: 0 });
  });
  after(() => sb?.close());

  it(`${SOCKETS} sockets × ${RUNS} random frames: each answered with a documented frame, no socket dropped, the server keeps serving`, async () => {
    const failures: string[] = [];
    const codes: Record<number, number> = {};
    await Promise.all(
      Array.from({ length: SOCKETS }, async (_, i) => {
        const g = await connect(sb);
        const samples = fc.sample(frames(g.token, sb.deploymentId), { numRuns: RUNS, seed: FUZZ_SEED + i });
        // The token this socket's session was last configured with: a socket configured under another
        // token has moved to that session, and messages pushed to its old one no longer reach it.
        let configured: unknown;
        for (const sample of samples) {
          g.frames.length = 0;
          g.ws.send(sample.data, { binary: sample.binary });
          // A heartbeat after each frame: every answer to the fuzzed frame arrives before the heartbeat's.
          const mark = randomUUID();
          g.ws.send(JSON.stringify({ action: 'echo', token: g.token, tracingId: mark, message: { type: 'Text', text: 'ping' } }));
          try {
            await until(g, (f) => f.tracingId === mark);
          } catch (e) {
            failures.push(`${(e as Error).message} after ${String(sample.data).slice(0, 300)}`);
            return;
          }
          const answers = g.frames.filter((f) => f.tracingId !== mark);
          const request = parsed(sample.data);
          if (request?.action === 'configureSession' && answers.some((f) => f.class === 'SessionResponse' && f.code === 200)) configured = request.token;
          // Every frame gets an answer on its own socket: a response, or the Inbound echo of what it
          // sent (which goes to the sockets of the session the frame names).
          const pushedElsewhere = request?.action === 'onMessage' && request.token !== configured;
          if (answers.length === 0 && !pushedElsewhere) failures.push(`no answer to ${String(sample.data).slice(0, 300)}`);
          for (const f of answers) {
            codes[f.code as number] = (codes[f.code as number] ?? 0) + 1;
            const problems = problemsOf(f);
            if (problems.length > 0 && failures.length < 10) failures.push(`${problems.join(', ')}: ${String(sample.data).slice(0, 300)} -> ${JSON.stringify(f).slice(0, 300)}`);
          }
        }
        g.ws.close();
      }),
    );
    assert.deepEqual(failures, [], `seed ${FUZZ_SEED}`);
    // The fuzzer reached the handlers: sessions configured, messages delivered, frames refused.
    assert.ok((codes[200] ?? 0) > 0 && (codes[400] ?? 0) > 0, JSON.stringify(codes));

    const after = await connect(sb);
    after.ws.send(JSON.stringify({ action: 'configureSession', token: after.token, deploymentId: sb.deploymentId }));
    await until(after, (f) => f.class === 'SessionResponse');
    assert.equal(after.frames[0]?.code, 200);
    after.ws.close();
  });

  it(`${RUNS} upgrade requests with odd targets and headers: each answered with a status line, the server keeps serving`, async () => {
    const target = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('/v1', '/v1?deploymentId=', '/v1?deploymentId=%', '/v1?%%', '/v1?deploymentId=a&deploymentId=b', '/v2', '/', '*', '//v1', '/v1/', '/V1', 'http://[', 'http://x/v1', 'http://x:99999/v1', '/v1#x', '/%E0%A4%A', '/v1?deploymentId=' + 'd'.repeat(8000)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((t) => '/' + encodeURIComponent(t)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }).filter((t) => /^[\x21-\x7e]*$/.test(t)) },
    );
    // Mostly a real upgrade (Node hands it to the Guest API only with both headers), sometimes not.
    const upgrade = ['Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'];
    const extras = fc.subarray(['Sec-WebSocket-Version: 99', 'Sec-WebSocket-Key: x', 'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99', 'Sec-WebSocket-Protocol: ,,,']);
    const headers = fc.oneof({ weight: 4, arbitrary: extras.map((e) => [...upgrade, ...e]) }, { weight: 1, arbitrary: fc.subarray([...upgrade], { minLength: 1 }) });
    const method = fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD', 'OPTIONS');
    const samples = fc.sample(fc.record({ target, headers, method }), { numRuns: RUNS, seed: FUZZ_SEED + 99 });
    const statusLine = (raw: string): Promise<string> =>
      new Promise((resolve) => {
        const s = connectTcp(sb.port, '127.0.0.1', () => s.write(raw));
        let out = '';
        const done = () => resolve(out.split('\r\n')[0] ?? '');
        s.on('data', (d: Buffer) => {
          out += d.toString('latin1');
          // An accepted upgrade stays open: the status line is all this test needs.
          if (out.includes('\r\n')) s.destroy();
        });
        s.on('close', done);
        s.on('error', done);
      });
    const failures: string[] = [];
    for (const { target: t, headers: h, method: m } of samples) {
      const line = await statusLine(`${m} ${t} HTTP/1.1\r\nHost: x\r\n${h.join('\r\n')}\r\n\r\n`);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(line)?.[1] ?? 0);
      if (status === 0 || status >= 500) failures.push(`${m} ${t.slice(0, 100)} [${h.join('; ')}] -> ${JSON.stringify(line)}`);
    }
    assert.deepEqual(failures.slice(0, 10), [], `seed ${FUZZ_SEED}`);
    const after = await connect(sb);
    after.ws.send(JSON.stringify({ action: 'configureSession', token: after.token, deploymentId: sb.deploymentId }));
    await until(after, (f) => f.class === 'SessionResponse');
    after.ws.close();
  });
});
