// Run by network-guard.test.ts in its own mocha process (not a *.test.ts: the suite never runs it
// directly): a test whose client swallows the refused connection must still fail.
import net from 'node:net';

describe('network guard fixture', () => {
  it('connects to a non-loopback host and ignores the error', async () => {
    const socket = net.connect(443, '192.0.2.1');
    socket.on('error', () => undefined);
    // The guard reports on the next turn of the event loop: wait for it (still inside this test).
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('a later test is unaffected', () => undefined);
});
