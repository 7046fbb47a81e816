import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseCliArgs } from '../src/cli.js';
import { connectGuest } from './guest-client.js';
import { fetchToken } from './helpers.js';

const cliPath = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

describe('sandbox CLI', () => {
  it('parses its options and rejects bad values', () => {
    assert.deepEqual(parseCliArgs(['--port', '0', '--seed', '7', '--conversations', '3', '--latency-ms', '10']), {
      port: 0,
      host: '127.0.0.1',
      seed: 7,
      conversations: 3,
      'latency-ms': 10,
      'analytics-lag-ms': 2_000,
      'transfer-delay-ms': 200,
      'agent-answer-delay-ms': 0,
    });
    assert.equal(parseCliArgs(['--analytics-lag-ms', '0'])['analytics-lag-ms'], 0);
    assert.equal(parseCliArgs(['--agent-answer-delay-ms', '1500'])['agent-answer-delay-ms'], 1500);
    assert.equal(parseCliArgs(['--bot', 'support-bot.json']).bot, 'support-bot.json');
    assert.throws(() => parseCliArgs(['--port', 'abc']), /--port/);
    assert.throws(() => parseCliArgs(['--nope', '1']));
  });

  it('when started, then the first stdout line is the JSON {url, clientId, clientSecret, webMessagingUrl, deploymentId} of a working client and Guest API; SIGTERM stops it cleanly', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cliPath, '--port', '0', '--conversations', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const [first] = (await once(lines, 'line')) as [string];
      const info = JSON.parse(first) as { url: string; clientId: string; clientSecret: string; webMessagingUrl: string; deploymentId: string };
      assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(!info.url.endsWith(':0'));
      const token = await fetchToken(info.url, info.clientId, info.clientSecret);
      assert.equal(token.status, 200);
      assert.equal(info.webMessagingUrl, info.url.replace(/^http:/, 'ws:'));
      const guest = await connectGuest(info.webMessagingUrl, info.deploymentId);
      try {
        const session = await guest.configure(info.deploymentId);
        assert.deepEqual([session.class, session.code, session.body.connected], ['SessionResponse', 200, true]);
      } finally {
        await guest.close();
      }
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
