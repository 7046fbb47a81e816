import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import { runCli } from '../src/commands/program.js';
import { escapeTerminalControls } from '../src/commands/terminal-safe.js';
import { captureIo } from './helpers/cli-io.js';

/**
 * Regression (hardening issue #13): `baton handoff` printed customer text raw, so a message could
 * write the terminal's clipboard (OSC 52), clear the screen, colour or overwrite lines. Everything
 * the CLI prints now shows terminal controls as `\uXXXX` instead.
 */
const CLIPBOARD = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';
const CLEAR_SCREEN = '\u001b[2J';
const C1_CSI_RED = '\u009b31m';
const HOSTILE = `Please cancel order 4411${CLIPBOARD} now${CLEAR_SCREEN} thanks${C1_CSI_RED} red\rOVERWRITTEN\u007f end`;
/** What must never reach a terminal: ESC, BEL, CSI (C1), CR and DEL. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_BYTES = /[\u001b\u0007\u009b\r\u007f]/;

const capture = captureIo;

describe('baton CLI output with terminal control characters in customer text', () => {
  let sandbox: Sandbox;
  let conversationId: string;
  let env: Record<string, string>;
  before(async () => {
    sandbox = await createSandbox({ conversations: 0 });
    conversationId = sandbox.org.addConversation({
      customerName: 'Mallory',
      participantData: { 'bot.intent': 'CancelOrder', 'bot.confidence': '0.31' },
      messages: [
        { from: 'customer', text: HOSTILE, at: 1 },
        { from: 'bot', text: 'Let me get someone.', at: 2 },
      ],
    });
    env = { GENESYS_BASE_URL: sandbox.url, GENESYS_CLIENT_ID: sandbox.clientId, GENESYS_CLIENT_SECRET: sandbox.clientSecret, GENESYS_QUEUE_ID: sandbox.queues[0]!.id };
  });
  after(() => sandbox.close());

  it('when baton handoff prints the transcript, then no control byte reaches stdout and the text is still shown', async () => {
    const t = capture(env);
    assert.equal(await runCli(['handoff', conversationId], t.io), 0, t.err());
    assert.match(t.out(), /Transcript/);
    assert.doesNotMatch(t.out() + t.err(), CONTROL_BYTES);
    // (The transcript builder already turns the CR into a space.)
    assert.ok(t.out().includes('Please cancel order 4411\\u001b]52;c;ZWNobyBwd25lZA==\\u0007 now\\u001b[2J thanks\\u009b31m red OVERWRITTEN\\u007f end'), t.out());
  });

  it('when baton handoff --json prints it, then the output is JSON holding the exact text, with no raw control byte', async () => {
    const t = capture(env);
    assert.equal(await runCli(['handoff', conversationId, '--json'], t.io), 0, t.err());
    assert.doesNotMatch(t.out(), CONTROL_BYTES);
    const printed = JSON.parse(t.out()) as { output: { transcript: string } };
    for (const sequence of [CLIPBOARD, CLEAR_SCREEN, C1_CSI_RED, '\u007f end']) {
      assert.ok(printed.output.transcript.includes(sequence), `the JSON keeps ${JSON.stringify(sequence)} exactly`);
    }
  });

  it('when a baton test report quotes a value with control characters, then they are escaped too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-controls-'));
    try {
      const scenario = {
        scenarios: [
          {
            name: `hostile intent${CLEAR_SCREEN}\rspoofed`,
            conversation: { fixture: { participantData: { 'bot.intent': `Cancel${C1_CSI_RED}\u007f`, 'bot.confidence': '0.2' }, messages: [{ from: 'customer', text: HOSTILE, at: 1 }] } },
            expect: { intent: 'Refund' },
          },
        ],
      };
      await writeFile(join(dir, 'hostile.handoff.json'), JSON.stringify(scenario));
      const t = capture({}, dir);
      assert.equal(await runCli(['test', '*.handoff.json'], t.io), 1, t.err());
      assert.match(t.out(), /expected "Refund", got "Cancel\\u009b31m\\u007f"/);
      assert.ok(t.out().includes('hostile intent\\u001b[2J\\u000dspoofed'), t.out());
      assert.doesNotMatch(t.out() + t.err(), CONTROL_BYTES);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('escapes C0 (but newline and tab), DEL and C1; a CRLF line end stays a line end; JSON stays the same JSON', () => {
    assert.equal(escapeTerminalControls('a\tb\nc\r\nd\re\u0000f\u001bg\u007fh\u0080i\u009fj\u00a0k'), 'a\tb\nc\nd\\u000de\\u0000f\\u001bg\\u007fh\\u0080i\\u009fj\u00a0k');
    const json = JSON.stringify({ text: HOSTILE, tab: '\t' }, null, 2);
    assert.deepEqual(JSON.parse(escapeTerminalControls(json)), JSON.parse(json));
  });
});
