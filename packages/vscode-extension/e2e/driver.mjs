// Drives code-server's workbench in Debian's chromium (playwright-core).
//   node driver.mjs tests <host> <folder> <extensionDevelopmentPath> <extensionTestsPath>
//     Runs the mocha integration tests inside VS Code's extension host; VS Code reports the exit
//     code through window.codeAutomationExit and the mocha output through codeAutomationLog.
//     Prints `BATON-E2E-RESULT {"passed":N,"failed":N}` (from the tests, or failed:1 when none ran).
//   node driver.mjs ui <host> <folder> <artifactDir>
//     Runs a handoff through the command palette and quick picks, checks and screenshots the
//     trace webview and the Handoffs tree. Prints one `UI-CHECK pass|fail <name>` line per check.
//     Then opens Chat as Customer, types in its webview (Enter sends) and waits for the bot's reply,
//     Baton's handoff and the agent's view in the webview's own text; screenshot chat-as-customer.png.
import { chromium } from 'playwright-core';
import path from 'node:path';
import util from 'node:util';

const [mode, host, folder, ...rest] = process.argv.slice(2);
const CHROMIUM = process.env.BATON_E2E_CHROMIUM ?? '/usr/bin/chromium';
const launch = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

async function runTests(devPath, testsPath) {
  const remote = (p) => `vscode-remote://${host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  const url = `http://${host}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const browser = await launch();
  let result = { passed: 0, failed: 1 };
  try {
    const page = await (await browser.newContext()).newPage();
    let done;
    const exited = new Promise((resolve) => (done = resolve));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = util.format(...(args || []));
      const m = /BATON-E2E-RESULT (\{.*\})/.exec(line);
      if (m) result = JSON.parse(m[1]);
      console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => done(code));
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    await page.goto(url);
    const timeoutMs = Number(process.env.BATON_E2E_TEST_TIMEOUT_MS ?? 240000);
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    console.log(`extension tests finished: exit code ${code}`);
    if (code !== 0 && result.failed === 0) result = { ...result, failed: 1 };
  } finally {
    await browser.close();
  }
  console.log(`BATON-E2E-RESULT ${JSON.stringify(result)}`);
}

async function runUi(artifacts) {
  const browser = await launch();
  const checks = [];
  const check = async (name, fn) => {
    try {
      await fn();
      checks.push(true);
      console.log(`UI-CHECK pass ${name}`);
    } catch (e) {
      checks.push(false);
      console.log(`UI-CHECK fail ${name}: ${e.message.split('\n')[0]}`);
    }
  };
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const palette = async (title) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill('>' + title);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
  };
  const pickFirst = async (titleText) => {
    await page.locator('.quick-input-widget .quick-input-title', { hasText: titleText }).waitFor({ timeout: 30000 });
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
  };
  try {
    await page.goto(`http://${host}/?folder=${encodeURIComponent(folder)}`);
    await page.waitForSelector('.monaco-workbench .statusbar', { timeout: 60000 });
    await check('status bar shows the active org', async () => {
      await page.locator('.statusbar-item', { hasText: 'Baton: Sandbox' }).first().waitFor({ timeout: 60000 });
    });
    await check('Run Handoff through the palette opens the trace webview', async () => {
      await palette('Baton: Run Handoff');
      await pickFirst('Conversation');
      await pickFirst('Queue');
      await pickFirst('Handoff mode');
      await page.locator('.tab', { hasText: 'Handoff ' }).first().waitFor({ timeout: 60000 });
      let found = false;
      for (let i = 0; i < 60 && !found; i++) {
        for (const frame of page.frames()) {
          const text = await frame.evaluate('document.body ? document.body.innerText : ""').catch(() => '');
          if (text.includes('Steps') && text.includes('handToQueue')) found = true;
        }
        if (!found) await page.waitForTimeout(500);
      }
      if (!found) throw new Error('trace webview content (steps timeline) not found');
      await page.screenshot({ path: path.join(artifacts, 'trace-webview.png') });
    });
    await check('Handoffs tree lists the runs', async () => {
      await page.locator('.activitybar .action-item a[aria-label^="Baton"], .activitybar .action-item[aria-label^="Baton"]').first().click();
      // With a single view in the container, its name is the sidebar title ("BATON: HANDOFFS").
      await page.locator('.part.sidebar .title-label', { hasText: /handoffs/i }).first().waitFor({ timeout: 30000 });
      const run = page.locator('.part.sidebar .monaco-list-row', { hasText: 'ready_for_transfer' }).first();
      await run.waitFor({ timeout: 30000 });
      await run.click();
      // Expand the run to show its steps. A keypress can land before the list has focus on a busy
      // machine, so try the twistie and the key a few times rather than once.
      const step = page.locator('.part.sidebar .monaco-list-row', { hasText: 'handToQueue' }).first();
      for (let attempt = 0; attempt < 10 && !(await step.isVisible()); attempt++) {
        if (attempt % 2 === 0) await run.locator('.monaco-tl-twistie').first().click().catch(() => {});
        else await page.keyboard.press('ArrowRight');
        await page.waitForTimeout(1000);
      }
      await step.waitFor({ timeout: 30000 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(artifacts, 'handoffs-tree.png') });
    });
    await check('Chat as Customer: the webview chats and shows the handoff and the agent view', async () => {
      await palette('Baton: Chat as Customer');
      await page.locator('.tab', { hasText: 'Chat as Customer' }).first().waitFor({ timeout: 60000 });
      // The webview's document is in a nested frame: find the one with the customer's input.
      let chat;
      for (let i = 0; i < 60 && !chat; i++) {
        for (const frame of page.frames()) if ((await frame.locator('#say').count().catch(() => 0)) > 0) chat = frame;
        if (!chat) await page.waitForTimeout(500);
      }
      if (!chat) throw new Error('the chat webview (its #say input) not found');
      await chat.locator('#status', { hasText: 'open' }).waitFor({ timeout: 30000 });
      await chat.locator('#say').fill('I want to talk to a human about my invoice');
      await chat.locator('#say').press('Enter');
      await chat.locator('#messages', { hasText: 'Transferring to human support' }).waitFor({ timeout: 30000 });
      await chat.locator('#handoff', { hasText: 'customer_asked_for_agent' }).waitFor({ timeout: 30000 });
      await chat.locator('#agent', { hasText: 'Baton Exit Reason' }).waitFor({ timeout: 30000 });
      const shown = `${await chat.locator('#handoff').innerText()}\n${await chat.locator('#agent').innerText()}`;
      if (/\b(null|undefined)\b/.test(shown)) throw new Error(`the panel shows a missing value: ${shown}`);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(artifacts, 'chat-as-customer.png') });
    });
  } finally {
    await page.screenshot({ path: path.join(artifacts, 'workbench-final.png') }).catch(() => {});
    await browser.close();
  }
  const passed = checks.filter(Boolean).length;
  console.log(`BATON-E2E-RESULT ${JSON.stringify({ passed, failed: checks.length - passed })}`);
}

if (mode === 'tests') await runTests(rest[0], rest[1]);
else if (mode === 'ui') await runUi(rest[0]);
else {
  console.error('usage: driver.mjs tests|ui …');
  process.exit(2);
}
// The timeout timer of the race would keep the process alive until it fires.
process.exit(0);
