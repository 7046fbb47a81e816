import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The logger's own stdout destination is buffered (lean-bridge issue): a line must still reach
// stdout while the process idles, and a line logged just before exit must not be lost.
const loggerModule = fileURLToPath(new URL('../dist/src/logger.js', import.meta.url));

/** Runs `body` in a child that has `createLogger` as `log`; resolves with the lines seen before `until` says stop. */
function runChild(body: string, until: (lines: string[]) => boolean): Promise<{ lines: string[]; code: number | null }> {
  const script = `import { createLogger } from ${JSON.stringify(loggerModule)};\nconst log = createLogger({ level: 'info', secrets: ['s3cret-value'] });\n${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const lines = () => out.split('\n').filter((l) => l !== '');
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (until(lines())) child.kill('SIGKILL');
    });
    // A line that never comes must fail the test, not leave the child (and mocha) running.
    const guard = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(guard);
      resolve({ lines: lines(), code });
    });
  });
}

describe('log lines on stdout', function () {
  // A child Node process starts in well under a second, but in many seconds on a saturated machine.
  this.timeout(30_000);
  it('when one line is logged and the process then idles, then the line reaches stdout without waiting for more lines or the exit', async () => {
    const { lines } = await runChild(`log.info({ n: 1, key: 's3cret-value' }, 'one line');\nsetInterval(() => {}, 1000);`, (l) => l.length >= 1);
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0]!) as { msg: string; n: number; key: string };
    assert.equal(line.msg, 'one line');
    assert.equal(line.n, 1);
    assert.ok(!lines[0]!.includes('s3cret-value'), 'the secret is redacted');
  });

  it('when lines are logged just before process.exit, then every one is written, in order', async () => {
    // Many 4 KB batches, with libuv's thread pool kept busy (4 slow key derivations): an asynchronous
    // destination's first batch then waits in the pool while the exit flush writes the rest, so
    // lines came out of order or were lost (seen in CI on a loaded machine; certain here).
    const busyPool = `const { pbkdf2 } = await import('node:crypto');\nfor (let k = 0; k < 4; k++) pbkdf2('x', 'y', 1_000_000, 32, 'sha256', () => {});\n`;
    const { lines, code } = await runChild(`${busyPool}for (let i = 0; i < 2000; i++) log.info({ i }, 'before exit');\nprocess.exit(3);`, () => false);
    assert.equal(code, 3);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { i: number }).i), Array.from({ length: 2000 }, (_, i) => i));
  });
});
