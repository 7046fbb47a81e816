import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli } from '../src/commands/program.js';
import type { StopSignal } from '../src/commands/io.js';
import { captureIo } from './helpers/cli-io.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const bridgeCli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
/** tsx by path: the child runs in the suite's own directory, where `--import tsx` would not resolve. */
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Answers at once on the sandbox: it passes before the stop. */
const QUICK = `name: quick
steps:
  - say: where is my order 5551234
  - expectBot: { contains: Order 5551234 is on its way }
`;
/** Waits for a reply the bot never gives, far longer than this test's timeout: only a stop ends it. */
const WAITS_LONG = `name: waits long
steps:
  - say: where is my order 5551234
  - expectBot: { contains: a reply the bot never gives }
    timeoutMs: 600000
  - say: still there?
`;

async function suite(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-stop-'));
  await writeFile(path.join(dir, 'a-quick.conversation.yaml'), QUICK);
  await writeFile(path.join(dir, 'b-waits-long.conversation.yaml'), WAITS_LONG);
  return dir;
}

/** The environment of a child in sandbox mode (no GENESYS_* or BATON_* from the caller's). */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('GENESYS_') && !k.startsWith('BATON_')) env[k] = v;
  return { ...env, LOG_LEVEL: 'silent' };
}

function assertStoppedReport(out: string, junit: string): void {
  assert.match(out, /^✓ a-quick\.conversation\.yaml:1 › quick /m, out);
  assert.match(out, /^○ b-waits-long\.conversation\.yaml:1 › waits long \(3 steps, [23] skipped, \d+ ms\) cancelled$/m, out);
  assert.match(out, /b-waits-long\.conversation\.yaml:4: step 2 expectBot skipped: cancelled/, out);
  assert.match(out, /b-waits-long\.conversation\.yaml:6: step 3 say skipped: cancelled/, out);
  assert.match(out, /conversations: 1 passed, 0 failed, 1 cancelled/, out);
  // The JUnit file covers what ran: the quick one passed, the cancelled one skipped (not failed).
  assert.match(junit, /<testsuites name="baton test" tests="2" failures="0" errors="0" skipped="1">/);
  assert.match(junit, /<testcase classname="b-waits-long\.conversation\.yaml" name="waits long"[^>]*>\s*<skipped message="[23] step\(s\) not checked: [^"]*skipped: cancelled/);
  assert.doesNotMatch(junit, /<testcase classname="a-quick[^>]*>\s*<(skipped|failure)/);
}

describe('baton test stopped by a signal', function () {
  this.timeout(90_000);
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('when Ctrl-C (SIGINT) comes mid-scenario, then the running one is cancelled, the report and JUnit file cover what ran, and it exits 130 (child process)', async () => {
    const dir = await suite();
    child = spawn(
      process.execPath,
      ['--conditions=source', '--import', tsx, bridgeCli, 'test', '*.conversation.yaml', '--junit', 'report.xml', '--concurrency', '1'],
      { cwd: dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    // The quick scenario reported: the long one is next (running, or about to: either way cancelled).
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/^✓ a-quick/m.test(out)) resolve();
      });
      void exited.then(([code]) => reject(new Error(`exited early (${code}): ${out}${err}`)));
    });
    // Most likely mid-wait by then (the report allows either; nothing here is timed).
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGINT');
    const [code, signal] = await exited;
    assert.equal(signal, null, 'exits by itself, not killed by the signal');
    assert.equal(code, 130, out + err);
    assert.match(err, /baton: stopped by SIGINT: 1 scenario\(s\) cancelled/);
    assertStoppedReport(out, await readFile(path.join(dir, 'report.xml'), 'utf8'));
  });

  it('when SIGTERM comes (io.onStopSignal), then it stops the same way and exits 143, and unsubscribes', async () => {
    const dir = await suite();
    const t = captureIo({}, dir);
    let handler: ((signal: StopSignal) => void) | undefined;
    let unsubscribed = false;
    const io = {
      ...t.io,
      stdout: (text: string) => {
        t.io.stdout(text);
        // Stop once the quick one is reported (its line is written whole).
        if (text.startsWith('✓ a-quick')) handler?.('SIGTERM');
      },
      onStopSignal: (h: (signal: StopSignal) => void) => {
        handler = h;
        return () => void (unsubscribed = true);
      },
    };
    const code = await runCli(['test', '*.conversation.yaml', '--junit', 'report.xml', '--concurrency', '1'], io);
    assert.equal(code, 143, t.out() + t.err());
    assert.equal(unsubscribed, true);
    assert.match(t.err(), /baton: stopped by SIGTERM/);
    assertStoppedReport(t.out(), await readFile(path.join(dir, 'report.xml'), 'utf8'));
  });

  it('when the stop comes while the *.handoff.json files run, then the conversations are reported cancelled, the JUnit file is written, and it exits 130', async () => {
    const dir = await suite();
    await copyFile(path.join(repo, 'examples/scenarios/bot-exit.handoff.json'), path.join(dir, 'bot-exit.handoff.json'));
    const t = captureIo({}, dir);
    // Stopped as soon as the command subscribes: before the fixture files are done.
    const io = { ...t.io, onStopSignal: (h: (signal: StopSignal) => void) => (h('SIGINT'), () => undefined) };
    const code = await runCli(['test', '*.handoff.json', '*.conversation.yaml', '--junit', 'report.xml'], io);
    assert.equal(code, 130, t.out() + t.err());
    assert.match(t.out(), /conversations: 0 passed, 0 failed, 2 cancelled/);
    const junit = await readFile(path.join(dir, 'report.xml'), 'utf8');
    assert.match(junit, /<testsuites name="baton test" tests="2" failures="0" errors="0" skipped="2">/);
  });
});
