import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { runCli } from '../src/commands/program.js';
import type { ServeHandle } from '../src/commands/serve.js';
import { captureIo } from './helpers/cli-io.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../artifacts/console');

/**
 * The sandbox console in a real browser (Debian's chromium, headless, kept off the network): a
 * person opens the page `pnpm start` links, chats as the customer over the Guest API, sees the bot
 * answer, and watches the handoff reach the agent's view with Baton's context.
 */
describe('the sandbox console (pnpm start) in a real browser', function () {
  let handle: ServeHandle | undefined;
  let browser: Browser | undefined;

  before(async function () {
    // `pnpm test` installs it first (scripts/ensure-chromium.sh): a missing browser is a failure, never a skip.
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} does not exist: run bash scripts/ensure-chromium.sh (apt-get install chromium)`);
    const t = captureIo({ PORT: '0', HOST: '127.0.0.1' });
    assert.equal(await runCli(['serve'], t.io, { onServing: (h) => (handle = h) }), 0, t.err());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await handle?.stop('test');
  });

  it('chats as the customer, sees the bot answer, and sees the handoff reach the agent with the context', async function () {
    this.timeout(60_000);
    const sandbox = handle!.runtime.sandbox!;
    const page = await browser!.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(`${m.text()} ${m.location().url}`);
    });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(sandbox.consoleUrl);
    await page.getByText('Connected.').waitFor();

    // Keyboard only: the message box has the focus and a label; Enter sends.
    const box = page.getByLabel('Message', { exact: true });
    assert.equal(await box.evaluate((e) => e === e.ownerDocument.activeElement), true, 'the message box has the focus');
    await page.keyboard.type('I want to talk to a human');
    await page.keyboard.press('Enter');

    await page.locator('#transcript li.guest', { hasText: 'I want to talk to a human' }).waitFor();
    await page.locator('#transcript li.bot').first().waitFor();
    const agentData = page.locator('#agent-view table.participant-data');
    await agentData.waitFor({ timeout: 20_000 });

    const conversationId = (await page.locator('#conversation-id').textContent())!.trim();
    const view = sandbox.agents.viewOf(conversationId);
    assert.ok(view, `an agent answered ${conversationId}`);
    assert.equal(await page.locator('#queue').textContent(), view.queue.name, 'the queue as Genesys shows it');
    assert.match((await agentData.textContent())!, /Baton Exit Reason\s*AgentRequestedByUser/);
    assert.match((await page.locator('#participants').textContent())!, /agent/);
    assert.match((await page.locator('#agent-view').textContent())!, new RegExp(view.agent.name));
    assert.deepEqual(violations, [], 'no script error and no Content-Security-Policy violation');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'handoff.png'), fullPage: true });
    // Readable in dark too: the page follows prefers-color-scheme (text light on dark).
    // A string: the test's TypeScript has no DOM types, the page has.
    const colours = () =>
      page.evaluate<{ bg: string; fg: string }>('(() => { const s = getComputedStyle(document.body); return { bg: s.backgroundColor, fg: s.color }; })()');
    const light = await colours();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await colours();
    assert.notEqual(dark.bg, light.bg, 'the background follows the colour scheme');
    assert.notEqual(dark.fg, light.fg, 'the text follows the colour scheme');
    await page.screenshot({ path: path.join(ARTIFACTS, 'handoff-dark.png'), fullPage: true });
    await page.close();
  });
});
