import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

/** The security headers every answer carries (helmet's defaults, as the bridge has always sent them). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Headers Node's HTTP server adds on its own, whatever the app does. */
const SERVER_HEADERS = new Set(['connection', 'date', 'keep-alive']);

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Socket writes the server made for this answer, by kind. */
  writes: { write: number; writev: number };
}

/** One request on a fresh connection, counting the server's socket writes for its answer. */
async function send(h: Harness, method: string, path: string, body?: unknown): Promise<Answer> {
  const writes = { write: 0, writev: 0 };
  const onConnection = (socket: Socket) => {
    const s = socket as Socket & { _write: (...a: unknown[]) => void; _writev?: (...a: unknown[]) => void };
    const write = s._write.bind(s);
    s._write = (...a: unknown[]) => {
      writes.write += 1;
      write(...a);
    };
    const writev = s._writev?.bind(s);
    if (writev) {
      s._writev = (...a: unknown[]) => {
        writes.writev += 1;
        writev(...a);
      };
    }
  };
  h.server.server.once('connection', onConnection);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const { hostname, port } = new URL(h.url);
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port: Number(port),
        method,
        path,
        agent: false,
        headers: { 'x-api-key': CREDS.apiKey, ...(text !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8'), writes });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

function assertJsonAnswer(a: Answer, extra: Record<string, string> = {}) {
  const expected: Record<string, string> = {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(a.body)),
    'x-request-id': a.headers['x-request-id'] ?? '(missing)',
    ...extra,
  };
  assert.match(a.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
  const got = Object.fromEntries(Object.entries(a.headers).filter(([k]) => !SERVER_HEADERS.has(k)));
  assert.deepEqual(got, expected);
  assert.doesNotThrow(() => JSON.parse(a.body));
}

describe('answer headers and writes (real bridge, sandbox org)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('when a handoff succeeds, then its JSON answer has the same headers as ever and leaves in one socket write', async () => {
    const a = await send(h, 'POST', '/v1/actions/handoff', { conversationId: h.sandbox.scenarios.lowConfidence });
    assert.equal(a.status, 200);
    assert.equal((JSON.parse(a.body) as { status: string }).status, 'ready_for_transfer');
    assertJsonAnswer(a);
    // Headers and body in one string: no writev of a header part and a Buffer body.
    assert.deepEqual(a.writes, { write: 1, writev: 0 });
  });

  it('when a request fails validation, then the error edge answers with the same headers in one socket write', async () => {
    const a = await send(h, 'POST', '/v1/actions/handoff', { conversationId: 42 });
    assert.equal(a.status, 400);
    assert.equal((JSON.parse(a.body) as { code: string }).code, 'validation_failed');
    assertJsonAnswer(a);
    assert.deepEqual(a.writes, { write: 1, writev: 0 });
  });

  it('when the method is wrong, then 405 keeps its Allow header; an unknown route is a JSON 404', async () => {
    const wrong = await send(h, 'GET', '/v1/actions/handoff');
    assert.equal(wrong.status, 405);
    assertJsonAnswer(wrong, { allow: 'POST' });
    const unknown = await send(h, 'GET', '/nope');
    assert.equal(unknown.status, 404);
    assert.deepEqual(JSON.parse(unknown.body), { code: 'not_found', message: 'No route GET /nope.' });
    assertJsonAnswer(unknown);
  });

  it('when an open route answers (health), then it carries the security headers too', async () => {
    const a = await send(h, 'GET', '/healthz');
    assert.equal(a.status, 200);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) assert.equal(a.headers[name], value, name);
  });

  it('when a HEAD request fails, then the answer has the headers and no body', async () => {
    const a = await send(h, 'HEAD', '/nope');
    assert.equal(a.status, 404);
    assert.equal(a.body, '');
    assert.equal(a.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(a.headers['x-content-type-options'], 'nosniff');
  });
});
