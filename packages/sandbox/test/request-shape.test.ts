import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fetchToken } from './helpers.js';

/**
 * Regression tests for request shapes the fuzz tests (test/fuzz/) found answered with a 5xx, an
 * empty body or an unnamed field. Each asserts the Genesys ErrorBody a client gets instead.
 */

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request with the path and body exactly as given (fetch would normalise the path). */
function raw(sb: Sandbox, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Raw> {
  const url = new URL(sb.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function errorBody(r: Raw): { message: string; code: string; status: number; contextId: string; details: { fieldName?: string }[] } {
  const body = JSON.parse(r.text) as ReturnType<typeof errorBody>;
  assert.equal(body.status, r.status);
  assert.equal(body.contextId, r.headers['inin-correlation-id']);
  return body;
}

describe('request shapes that once answered 5xx or named no field', () => {
  let sb: Sandbox;
  let auth: Record<string, string>;
  before(async () => {
    sb = await createSandbox({});
    auth = { authorization: `Bearer ${(await fetchToken(sb.url, sb.clientId, sb.clientSecret)).body.access_token}` };
  });
  after(() => sb.close());

  it('when a path parameter is not valid percent-encoding, then 400 names that parameter (was 500)', async () => {
    const r = await raw(sb, 'GET', '/api/v2/routing/queues/%E0%A4%A', auth);
    assert.equal(r.status, 400);
    const body = errorBody(r);
    assert.equal(body.details[0]?.fieldName, 'queueId');
    assert.match(body.message, /queueId/);

    const second = await raw(sb, 'POST', `/api/v2/conversations/${sb.scenarios.lowConfidence}/participants/%ZZ/replace/queue`, { ...auth, 'content-type': 'application/json' }, '{}');
    assert.equal(second.status, 400);
    assert.equal(errorBody(second).details[0]?.fieldName, 'participantId');
  });

  it('when a body does not inflate as its Content-Encoding says, then 400 names the body (was 500)', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const r = await raw(sb, 'POST', `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}/messages/bulk`, { ...auth, 'content-type': 'application/json', 'content-encoding': encoding }, '[]');
      assert.equal(r.status, 400, `${encoding}: ${r.text}`);
      const body = errorBody(r);
      assert.equal(body.details[0]?.fieldName, 'body');
    }
    // A body that does inflate still works.
    const ok = await raw(sb, 'POST', `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}/messages/bulk`, { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('[]'));
    assert.equal(ok.status, 200, ok.text);
  });

  it('when /oauth/token gets a body that does not inflate, then login answers invalid_request in the OAuth shape (was 500)', async () => {
    const basic = `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`;
    const r = await raw(sb, 'POST', '/oauth/token', { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, 'grant_type=client_credentials');
    assert.equal(r.status, 400);
    const body = JSON.parse(r.text) as { error: string; error_description: string };
    assert.equal(body.error, 'invalid_request');
    assert.match(body.error_description, /body/);
  });

  it("when a scripted fault answers /oauth/token, then it keeps its status and Retry-After (login's body-error handler leaves the guard's answers alone)", async () => {
    const remove = sb.faults.add({ route: 'postToken', kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 });
    try {
      const basic = `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`;
      const r = await raw(sb, 'POST', '/oauth/token', { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials');
      assert.equal(r.status, 429);
      assert.equal(r.headers['retry-after'], '2');
      assert.equal(errorBody(r).code, 'too.many.requests.retry.after');
    } finally {
      remove();
    }
  });

  it('when the details query body is not an object, then 400 names the body (the field name was empty)', async () => {
    const r = await raw(sb, 'POST', '/api/v2/analytics/conversations/details/query', { ...auth, 'content-type': 'application/json' }, '[]');
    assert.equal(r.status, 400);
    const body = errorBody(r);
    assert.equal(body.details[0]?.fieldName, 'body');
    assert.match(body.message, /^Invalid value for body:/);
  });

  it('when the request line is over the header limit, then 431 comes with an ErrorBody (was an empty body), and the org keeps serving', async () => {
    const r = await raw(sb, 'GET', `/api/v2/conversations/${'y'.repeat(17_000)}`, auth);
    assert.equal(r.status, 431);
    const body = errorBody(r);
    assert.equal(body.code, 'request.header.fields.too.large');
    const after = await raw(sb, 'GET', `/api/v2/conversations/${sb.scenarios.lowConfidence}`, auth);
    assert.equal(after.status, 200);
  });

  it('when no route matches, then the 404 says so in one sentence', async () => {
    const r = await raw(sb, 'DELETE', '/api/v2/conversations/x', auth);
    assert.equal(r.status, 404);
    assert.equal(errorBody(r).message, 'No resource at DELETE /api/v2/conversations/x; the sandbox emulates only the routes in its README.');
  });
});

describe('Guest API frames the sandbox fails on', () => {
  it('when handling a frame throws, then the guest gets 400 "Request failed." and the sandbox keeps serving (the exception was uncaught and ended the process)', async () => {
    const { connectGuest } = await import('./guest-client.js');
    const sb = await createSandbox({});
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const g = await connectGuest(sb.webMessagingUrl, sb.deploymentId);
      assert.equal((await g.configure(sb.deploymentId)).code, 200);
      // Any defect of the org's state while a frame is handled stands in here.
      const org = sb.org as unknown as { startGuestConversation: () => never };
      org.startGuestConversation = () => {
        throw new Error('org state broke');
      };
      g.sendText('hello');
      const answer = await g.next((f) => f.type === 'response');
      assert.equal(answer.code, 400);
      assert.equal(answer.body, 'Request failed.');
      await new Promise((r) => setImmediate(r));
      assert.ok(warnings.some((w) => w.includes('org state broke')), JSON.stringify(warnings));
      const other = await connectGuest(sb.webMessagingUrl, sb.deploymentId);
      assert.equal((await other.configure(sb.deploymentId)).code, 200);
      await g.close();
      await other.close();
    } finally {
      process.off('warning', onWarning);
      await sb.close();
    }
  });
});

describe('Guest API upgrade requests with odd targets', () => {
  it('when an upgrade request target is not a URL (http://[), then it is refused with 400 and the sandbox keeps serving (the exception ended the process)', async () => {
    const { connect } = await import('node:net');
    const sb = await createSandbox({});
    try {
      const upgrade = (target: string): Promise<string> =>
        new Promise((resolve) => {
          const s = connect(sb.port, '127.0.0.1', () =>
            s.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`),
          );
          let out = '';
          s.on('data', (d: Buffer) => (out += d.toString('latin1')));
          s.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
          s.on('error', () => resolve(out.split('\r\n')[0] ?? ''));
        });
      assert.equal(await upgrade('http://['), 'HTTP/1.1 400 Bad Request');
      assert.equal(await upgrade('*'), 'HTTP/1.1 404 Not Found');
      const alive = await fetch(`${sb.url}/api/v2/routing/queues`);
      assert.equal(alive.status, 401);
    } finally {
      await sb.close();
    }
  });
});
