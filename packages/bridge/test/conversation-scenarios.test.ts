import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConversationScenarioParseError,
  conversationScenarioJsonSchema,
  parseConversationScenarios,
} from '@baton/core';
import { runCli } from '../src/commands/program.js';
import { decisionRuleOf } from '../src/scenarios/handoff-rules.js';
import { captureIo } from './helpers/cli-io.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCHEMA_FILE = path.join(repo, 'packages/vscode-extension/schemas/conversation-scenario.schema.json');

describe('conversation scenarios (*.conversation.yaml): parsing', () => {
  it('when a step is unknown, then the error names the file and the line of that step', () => {
    const text = 'name: x\nsteps:\n  - say: hi\n  - expectBott: { contains: hello }\n';
    assert.throws(
      () => parseConversationScenarios('a.conversation.yaml', text),
      (e: unknown) => {
        assert.ok(e instanceof ConversationScenarioParseError);
        assert.match(e.message, /^a\.conversation\.yaml:4: /);
        return true;
      },
    );
  });

  it('when the YAML itself is broken, then the error names the file and the line', () => {
    assert.throws(
      () => parseConversationScenarios('b.conversation.yaml', 'name: x\nsteps:\n  - say: "unterminated\n'),
      /^ConversationScenarioParseError: b\.conversation\.yaml:3: |b\.conversation\.yaml:\d+: /,
    );
  });

  it("when the file is in the chatbot tester's documented format, then each scenario becomes say / expectBot steps with their lines", () => {
    const text =
      'scenarios:\n  Hello:\n    - say: hi\n    - waitForReplyContaining: there\n    - waitForReplyMatching: "^th"\n';
    const [s] = parseConversationScenarios('t.yaml', text);
    assert.equal(s?.name, 'Hello');
    assert.deepEqual(s?.steps, [
      { step: { say: 'hi' }, line: 3 },
      { step: { expectBot: { contains: 'there' } }, line: 4 },
      { step: { expectBot: { matches: '^th' } }, line: 5 },
    ]);
  });

  it('the JSON Schema file the extension contributes is up to date (regenerate with UPDATE_SCHEMAS=1)', async () => {
    const expected = `${JSON.stringify(conversationScenarioJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMAS === '1') await writeFile(SCHEMA_FILE, expected);
    assert.equal(await readFile(SCHEMA_FILE, 'utf8'), expected);
  });
});

describe('baton test with conversation scenarios (against the sandbox loop)', () => {
  it('runs every example in examples/conversations and they pass', async function () {
    this.timeout(90_000);
    const t = captureIo({}, repo);
    const code = await runCli(['test', 'examples/conversations/*.conversation.yaml'], t.io);
    assert.equal(code, 0, t.out() + t.err());
    assert.match(t.out(), /conversations: 9 passed, 0 failed/);
    assert.match(t.out(), /✓ examples\/conversations\/bridge-down\.conversation\.yaml/);
  });

  it('with --concurrency, then scenarios overlap (the sum of their durations exceeds the run) and are reported in file order', async function () {
    this.timeout(90_000);
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-conv-'));
    const example = await readFile(path.join(repo, 'examples/conversations/customer-asks-for-human.conversation.yaml'), 'utf8');
    for (let i = 1; i <= 8; i++) await writeFile(path.join(dir, `c${i}.conversation.yaml`), example.replace(/^name: /m, `name: copy ${i} `));
    const t = captureIo({}, dir);
    const started = performance.now();
    const code = await runCli(['test', '*.conversation.yaml', '--concurrency', '4'], t.io);
    const elapsed = performance.now() - started;
    assert.equal(code, 0, t.out() + t.err());
    const lines = t.out().split('\n').filter((l) => l.startsWith('✓'));
    assert.deepEqual(lines.map((l) => /copy (\d+)/.exec(l)?.[1]), ['1', '2', '3', '4', '5', '6', '7', '8']);
    const durations = lines.map((l) => Number(/, (\d+) ms\)$/.exec(l)?.[1]));
    const sum = durations.reduce((a, b) => a + b, 0);
    assert.ok(sum > elapsed, `scenarios took ${sum} ms in all within a ${Math.round(elapsed)} ms run: they ran at once`);
  });

  it("when a scenario sets the sandbox up (sandbox: bridge unreachable), then it runs on a loop so set up, and expectDataActionPath sees the flow's path", async function () {
    this.timeout(60_000);
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-conv-'));
    const human = 'I was charged twice for order 88812, I want to talk to a human';
    await writeFile(
      path.join(dir, 'a-down.conversation.yaml'),
      `name: down but expects success\nsandbox:\n  bridge: unreachable\nsteps:\n  - say: ${human}\n  - expectDataActionPath: success\n    timeoutMs: 3000\n`,
    );
    await writeFile(
      path.join(dir, 'b-up.conversation.yaml'),
      `name: healthy\nsteps:\n  - say: ${human}\n  - expectDataActionPath: success\n`,
    );
    const t = captureIo({}, dir);
    assert.equal(await runCli(['test', '*.conversation.yaml'], t.io), 1, t.out() + t.err());
    assert.match(t.out(), /✗ a-down\.conversation\.yaml:1 › down but expects success/);
    assert.match(t.out(), /a-down\.conversation\.yaml:6: step 2/);
    assert.match(t.out(), /expected: the flow's Call Data Action to take its success path\n\s+actual: {3}its failure path/);
    assert.match(t.out(), /✓ b-up\.conversation\.yaml:1 › healthy/);
  });

  it('when --concurrency is not an integer from 1 to 64, then it exits 2 saying so', async () => {
    const t = captureIo({}, repo);
    assert.equal(await runCli(['test', 'examples/conversations/*.conversation.yaml', '--concurrency', '0'], t.io), 2);
    assert.match(t.err(), /--concurrency must be an integer from 1 to 64, got "0"/);
  });

  it('when an expectation fails, then it exits 1 naming the step (file:line), expected vs actual, and the transcript; the JUnit XML has the failure', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-conv-'));
    await writeFile(
      path.join(dir, 'wrong.conversation.yaml'),
      'name: wrong reply\nsteps:\n  - say: where is my order 5551234\n  - expectBot: { contains: "Your parcel was lost" }\n    timeoutMs: 300\n',
    );
    await writeFile(
      path.join(dir, 'ok.conversation.yaml'),
      'name: fine\nsteps:\n  - say: where is my order 5551234\n  - expectBot: { contains: "is on its way" }\n',
    );
    const t = captureIo({}, dir);
    const code = await runCli(['test', '*.conversation.yaml', '--junit', 'report.xml'], t.io);
    assert.equal(code, 1);
    const out = t.out();
    assert.match(out, /✗ wrong\.conversation\.yaml:1 › wrong reply/);
    assert.match(out, /wrong\.conversation\.yaml:4: step 2/);
    assert.match(out, /expected: a bot reply containing "Your parcel was lost"/);
    assert.match(out, /actual: {3}bot said .*is on its way/);
    assert.match(out, /customer: where is my order 5551234/);
    assert.match(out, /conversations: 1 passed, 1 failed/);
    const xml = await readFile(path.join(dir, 'report.xml'), 'utf8');
    assert.match(
      xml,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="baton test" tests="2" failures="1" errors="0" skipped="0">/,
    );
    assert.match(
      xml,
      /<testsuite name="ok\.conversation\.yaml" tests="1" failures="0" errors="0" skipped="0" time="[\d.]+">/,
    );
    assert.match(
      xml,
      /<testcase classname="wrong\.conversation\.yaml" name="wrong reply" time="[\d.]+">\n {6}<failure message="wrong\.conversation\.yaml:4: expected a bot reply containing &quot;Your parcel was lost&quot;, got bot said/,
    );
    assert.match(xml, /<system-out>[^<]*customer: where is my order 5551234/);
  });

  it('when given a chatbot tester test-script (any *.yml), then baton test runs its scenarios offline', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-conv-'));
    await writeFile(
      path.join(dir, 'example.yml'),
      'config:\n  deploymentId: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\n  region: xxxx.pure.cloud\nscenarios:\n  "Order status":\n    - say: where is my order 5551234\n    - waitForReplyMatching: Order \\d+ is on its way\n',
    );
    const t = captureIo({}, dir);
    assert.equal(await runCli(['test', 'example.yml'], t.io), 0, t.out() + t.err());
    assert.match(t.out(), /✓ example\.yml:5 › Order status \(2 steps/);
  });

  it('when a conversation file does not parse, then it exits 1 with file:line and the JUnit report has an error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-conv-'));
    await writeFile(path.join(dir, 'bad.conversation.yaml'), 'name: bad\nsteps:\n  - shout: hi\n  - say: fine\n  - whisper: hi\n');
    const t = captureIo({}, dir);
    assert.equal(await runCli(['test', '*.conversation.yaml', '--junit', 'r.xml'], t.io), 1);
    assert.match(t.out(), /✗ bad\.conversation\.yaml:3: /);
    assert.match(t.out(), /\n {4}bad\.conversation\.yaml:5: /, 'every problem of the file, not only the first');
    assert.match(
      await readFile(path.join(dir, 'r.xml'), 'utf8'),
      /<testcase classname="bad\.conversation\.yaml" name="\(parse\)"><error message="bad\.conversation\.yaml:3: /,
    );
  });
});

describe('expectHandoff.decisionRule', () => {
  it('when the decision summary lists the rules tried, then only the one that applied is matched', () => {
    const summary =
      'Hand off: the bot gave up (exit reason RecognitionFailure). Rules tried: customer_asked_for_agent (exit reason RecognitionFailure): no; bot_gave_up (the bot gave up (exit reason RecognitionFailure)): applies.';
    const rule = decisionRuleOf(summary)!;
    assert.ok(rule.startsWith('bot_gave_up: Hand off: the bot gave up'), rule);
    assert.equal(rule.includes('customer_asked_for_agent'), false);
  });
});
