import * as assert from 'node:assert/strict';
import { mkdtemp, writeFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import { createGenesysClient, type GenesysClient } from '../../src/genesys/index.js';
import { resolveTarget } from '../../src/genesys/target.js';
import { createHandoffService, type HandoffService } from '../../src/handoff/index.js';
import {
  formatScenarioReport,
  globToRegExp,
  parseScenarioFile,
  runScenario,
  runScenarioFiles,
  scenarioExitCode,
  scenarioSchema,
  type Scenario,
} from '../../src/scenarios/index.js';

const lowConfidenceFixture = {
  customerName: 'Casey Cancel',
  participantData: { 'bot.intent': 'CancelOrder', 'bot.confidence': '0.42' },
  messages: [
    { from: 'customer', text: 'I want to cancel my order', at: 5 },
    { from: 'bot', text: 'What is your order number?', at: 8 },
    { from: 'customer', text: 'It is 12345 and I was charged twice', at: 30 },
  ],
};

function scenario(raw: unknown): Scenario {
  return scenarioSchema.parse(raw);
}

describe('scenario runner against the sandbox', () => {
  let sandbox: Sandbox;
  let client: GenesysClient;
  let service: HandoffService;
  let seed: (fixture: Record<string, unknown>) => Promise<string>;

  before(async () => {
    sandbox = await createSandbox({ port: 0 });
    client = createGenesysClient({ target: resolveTarget({ baseUrl: sandbox.url }), clientId: sandbox.clientId, clientSecret: sandbox.clientSecret });
    service = createHandoffService({ genesys: client, config: { defaultQueueId: sandbox.queues[0]!.id, botFlowId: sandbox.botFlowId } });
    seed = async (fixture) => sandbox.org.addConversation(fixture as never);
  });

  after(async () => {
    await client.close();
    await sandbox.close();
  });

  it('when every expectation holds, then the scenario passes and the transfer context was written', async () => {
    const result = await runScenario(
      scenario({
        name: 'low confidence',
        conversation: { fixture: lowConfidenceFixture },
        input: { queue: 'Support', priority: 7 },
        expect: {
          decision: 'handoff',
          queue: 'Support',
          priority: 7,
          intent: 'CancelOrder',
          intentSource: 'participantData',
          transcript: { contains: ['cancel my order', 'charged twice'], notContains: ['password'] },
          apiCalls: { min: 1, max: 10 },
        },
      }),
      { service, seedConversation: seed, queues: sandbox.queues, pointer: '/scenarios/0' },
    );
    assert.equal(result.passed, true, JSON.stringify(result.expectations.filter((e) => !e.passed)));
    assert.equal(result.expectations.length, 9);
    assert.ok(result.trace && result.trace.calls.length > 0);
    assert.ok(result.apiCalls > 0 && result.apiCalls === result.output?.apiCalls, `counted ${result.apiCalls}, output says ${result.output?.apiCalls}`);
    // The state: the agent context landed on the seeded conversation's customer.
    const customer = sandbox.org.getConversation(result.conversationId!)?.participants.find((p) => p.purpose === 'customer');
    assert.ok(customer && Object.keys(customer.attributes).length > 2, JSON.stringify(customer?.attributes));
  });

  it('when expectations fail, then each failure carries the JSON pointer of its expectation', async () => {
    const result = await runScenario(
      scenario({
        name: 'wrong',
        conversation: { fixture: lowConfidenceFixture },
        input: { queue: 'Support' },
        expect: { decision: 'bot_keeps', queue: 'Billing', transcript: { contains: ['not in there'] }, apiCalls: 0 },
      }),
      { service, seedConversation: seed, queues: sandbox.queues, pointer: '/scenarios/3' },
    );
    assert.equal(result.passed, false);
    assert.deepEqual(
      result.expectations.filter((e) => !e.passed).map((e) => e.path),
      ['/scenarios/3/expect/decision', '/scenarios/3/expect/queue', '/scenarios/3/expect/transcript/contains/0', '/scenarios/3/expect/apiCalls'],
    );
    const queue = result.expectations.find((e) => e.path.endsWith('/queue'))!;
    assert.equal(queue.expected, 'Billing');
    assert.match(String(queue.actual), /^Support \(/);
  });

  it('when the queue name is unknown, then the failure points at the input and nothing runs', async () => {
    const before = sandbox.org.listConversations().length;
    const result = await runScenario(
      scenario({ name: 'typo', conversation: { fixture: lowConfidenceFixture }, input: { queue: 'Suport' }, expect: {} }),
      { service, seedConversation: seed, queues: sandbox.queues },
    );
    assert.equal(result.passed, false);
    assert.equal(result.expectations[0]!.path, '/input/queue');
    assert.equal(sandbox.org.listConversations().length, before, 'no conversation seeded');
  });

  it('when a fixture is given but no sandbox, then it fails at /conversation instead of guessing', async () => {
    const result = await runScenario(scenario({ name: 'real org', conversation: { fixture: {} }, expect: {} }), { service });
    assert.equal(result.passed, false);
    assert.equal(result.expectations[0]!.path, '/conversation');
  });

  it('runs files found by a glob and reports like `baton test`', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-scenarios-'));
    try {
      await mkdir(path.join(dir, 'flows'));
      await mkdir(path.join(dir, 'node_modules'));
      const good = { scenarios: [{ name: 'ok', conversation: { fixture: lowConfidenceFixture }, input: { queue: 'Support' }, expect: { decision: 'handoff' } }] };
      const existing = { scenarios: [{ name: 'by id', conversation: { id: sandbox.scenarios.highConfidence }, expect: { decision: 'bot_keeps' } }] };
      await writeFile(path.join(dir, 'flows/a.handoff.json'), JSON.stringify(good));
      await writeFile(path.join(dir, 'flows/b.handoff.json'), JSON.stringify(existing));
      await writeFile(path.join(dir, 'flows/bad.handoff.json'), JSON.stringify({ scenarios: [{ name: 'x', conversation: { id: 'nope' }, expect: {} }] }));
      await writeFile(path.join(dir, 'node_modules/c.handoff.json'), JSON.stringify(good));
      const run = await runScenarioFiles('**/*.handoff.json', { cwd: dir, service, seedConversation: seed, queues: sandbox.queues });
      assert.deepEqual(run.files.map((f) => f.file), ['flows/a.handoff.json', 'flows/b.handoff.json', 'flows/bad.handoff.json']);
      assert.equal(run.passed, 2);
      assert.equal(run.failed, 1);
      assert.equal(run.files[2]!.error?.path, '/scenarios/0/conversation/id');
      const report = formatScenarioReport(run);
      assert.match(report, /✓ flows\/a\.handoff\.json › ok/);
      assert.match(report, /✗ flows\/bad\.handoff\.json/);
      assert.match(report, /scenarios: 2 passed, 1 failed$/);
      assert.equal(scenarioExitCode(run), 1);
      assert.equal(scenarioExitCode(await runScenarioFiles('nothing/*.json', { cwd: dir, service })), 1, 'no match is a failure');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('scenario files', () => {
  it('reject unknown keys, so a misspelt expectation cannot pass silently', () => {
    const parsed = parseScenarioFile(JSON.stringify({ scenarios: [{ name: 'x', conversation: { id: '00000000-0000-4000-8000-000000000000' }, expect: { queu: 'Support' } }] }));
    assert.ok('error' in parsed);
    assert.equal(parsed.error.path, '/scenarios/0/expect');
  });

  it('glob: ** spans directories, * stays in one, braces alternate', () => {
    assert.ok(globToRegExp('**/*.handoff.json').test('a.handoff.json'));
    assert.ok(globToRegExp('**/*.handoff.json').test('x/y/a.handoff.json'));
    assert.ok(!globToRegExp('*.handoff.json').test('x/a.handoff.json'));
    assert.ok(globToRegExp('flows/{a,b}.json').test('flows/b.json'));
    assert.ok(!globToRegExp('flows/{a,b}.json').test('flows/c.json'));
  });
});
