import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpSeam, type HttpSeam } from '../../src/genesys/http.js';

/**
 * The pooled seam sends Platform API calls through undici's dispatcher API instead of fetch (for
 * CPU, see http.ts). These pin what the call runner relied on fetch for, so the switch stays
 * invisible: header lookup, body decoding, error answers, redirects, a discarded body.
 */
describe('the pooled Platform API transport (HttpSeam.request)', () => {
  let server: Server;
  let base: string;
  let seam: HttpSeam;
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let handle: (req: IncomingMessage, res: ServerResponse) => void;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        handle(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    seen.length = 0;
    seam = createHttpSeam();
  });
  afterEach(() => seam.close());
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (path: string, init: { method?: string; body?: string } = {}) =>
    seam.request(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: 'Bearer t', accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: new AbortController().signal,
    });

  it('when an answer repeats a header, then headers.get joins the values as fetch does, under any case', async () => {
    handle = (_req, res) => {
      res.setHeader('ININ-Correlation-Id', 'ctx-1');
      res.setHeader('X-Multi', ['a', 'b']);
      res.end('{}');
    };
    const answer = await send('/h');
    assert.equal(answer.status, 200);
    assert.equal(answer.ok, true);
    assert.equal(answer.headers.get('inin-correlation-id'), 'ctx-1');
    assert.equal(answer.headers.get('ININ-Correlation-Id'), 'ctx-1');
    assert.equal(answer.headers.get('x-multi'), 'a, b');
    assert.equal(answer.headers.get('retry-after'), null);
    await answer.text();
  });

  it('when the body starts with a UTF-8 BOM, then text() drops it, as Response.text() does', async () => {
    handle = (_req, res) => res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"Zoë"}', 'utf8')]));
    const answer = await send('/bom');
    assert.equal(await answer.text(), '{"name":"Zoë"}');
  });

  it('when Genesys answers 4xx, then it is a response (not an error) and its body is readable', async () => {
    handle = (_req, res) => {
      res.statusCode = 429;
      res.setHeader('Retry-After', '3');
      res.end('{"message":"slow down"}');
    };
    const answer = await send('/limited');
    assert.equal(answer.ok, false);
    assert.equal(answer.status, 429);
    assert.equal(answer.headers.get('retry-after'), '3');
    assert.equal(await answer.text(), '{"message":"slow down"}');
  });

  it('when the answer is redirected (307), then the request is repeated there with its method and body, as fetch follows it', async () => {
    handle = (req, res) => {
      if (req.url === '/old') {
        res.statusCode = 307;
        res.setHeader('Location', '/new');
        res.end();
        return;
      }
      res.end('{"moved":true}');
    };
    const answer = await send('/old', { method: 'POST', body: '{"a":1}' });
    assert.equal(await answer.text(), '{"moved":true}');
    assert.deepEqual(
      seen.map((r) => [r.method, r.url, r.body]),
      [
        ['POST', '/old', '{"a":1}'],
        ['POST', '/new', '{"a":1}'],
      ],
    );
    assert.equal(seen[1]?.headers.authorization, 'Bearer t', 'same origin: the token goes along, as with fetch');
  });

  it('asks for an uncompressed answer, and cancel() discards a body nobody reads', async () => {
    handle = (_req, res) => res.end('{"ignored":true}');
    const first = await send('/a', { method: 'POST', body: '{}' });
    await first.body?.cancel();
    assert.equal(seen[0]?.headers['accept-encoding'], 'identity');
    assert.equal(seen[0]?.headers['content-type'], 'application/json');
    assert.equal(seen[0]?.body, '{}');
    const second = await send('/b');
    assert.equal(await second.text(), '{"ignored":true}');
  });
});
