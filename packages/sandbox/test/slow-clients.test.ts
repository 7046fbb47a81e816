import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { createSandbox, SandboxError, type Sandbox } from '../src/index.js';

/** A raw TCP connection to the sandbox: what fetch cannot do (stop mid-request, stay idle). */
async function openRaw(sb: Sandbox): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(sb.url);
  const socket = connect({ host: hostname, port: Number(port) });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => text, closed };
}

/** The ErrorBody of a raw HTTP answer, checked against its status line and correlation header. */
function errorBodyOf(raw: string): { status: number; code: string; message: string; contextId: string } {
  const [head, body] = raw.split('\r\n\r\n', 2) as [string, string];
  const body_ = JSON.parse(body) as ReturnType<typeof errorBodyOf>;
  assert.match(head, new RegExp(`^HTTP/1\\.1 ${body_.status} `));
  assert.equal(/^ININ-Correlation-Id: (.*)$/im.exec(head)?.[1], body_.contextId);
  return body_;
}

describe('sandbox HTTP server: slow clients (raw TCP, small configured limits)', function () {
  // The limits are a few hundred ms; a regression holds the connection for Node's 300 s default.
  this.timeout(20_000);
  let sb: Sandbox;
  const sockets: Socket[] = [];
  before(async () => {
    sb = await createSandbox({ conversations: 0, requestTimeoutMs: 400, headersTimeoutMs: 300, keepAliveTimeoutMs: 300 });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
  });
  after(() => sb.close());

  it('when a body stops short of its Content-Length, then it is answered 408 in the ErrorBody shape and the connection closed', async () => {
    const c = await openRaw(sb);
    sockets.push(c.socket);
    c.socket.write(
      `POST /oauth/token HTTP/1.1\r\nHost: sandbox.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type=cli`,
    );
    await c.closed;
    const body = errorBodyOf(c.received());
    assert.equal(body.status, 408);
    assert.equal(body.code, 'request.timeout');
  });

  it('when the headers never finish, then it is answered 408 in the ErrorBody shape and the connection closed', async () => {
    const c = await openRaw(sb);
    sockets.push(c.socket);
    c.socket.write('GET /api/v2/routing/queues HTTP/1.1\r\nHost: sandbox.test\r\n');
    await c.closed;
    assert.equal(errorBodyOf(c.received()).status, 408);
  });

  it('when a keep-alive connection stays idle, then the sandbox closes it after keepAliveTimeoutMs', async function () {
    // Node's own keep-alive closes at 5 s plus its 1 s buffer (about 6 s); ours (300 ms) at about 1.3 s.
    // A 5 s bound tells them apart and leaves 3.7 s for a loaded CI machine.
    this.timeout(5_000);
    const c = await openRaw(sb);
    sockets.push(c.socket);
    c.socket.write('GET /api/v2/no-such-route HTTP/1.1\r\nHost: sandbox.test\r\n\r\n');
    await c.closed;
    // The request was answered (an ErrorBody 404, nothing to do with the limits), then the idle connection closed.
    assert.equal(errorBodyOf(c.received()).status, 404);
  });

  it('when headersTimeoutMs exceeds requestTimeoutMs, then createSandbox refuses naming the option', async () => {
    await assert.rejects(createSandbox({ requestTimeoutMs: 100, headersTimeoutMs: 200 }), (e: unknown) => {
      assert.ok(e instanceof SandboxError);
      assert.match(e.message, /headersTimeoutMs: must not exceed requestTimeoutMs/);
      return true;
    });
  });
});
