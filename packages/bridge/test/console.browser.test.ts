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
 * answer, and watches the handoff: the flow's path, Baton's trace and the agent's view with the
 * context; then a second conversation beside the first, and a seeded scenario replayed in a third.
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

  it('chats as the customer, sees the bot answer, and watches the handoff: the flow timeline, the trace with its Platform API calls, the agent with the context', async function () {
    this.timeout(90_000);
    const sandbox = handle!.runtime.sandbox!;
    const page = await browser!.newPage({ viewport: { width: 1600, height: 1000 } });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(`${m.text()} ${m.location().url}`);
    });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(sandbox.consoleUrl);
    const first = page.locator('article.column[data-column="1"]');
    await first.getByText('Connected.').waitFor();

    // Keyboard only: the message box has the focus and a label; Enter sends.
    const box = first.getByLabel('Message', { exact: true });
    assert.equal(await box.evaluate((e) => e === e.ownerDocument.activeElement), true, 'the message box has the focus');
    await page.keyboard.type('I want to talk to a human');
    await page.keyboard.press('Enter');

    await first.locator('.transcript li.guest', { hasText: 'I want to talk to a human' }).waitFor();
    await first.locator('.transcript li.bot').first().waitFor();
    const agentData = first.locator('.agent-view > table.participant-data');
    await agentData.waitFor({ timeout: 20_000 });

    const conversationId = (await first.locator('.conversation-id').textContent())!.trim();
    const view = sandbox.agents.viewOf(conversationId);
    assert.ok(view, `an agent answered ${conversationId}`);
    assert.equal(await first.locator('.queue').textContent(), view.queue.name, 'the queue as Genesys shows it');
    assert.match((await agentData.textContent())!, /Baton Exit Reason\s*AgentRequestedByUser/);
    // As the agent's UI shows it: agent-facing names only; machine keys stored but folded away.
    assert.doesNotMatch((await agentData.textContent())!, /conversationDetails\.participantData\.|baton\.handoffId/);
    assert.match((await first.locator('.agent-view details.hidden-data summary').textContent())!, /not shown to agents \(\d+\)/);
    assert.match((await first.locator('.agent-view details.hidden-data').textContent())!, /baton\.handoffId/);
    assert.match((await first.locator('.participants').textContent())!, /agent/);
    assert.match((await first.locator('.agent-view').textContent())!, new RegExp(view.agent.name));

    // The flow's path, live: the bot's exit, the data action (which, its output, how long), the transfer (queue, priority).
    const timeline = first.locator('ol.timeline');
    await timeline.locator('li', { hasText: 'Transfer to ACD' }).waitFor();
    const steps = (await timeline.locator('li').allTextContents()).join('\n');
    assert.match(steps, /Call Digital Bot Flow\s*AgentRequestedByUser/);
    assert.match(steps, /Call Data Action\s*Success.*Baton - Handoff.*\d+ ms/);
    assert.match(steps, new RegExp(`Transfer to ACD.*queue ${view.queue.name}, priority \\d+`));

    // Baton's handoff trace with each Platform API call, as the trace store holds it.
    const [stored] = await handle!.runtime.stores.traces.list({ conversationId });
    assert.ok(stored, 'the bridge handled the conversation');
    const calls = first.locator('.handoffs table.api-calls tbody tr');
    await calls.first().waitFor();
    assert.equal(await calls.count(), stored.calls.length, 'every Platform API call of the handoff');
    const firstCall = stored.calls[0]!;
    assert.match((await calls.first().textContent())!, new RegExp(`${firstCall.method}\\s*${firstCall.route}.*${firstCall.status}\\s*\\d+ ms`));
    assert.match((await first.locator('.handoffs').textContent())!, new RegExp(`Handoff ${stored.status}`));

    // Never a secret: neither the dev API key the flow calls the bridge with nor the sandbox client's secret.
    const secrets = [handle!.auth.apiKey!, sandbox.clientSecret, ...handle!.runtime.secrets].filter((x) => x.length > 0);
    const html = await page.content();
    for (const secret of secrets) assert.ok(!html.includes(secret), 'a secret is on the page');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'handoff.png'), fullPage: true });

    // Several conversations side by side: "New conversation" (a button, by keyboard) opens another column with its own session.
    await page.getByRole('button', { name: 'New conversation' }).focus();
    await page.keyboard.press('Enter');
    const second = page.locator('article.column[data-column="2"]');
    await second.getByText('Connected.').waitFor();
    assert.equal(await second.getByLabel('Message', { exact: true }).evaluate((e) => e === e.ownerDocument.activeElement), true, "the new column's message box has the focus");
    assert.equal(await second.locator('.conversation-id').textContent(), 'not started', 'its own conversation, not the first');

    // Replay a seeded scenario into a third column: its customer lines, the bot, the handoff, an agent.
    await page.getByLabel('Scenario').selectOption('bot-gives-up.conversation.yaml#1');
    await page.getByRole('button', { name: 'Replay scenario' }).click();
    const third = page.locator('article.column[data-column="3"]');
    await third.locator('.transcript li.guest', { hasText: 'qwerty uiop' }).waitFor({ timeout: 20_000 });
    assert.deepEqual(await third.locator('.transcript li.guest').allTextContents(), ['Youblorp zzkx', 'Youqwerty uiop'], 'the scenario\'s customer lines, in order');
    await third.locator('.agent-view > table.participant-data').waitFor({ timeout: 20_000 });
    assert.match((await third.locator('.agent-view').textContent())!, /RecognitionFailure/);
    await third.locator('ol.timeline li', { hasText: 'Transfer to ACD' }).waitFor();
    assert.match((await third.locator('ol.timeline').textContent())!, /Call Digital Bot Flow\s*RecognitionFailure/);
    assert.equal(await second.locator('ol.timeline li').count(), 0, 'the idle column shows nothing of the others');
    assert.notEqual(await third.locator('.conversation-id').textContent(), conversationId);

    // A scenario with the agent's part: the customer's line, the bot's reply it waits for, then the
    // sandbox's agent says the scenario's line and ends the conversation; the checks it cannot replay are noted.
    await page.getByLabel('Scenario').selectOption('customer-asks-for-human.conversation.yaml#1');
    await page.getByRole('button', { name: 'Replay scenario' }).click();
    const fourth = page.locator('article.column[data-column="4"]');
    await fourth.locator('.transcript li.system', { hasText: 'The conversation has ended.' }).waitFor({ timeout: 20_000 });
    const lines = (await fourth.locator('.transcript li').evaluateAll((items) => items.map((li) => `${li.className}: ${li.lastChild?.textContent ?? ''}`))) as string[];
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    assert.ok(at('guest: I was charged twice') >= 0, JSON.stringify(lines));
    assert.ok(at('bot: Transferring to human support') > at('guest: I was charged twice'), JSON.stringify(lines));
    assert.ok(at('agent: Hi, I can see the double charge on order 88812.') > at('bot: Transferring to human support'), JSON.stringify(lines));
    assert.equal(lines.at(-1), 'system: The conversation has ended.', JSON.stringify(lines));
    assert.match((await fourth.locator('.replay-notes').textContent())!, /checks are not replayed \(baton test runs them\): expectDataActionPath \(line 6\), expectHandoff \(line 7\)/);
    assert.equal(await fourth.locator('.replay-notes').isVisible(), true);
    await fourth.getByText(/^Replayed "The customer asks for a human/).waitFor();
    assert.deepEqual(violations, [], 'no script error and no Content-Security-Policy violation');

    await page.screenshot({ path: path.join(ARTIFACTS, 'conversations.png'), fullPage: true });
    // Readable in dark too: the page follows prefers-color-scheme (text light on dark).
    // A string: the test's TypeScript has no DOM types, the page has.
    const colours = () =>
      page.evaluate<{ bg: string; fg: string }>('(() => { const s = getComputedStyle(document.body); return { bg: s.backgroundColor, fg: s.color }; })()');
    const light = await colours();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await colours();
    assert.notEqual(dark.bg, light.bg, 'the background follows the colour scheme');
    assert.notEqual(dark.fg, light.fg, 'the text follows the colour scheme');
    await page.screenshot({ path: path.join(ARTIFACTS, 'conversations-dark.png'), fullPage: true });
    const text = await page.evaluate<string>('document.body.innerText');
    for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret is on the page');
    await page.close();
  });
});
