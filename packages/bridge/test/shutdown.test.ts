import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const bridgeDir = fileURLToPath(new URL('..', import.meta.url));
const API_KEY = 'shutdown-test-api-key-0123456789';

/** The environment of the child: sandbox mode (no GENESYS_*), slow simulated Genesys. */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GENESYS_') && !k.startsWith('BATON_')) env[k] = v;
  return { ...env, PORT: '0', LOG_LEVEL: 'info', BATON_API_KEY: API_KEY, BATON_SANDBOX_LATENCY_MS: '300', BATON_SHUTDOWN_TIMEOUT_MS: '30000' };
}

describe('SIGTERM with requests in flight (child process)', function () {
  this.timeout(60000);
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('stops accepting, answers every in-flight handoff, and exits 0', async () => {
    child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: bridgeDir,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    const banner: string[] = [];
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const listening = new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        if (!line.startsWith('{')) {
          banner.push(line);
          return;
        }
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === 'baton bridge listening') resolve(entry.url as string);
      });
      child!.once('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    const url = await listening;
    // The banner's conversation ids (the seeded scenarios) are what we hand off.
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
    const text = banner.join('\n');
    // The curl line's conversation and the listed scenarios (the chat lines name the deployment, not a conversation).
    const scenarios = text.slice(text.indexOf('Hand off a seeded'));
    const ids = [...new Set(scenarios.match(uuid) ?? [])].slice(0, 4);
    assert.ok(ids.length >= 3, banner.join('\n'));

    const inFlight = ids.map((conversationId) =>
      fetch(`${url}/v1/actions/handoff`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ conversationId }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })),
    );
    // Wait until the bridge has every handoff in hand (its in-flight gauge counts them, plus the
    // /metrics request asking), so SIGTERM cannot race the requests' arrival.
    for (;;) {
      const metrics = await (await fetch(`${url}/metrics`, { headers: { 'x-api-key': API_KEY } })).text();
      const current = Number(/^baton_http_requests_in_flight (\d+)/m.exec(metrics)?.[1] ?? 0);
      if (current >= ids.length + 1) break;
    }

    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    child.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    for (const a of answers) {
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(typeof a.body.status, 'string');
    }
    const [code] = await exited;
    assert.equal(code, 0, stderr);

    const stopping = lines.find((l) => l.msg === 'shutting down: no new connections, finishing in-flight work');
    assert.ok(stopping, JSON.stringify(lines));
    assert.ok((stopping.inFlight as number) >= ids.length, `in flight at SIGTERM: ${String(stopping.inFlight)}`);
    assert.equal(lines.find((l) => l.msg === 'baton bridge stopped')?.drained, true);
    await assert.rejects(fetch(`${url}/healthz`));
  });
});
