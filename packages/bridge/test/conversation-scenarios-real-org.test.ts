import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/commands/program.js';
import { serve, type ServeHandle } from '../src/commands/serve.js';
import { captureIo } from './helpers/cli-io.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The real-org path of `baton test`, without a real org: a sandbox with its running loop stands in
 * for the org, and `baton test` reaches it only as it would reach Genesys, through the environment
 * (GENESYS_BASE_URL, GENESYS_WEB_MESSAGING_URL, GENESYS_DEPLOYMENT_ID and client credentials).
 * The Sandbox object is used here only as an admin would use the org: to create the OAuth client
 * and to read its request counters.
 */
describe('baton test with conversation scenarios against a real org (a remote sandbox standing in)', function () {
  this.timeout(120_000);
  let handle: ServeHandle;
  let env: Record<string, string>;

  before(async () => {
    handle = await serve(
      {
        env: { LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' },
        stdout: () => undefined,
        stderr: () => undefined,
        cwd: repo,
      },
      { banner: false, logDestination: { write: () => undefined } },
    );
    const sb = handle.runtime.sandbox!;
    // Only the permissions the real-org target's calls need (docs/genesys-facts.md#conversation-from-a-guest-session).
    const client = sb.addClient({
      permissions: ['conversation:message:view', 'conversation:communication:view', 'routing:queue:view'],
    });
    env = {
      GENESYS_CLIENT_ID: client.clientId,
      GENESYS_CLIENT_SECRET: client.clientSecret,
      GENESYS_BASE_URL: sb.url,
      GENESYS_WEB_MESSAGING_URL: sb.webMessagingUrl,
      GENESYS_DEPLOYMENT_ID: sb.deploymentId,
    };
  });
  after(() => handle?.stop('test'));

  it('runs the examples: what needs no agent passes, agent steps and rule checks are reported as skipped with their reason', async () => {
    const before = handle.runtime.sandbox!.counters.snapshot().byRoute;
    const t = captureIo(env, repo);
    const code = await runCli(
      [
        'test',
        'examples/conversations/*.yaml',
        '--junit',
        path.join(await mkdtemp(path.join(tmpdir(), 'baton-ro-')), 'r.xml'),
      ],
      t.io,
    );
    const out = t.out();
    assert.equal(code, 0, out + t.err());
    assert.match(
      t.err(),
      /REAL ORG \(UNCONFIRMED\): conversations run on deployment [0-9a-f-]+ at ws:\/\/127\.0\.0\.1:\d+/,
    );
    assert.doesNotMatch(t.err(), /SANDBOX MODE/);
    assert.match(out, /conversations: 3 passed, 0 failed, 3 skipped/);
    assert.match(out, /✓ examples\/conversations\/bot-serves-order-status\.conversation\.yaml:\d+ › /);
    assert.match(out, /✓ examples\/conversations\/chatbot-tester-format\.conversation\.yaml:\d+ › /);
    assert.match(out, /✓ examples\/conversations\/bot-keeps-it\.conversation\.yaml:\d+ › /);
    // Queue and priority (5) were checked on the org; only the agent's answer was not.
    assert.match(
      out,
      /○ examples\/conversations\/low-confidence-to-queue\.conversation\.yaml:\d+ › .* \(4 steps, 2 skipped, /,
    );
    assert.match(
      out,
      /low-confidence-to-queue\.conversation\.yaml:9: step 4 expectAgentAnswers skipped: needs an agent: on a real org a human answers/,
    );
    assert.match(
      out,
      /bot-gives-up\.conversation\.yaml:7: step 4 expectHandoff skipped: decisionRule\/routingRule: Baton's rules are in the deployed bridge's handoff trace/,
    );
    const skips: [number, string, string][] = [
      [10, 'agentSays', 'needs a simulated agent'],
      [11, 'expectAgent', 'needs an agent'],
      [12, 'disconnect', 'needs a simulated agent'],
      [13, 'expectDisconnect', 'follows a skipped agent disconnect'],
    ];
    for (const [line, step, reason] of skips) {
      assert.match(
        out,
        new RegExp(
          `customer-asks-for-human\\.conversation\\.yaml:${line}: step \\d ${step} skipped: ${reason}`,
        ),
      );
    }
    // Found and observed through the Platform API, as on a real org.
    const after = handle.runtime.sandbox!.counters.snapshot().byRoute;
    const calls = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    assert.ok(calls('getConversationsMessageDetails') >= 6, JSON.stringify(after));
    assert.ok(calls('getConversation') >= 4, JSON.stringify(after));
  });

  it('when an expectation is wrong, then it fails at its line with expected vs actual as the org shows it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-ro-'));
    await writeFile(
      path.join(dir, 'wrong.conversation.yaml'),
      'name: wrong queue\nsteps:\n  - say: the item arrived damaged, order 4445556\n  - expectHandoff: { queue: Billing, priority: 5 }\n    timeoutMs: 5000\n',
    );
    const t = captureIo(env, dir);
    assert.equal(
      await runCli(['test', '*.conversation.yaml', '--junit', 'r.xml'], t.io),
      1,
      t.out() + t.err(),
    );
    assert.match(t.out(), /wrong\.conversation\.yaml:4: step 2 /);
    assert.match(t.out(), /expected: queue Billing\n\s+actual: {3}queue Support, priority 5/);
    assert.match(t.out(), /conversations: 0 passed, 1 failed/);
    assert.match(
      await readFile(path.join(dir, 'r.xml'), 'utf8'),
      /<failure message="wrong\.conversation\.yaml:4: expected queue Billing/,
    );
  });

  it('when BATON_TEST_AGENT=human, then the agent answering is observed through the Platform API and checked', async () => {
    let t = captureIo({ ...env, BATON_TEST_AGENT: 'human' }, repo);
    assert.equal(
      await runCli(['test', 'examples/conversations/low-confidence-to-queue.conversation.yaml'], t.io),
      0,
      t.out(),
    );
    // Only the decision rule is left unchecked; the agent's answer was checked.
    assert.match(
      t.out(),
      /low-confidence-to-queue\.conversation\.yaml:\d+ › .* \(4 steps, 1 skipped, \d+ ms\)/,
    );
    assert.doesNotMatch(t.out(), /expectAgentAnswers skipped/);

    const dir = await mkdtemp(path.join(tmpdir(), 'baton-ro-'));
    await writeFile(
      path.join(dir, 'other-queue.conversation.yaml'),
      'name: answered in another queue\nsteps:\n  - say: the item arrived damaged, order 4445556\n  - expectAgentAnswers: { queue: Billing }\n    timeoutMs: 5000\n',
    );
    t = captureIo({ ...env, BATON_TEST_AGENT: 'human' }, dir);
    assert.equal(await runCli(['test', '*.conversation.yaml'], t.io), 1, t.out());
    assert.match(
      t.out(),
      /other-queue\.conversation\.yaml:4: step 2 [^\n]*\n\s+expected: an agent of Billing\n\s+actual: {3}an agent of Support/,
    );
  });

  it('when the skipped steps are in the JUnit report, then the scenario is a skipped testcase naming them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-ro-'));
    const t = captureIo(env, repo);
    const report = path.join(dir, 'r.xml');
    await runCli(
      ['test', 'examples/conversations/low-confidence-to-queue.conversation.yaml', '--junit', report],
      t.io,
    );
    const xml = await readFile(report, 'utf8');
    assert.match(xml, /<testsuites name="baton test" tests="1" failures="0" errors="0" skipped="1">/);
    assert.match(
      xml,
      /<skipped message="2 step\(s\) not checked: [^"]*low-confidence-to-queue\.conversation\.yaml:9: step 4 expectAgentAnswers skipped: needs an agent/,
    );
  });

  it('when the deployment id is wrong, then it stops before any scenario with exit 2 naming the deployment and what the service said', async () => {
    const wrong = randomUUID();
    const t = captureIo({ ...env, GENESYS_DEPLOYMENT_ID: wrong }, repo);
    assert.equal(await runCli(['test', 'examples/conversations/bot-keeps-it.conversation.yaml'], t.io), 2);
    assert.match(
      t.err(),
      new RegExp(`refused deployment ${wrong} \\(400 Deployment not found\\)\\. Check GENESYS_DEPLOYMENT_ID`),
    );
    assert.doesNotMatch(t.out(), /bot-keeps-it/);
  });

  it('when the deployment id or the Guest API origin is missing, or the credentials are refused, then exit 2 says which variable to set', async () => {
    const { GENESYS_DEPLOYMENT_ID: _d, ...noDeployment } = env;
    let t = captureIo(noDeployment, repo);
    assert.equal(await runCli(['test', 'examples/conversations/bot-keeps-it.conversation.yaml'], t.io), 2);
    assert.match(t.err(), /need GENESYS_DEPLOYMENT_ID/);

    const { GENESYS_WEB_MESSAGING_URL: _w, ...noOrigin } = env;
    t = captureIo(noOrigin, repo);
    assert.equal(await runCli(['test', 'examples/conversations/bot-keeps-it.conversation.yaml'], t.io), 2);
    assert.match(t.err(), /With GENESYS_BASE_URL, set GENESYS_WEB_MESSAGING_URL too/);

    t = captureIo({ ...env, GENESYS_CLIENT_SECRET: `${env.GENESYS_CLIENT_SECRET}-not-it` }, repo);
    assert.equal(await runCli(['test', 'examples/conversations/bot-keeps-it.conversation.yaml'], t.io), 2);
    assert.match(t.err(), /The Platform API refused the client credentials/);
    assert.doesNotMatch(t.err() + t.out(), new RegExp(env.GENESYS_CLIENT_SECRET!));
  });
});
