import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tls from 'node:tls';

/**
 * The mocha setup (scripts/mocha-network-guard.cjs, required by .mocharc.base.cjs) refuses every
 * connection outside loopback before it is attempted, so no test can reach a real Genesys host.
 */
interface GuardState {
  installed: boolean;
  expectViolations: number;
  violations: (Error & { code: string; host: string })[];
}
const guard = (globalThis as Record<symbol, unknown>)[Symbol.for('baton.networkGuard')] as GuardState | undefined;

const isGuardError = (host: string) => (error: unknown) => {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const own = e.code === 'ERR_NETWORK_GUARD' ? e : e.cause;
  assert.equal(own?.code, 'ERR_NETWORK_GUARD', String(e.message));
  assert.match(own.message ?? '', new RegExp(`connect to \\[?${host.replace(/\./g, '\\.')}`));
  assert.match(own.message ?? '', /outside loopback/);
  return true;
};

describe('network guard (mocha setup): tests reach loopback only', () => {
  before(function () {
    assert.ok(guard?.installed, 'scripts/mocha-network-guard.cjs is loaded by the mocha config');
  });
  beforeEach(() => {
    guard!.expectViolations += 1;
    guard!.violations.length = 0;
  });
  afterEach(() => {
    guard!.expectViolations -= 1;
    guard!.violations.length = 0;
  });

  it('when a test connects to a non-loopback address, then the connect fails with an error naming the host, before any packet', async () => {
    const socket = net.connect({ host: '192.0.2.1', port: 9 });
    // A real attempt marks the socket `connecting` synchronously; the guard never starts one.
    assert.equal(socket.connecting, false);
    const [error] = (await once(socket, 'error').catch((e: unknown) => [e])) as [unknown];
    isGuardError('192.0.2.1')(error);
    assert.equal(socket.remoteAddress, undefined, 'never connected');
    assert.equal(guard!.violations.length, 1);
  });

  it('every way in is guarded: net.connect(port, host), tls.connect, fetch, an IPv6 address', async () => {
    const plain = net.connect(80, '10.255.255.1');
    assert.equal(plain.connecting, false);
    isGuardError('10.255.255.1')((await once(plain, 'error').catch((e: unknown) => [e]))[0]);

    const secure = tls.connect({ host: '192.0.2.1', port: 443, servername: 'api.mypurecloud.com' });
    isGuardError('192.0.2.1')((await once(secure, 'error').catch((e: unknown) => [e]))[0]);

    await assert.rejects(fetch('http://192.0.2.1:8080/api/v2/routing/queues'), isGuardError('192.0.2.1'));
    await assert.rejects(fetch('http://[2001:db8::1]:8080/'), isGuardError('2001:db8::1'));
    assert.deepEqual(
      guard!.violations.map((v) => v.host),
      ['10.255.255.1', '192.0.2.1', '192.0.2.1', '2001:db8::1'],
    );
  });

  it('loopback passes: 127.0.0.1, another 127/8 address, localhost, ::1 (where bound), fetch and a unix socket', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guard-'));
    const servers: net.Server[] = [];
    const serve = async (...listenArgs: unknown[]) => {
      const server = net.createServer((s) => s.end('hi'));
      servers.push(server);
      const listening = once(server, 'listening');
      (server.listen as (...a: unknown[]) => void)(...listenArgs);
      await listening;
      return server.address();
    };
    const read = async (socket: net.Socket) => {
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      await once(socket, 'end');
      socket.destroy();
      return text;
    };
    const http = createServer((_req, res) => res.end('answered'));
    try {
      const { port } = (await serve(0, '127.0.0.1')) as net.AddressInfo;
      assert.equal(await read(net.connect(port, '127.0.0.1')), 'hi');
      assert.equal(await read(net.connect({ host: 'localhost', port, family: 4 })), 'hi');
      const other = (await serve(0, '127.0.0.2')) as net.AddressInfo;
      assert.equal(await read(net.connect(other.port, '127.0.0.2')), 'hi');
      const socketPath = path.join(dir, 's.sock');
      await serve(socketPath);
      assert.equal(await read(net.connect(socketPath)), 'hi');
      const v6 = (await serve(0, '::1').catch(() => undefined)) as net.AddressInfo | undefined;
      if (v6) assert.equal(await read(net.connect(v6.port, '::1')), 'hi');
      http.listen(0, '127.0.0.1');
      await once(http, 'listening');
      const res = await fetch(`http://localhost:${(http.address() as net.AddressInfo).port}/`);
      assert.equal(await res.text(), 'answered');
      assert.deepEqual(guard!.violations, []);
    } finally {
      http.close();
      for (const server of servers) server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a test swallows the refused connection, then the test still fails, naming the host', async function () {
    this.timeout(60_000);
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    const fixture = path.join(root, 'packages/bridge/test/helpers/network-guard-fixture.ts');
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--config', path.join(root, '.mocharc.base.cjs'), fixture], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const output = run.stdout + run.stderr;
    assert.notEqual(run.status, 0, output);
    // Charged to the test that connected (mocha may also report that test's own late end), not to the next one.
    assert.match(output, /ignores the error:\s+Uncaught NetworkGuardError: Network guard: a test tried to connect to 192\.0\.2\.1:443, outside loopback/, output);
    assert.match(output, /✔ a later test is unaffected/, output);
  });
});
