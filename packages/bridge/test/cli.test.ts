import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archyFlowFileName } from '@baton/data-actions';
import { loadFlow } from '@baton/flow';
import { Redis } from 'ioredis';
import request from 'supertest';
import { runCli } from '../src/commands/program.js';
import type { ServeHandle } from '../src/commands/serve.js';
import { CREDS, createLogCapture, startHarness } from './helpers/harness.js';
import { captureIo } from './helpers/cli-io.js';

const io = captureIo;

describe('baton CLI', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-cli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  describe('baton test', () => {
    it('when every scenario passes, then it prints the report and exits 0 (inline fixtures seeded into the sandbox)', async () => {
      const t = io({}, fileURLToPath(new URL('../../../', import.meta.url)));
      const code = await runCli(['test', 'examples/scenarios/*.handoff.json'], t.io);
      assert.equal(code, 0, t.out() + t.err());
      assert.match(t.out(), /low confidence is handed to Support/);
      assert.match(t.out(), /4 passed, 0 failed/);
    });

    it('when an expectation fails, then it exits 1 and names the expectation by its JSON pointer', async () => {
      const file = join(dir, 'wrong.handoff.json');
      const scenario = {
        scenarios: [
          {
            name: 'expects the wrong queue',
            conversation: { fixture: { participantData: { 'bot.intent': 'X', 'bot.confidence': '0.2' }, messages: [{ from: 'customer', text: 'help', at: 1 }] } },
            input: { queue: 'Support' },
            expect: { queue: 'Billing' },
          },
        ],
      };
      await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify(scenario)));
      const t = io({}, dir);
      assert.equal(await runCli(['test', '*.handoff.json'], t.io), 1);
      assert.match(t.out(), /\/scenarios\/0\/expect\/queue/);
    });

    it('when the glob matches nothing, then it fails rather than passing silently', async () => {
      const t = io({}, dir);
      assert.equal(await runCli(['test', 'nothing-here/*.handoff.json'], t.io), 1);
    });
  });

  describe('baton handoff', () => {
    it('when no org is configured, then it runs against the in-process sandbox, taking a scenario name, and prints JSON with --json', async () => {
      const t = io();
      const code = await runCli(['handoff', 'lowConfidence', '--json'], t.io);
      assert.equal(code, 0, t.err());
      const printed = JSON.parse(t.out()) as { output: { status: string; handoffId: string }; trace: { handoffId: string; steps: unknown[] } };
      assert.equal(printed.output.status, 'ready_for_transfer');
      assert.equal(printed.trace.handoffId, printed.output.handoffId);
      assert.ok(printed.trace.steps.length >= 2);
    });

    it('masks contact details in the transcript by default, and BATON_MASK_TRANSCRIPT=false turns it off', async () => {
      const masked = io();
      assert.equal(await runCli(['handoff', 'withPii', '--json'], masked.io), 0, masked.err());
      assert.doesNotMatch(JSON.parse(masked.out()).output.transcript, /jane\.doe@example\.com|4111 1111 1111 1111/);
      const plain = io({ BATON_MASK_TRANSCRIPT: 'false' });
      assert.equal(await runCli(['handoff', 'withPii', '--json'], plain.io), 0, plain.err());
      assert.match(JSON.parse(plain.out()).output.transcript, /jane\.doe@example\.com/);
      const bad = io({ BATON_MASK_TRANSCRIPT: 'maybe' });
      assert.equal(await runCli(['handoff', 'withPii'], bad.io), 2);
      assert.match(bad.err(), /BATON_MASK_TRANSCRIPT/);
    });

    it('prints the decision and the trace as text', async () => {
      const t = io();
      assert.equal(await runCli(['handoff', 'highConfidence'], t.io), 0, t.err());
      assert.match(t.out(), /BOT_KEEPS/);
      assert.match(t.out(), /Trace:\n\s+assessIntent/);
      assert.match(t.out(), /GET\s+\/api\/v2\/conversations\/messages\//);
      assert.match(t.err(), /SANDBOX MODE/);
    });

    it('with --mode api, then the conversation is transferred', async () => {
      const t = io();
      assert.equal(await runCli(['handoff', 'withPii', '--mode', 'api', '--json'], t.io), 0, t.err());
      assert.equal(JSON.parse(t.out()).output.status, 'transferred');
    });

    it('when the id is neither a conversation id nor a scenario, then exit 1 naming the field', async () => {
      const t = io();
      assert.equal(await runCli(['handoff', 'no-such-thing'], t.io), 1);
      assert.match(t.err(), /validation_failed: .*conversationId/);
    });
  });

  it('when the configuration is bad, then exit 2 with a message naming the variable', async () => {
    const t = io({ BATON_THRESHOLD: '2' });
    assert.equal(await runCli(['handoff', 'lowConfidence'], t.io), 2);
    assert.match(t.err(), /BATON_THRESHOLD: expected a number between 0 and 1/);
  });

  it('baton export-actions writes the data actions for the auth mode', async () => {
    const t = io({}, dir);
    const code = await runCli(['export-actions', '--base-url', 'https://bridge.example.com', '--auth', 'oauth', '--format', 'json', '--out', 'oauth'], t.io);
    assert.equal(code, 0, t.err());
    const files = (await readdir(join(dir, 'oauth'))).sort();
    assert.ok(files.includes('baton-handoff.custom.json') && files.includes('baton-oauth.customAuth.json'), files.join());
    const tf = io({}, dir);
    assert.equal(await runCli(['export-actions', '--base-url', 'https://bridge.example.com', '--auth', 'apikey', '--format', 'terraform', '--out', 'tf'], tf.io), 0, tf.err());
    assert.deepEqual(await readdir(join(dir, 'tf')), ['baton.tf']);
  });

  it('baton export-actions --format archy writes the JSON actions and the handoff flow that calls them, which @baton/flow loads', async () => {
    const t = io({}, dir);
    const args = ['export-actions', '--base-url', 'https://bridge.example.com', '--auth', 'apikey', '--format', 'archy', '--out', 'archy'];
    const refused = io({}, dir);
    assert.notEqual(await runCli(args, refused.io), 0);
    assert.match(refused.err(), /--default-queue-id/);
    const queueId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    assert.equal(await runCli([...args, '--default-queue-id', queueId, '--slots', 'orderNumber,quantity', '--bot-flow', 'Support Bot'], t.io), 0, t.err());
    const files = await readdir(join(dir, 'archy'));
    assert.ok(files.includes('baton-handoff.custom.json') && files.includes(archyFlowFileName), files.join());
    const flow = loadFlow(await readFile(join(dir, 'archy', archyFlowFileName), 'utf8'));
    assert.deepEqual([...flow.dataActions.keys()], ['Baton - Handoff']);
    assert.deepEqual(flow.variables.find((v) => v.name === 'Flow.defaultQueueId')?.initial, { kind: 'lit', value: queueId });
    const bot = flow.states.get(flow.startState)!.actions[0]!;
    assert.ok(bot.type === 'callDigitalBotFlow' && bot.botFlow === 'Support Bot' && bot.slots.get('quantity') === 'Flow.slot_quantity');
  });

  it('baton export-actions refuses a bad --auth', async () => {
    const t = io({}, dir);
    assert.notEqual(await runCli(['export-actions', '--base-url', 'https://x.example.com', '--auth', 'magic', '--out', 'x'], t.io), 0);
    assert.match(t.err(), /magic/);
  });

  it('baton run-action runs an exported action against a running bridge and prints each step', async () => {
    const h = await startHarness();
    try {
      const exp = io({}, dir);
      assert.equal(await runCli(['export-actions', '--base-url', h.url, '--auth', 'apikey', '--out', 'local', '--allow-insecure'], exp.io), 0, exp.err());
      const t = io({}, dir);
      const code = await runCli(
        ['run-action', 'local/baton-assess-intent.custom.json', '--input', `conversationId=${h.sandbox.scenarios.highConfidence}`, '--credential', `apiKey=${CREDS.apiKey}`],
        t.io,
      );
      assert.equal(code, 0, t.out() + t.err());
      assert.match(t.out(), /SUCCESS/);
      assert.match(t.out(), /bot_keeps/);
      assert.ok(!t.out().includes(CREDS.apiKey));

      const wrong = io({}, dir);
      assert.equal(await runCli(['run-action', 'local/baton-assess-intent.custom.json', '--input', `conversationId=${h.sandbox.scenarios.highConfidence}`, '--credential', 'apiKey=wrong-key-0000000000'], wrong.io), 1);
    } finally {
      await h.close();
    }
  });

  it('baton run-action takes secrets from --credentials-file and --credential-env, and prints them nowhere', async () => {
    const h = await startHarness();
    try {
      const cid = `conversationId=${h.sandbox.scenarios.highConfidence}`;
      for (const auth of ['apikey', 'oauth']) {
        const exp = io({}, dir);
        assert.equal(await runCli(['export-actions', '--base-url', h.url, '--auth', auth, '--out', `secret-${auth}`, '--allow-insecure'], exp.io), 0, exp.err());
      }
      const apikeyAction = 'secret-apikey/baton-assess-intent.custom.json';
      const oauthAction = ['secret-oauth/baton-assess-intent.custom.json', '--custom-auth', 'secret-oauth/baton-oauth.customAuth.json'];
      const secrets = [CREDS.apiKey, CREDS.oauthClientSecret];
      const ok = async (args: string[], env: Record<string, string> = {}) => {
        for (const json of [false, true]) {
          const t = io(env, dir);
          const code = await runCli(['run-action', ...args, '--input', cid, ...(json ? ['--json'] : [])], t.io);
          assert.equal(code, 0, t.out() + t.err());
          if (json) assert.equal(JSON.parse(t.out()).success, true);
          else assert.match(t.out(), /SUCCESS/);
          assert.match(t.out(), /bot_keeps/);
          for (const secret of secrets) assert.ok(!(t.out() + t.err()).includes(secret), `${secret} printed by ${args.join(' ')}`);
        }
      };

      // A flat JSON object of fields, path relative to the cwd.
      await writeFile(join(dir, 'apikey.creds.json'), JSON.stringify({ apiKey: CREDS.apiKey }));
      await ok([apikeyAction, '--credentials-file', 'apikey.creds.json']);
      await writeFile(join(dir, 'oauth.creds.json'), JSON.stringify({ clientId: CREDS.oauthClientId, clientSecret: CREDS.oauthClientSecret }));
      await ok([...oauthAction, '--credentials-file', 'oauth.creds.json']);

      // From the environment the CLI was given (io.env), with --credential for the non-secret field.
      await ok([apikeyAction, '--credential-env', 'apiKey=BATON_TEST_API_KEY'], { BATON_TEST_API_KEY: CREDS.apiKey });
      await ok([...oauthAction, '--credential', `clientId=${CREDS.oauthClientId}`, '--credential-env', 'clientSecret=BATON_TEST_SECRET'], { BATON_TEST_SECRET: CREDS.oauthClientSecret });

      // The credential really is what authenticates: the wrong key from the file fails.
      await writeFile(join(dir, 'wrong.creds.json'), JSON.stringify({ apiKey: 'wrong-key-0000000000' }));
      const wrong = io({}, dir);
      assert.equal(await runCli(['run-action', apikeyAction, '--input', cid, '--credentials-file', 'wrong.creds.json'], wrong.io), 1);

      // Mistakes are named without echoing a value.
      const unset = io({}, dir);
      assert.equal(await runCli(['run-action', apikeyAction, '--input', cid, '--credential-env', 'apiKey=BATON_TEST_UNSET'], unset.io), 2);
      assert.match(unset.err(), /BATON_TEST_UNSET is not set/);
      await writeFile(join(dir, 'broken.creds.json'), `{"apiKey": ${CREDS.apiKey}}`);
      const broken = io({}, dir);
      assert.equal(await runCli(['run-action', apikeyAction, '--input', cid, '--credentials-file', 'broken.creds.json'], broken.io), 2);
      assert.match(broken.err(), /broken\.creds\.json is not valid JSON/);
      assert.ok(!(broken.out() + broken.err()).includes(CREDS.apiKey));
      await writeFile(join(dir, 'nested.creds.json'), JSON.stringify({ apiKey: { value: CREDS.apiKey } }));
      const nested = io({}, dir);
      assert.equal(await runCli(['run-action', apikeyAction, '--input', cid, '--credentials-file', 'nested.creds.json'], nested.io), 2);
      assert.match(nested.err(), /field "apiKey" .* must be a string/);
      const twice = io({ K: CREDS.apiKey }, dir);
      assert.equal(await runCli(['run-action', apikeyAction, '--input', cid, '--credentials-file', 'apikey.creds.json', '--credential-env', 'apiKey=K'], twice.io), 2);
      assert.match(twice.err(), /"apiKey" is given twice/);
      assert.ok(!(twice.out() + twice.err()).includes(CREDS.apiKey));
    } finally {
      await h.close();
    }
  });

  it('baton serve (sandbox mode, no inbound auth) prints a dev key and a curl line that performs a handoff', async () => {
    const t = io({ PORT: '0', LOG_LEVEL: 'info' });
    const logs = createLogCapture();
    let handle: ServeHandle | undefined;
    const code = await runCli(['serve'], t.io, { onServing: (h) => (handle = h), logDestination: logs.stream });
    assert.equal(code, 0, t.err());
    try {
      const out = t.out();
      assert.match(out, /SANDBOX MODE/);
      assert.match(out, /DEV-ONLY API key/);
      const curl = out.split('\n').find((l) => l.startsWith('curl '));
      assert.ok(curl, out);
      const key = /X-API-Key: (dev-[A-Za-z0-9_-]+)/.exec(curl)![1]!;
      const body = /-d '([^']+)'/.exec(curl)![1]!;
      const url = /POST (\S+)/.exec(curl)![1]!;
      assert.equal(JSON.parse(body).conversationId, handle!.runtime.sandbox!.scenarios.lowConfidence);
      const res = await request(url.replace(/\/v1\/actions\/handoff$/, '')).post('/v1/actions/handoff').set('Content-Type', 'application/json').set('X-API-Key', key).send(body);
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ready_for_transfer');
      for (const id of Object.values({ a: handle!.runtime.sandbox!.scenarios.highConfidence, b: handle!.runtime.sandbox!.scenarios.alreadyHandedOff })) assert.ok(out.includes(id));
      // The dev key is printed for the human, never logged.
      assert.ok(!logs.text().includes(key));
      // The whole conversation runs too: the banner says how to chat, and the flow it runs is the exported one.
      const sb = handle!.runtime.sandbox!;
      assert.ok(out.includes(`pnpm baton chat --url ${sb.webMessagingUrl} --deployment-id ${sb.deploymentId}`), out);
      // … and links the sandbox console, which the sandbox serves.
      assert.ok(out.includes(sb.consoleUrl), out);
      assert.equal((await fetch(sb.consoleUrl)).status, 200);
      assert.ok(handle!.loop, 'the conversation loop runs in sandbox mode');
      assert.match(await readFile(handle!.loop!.flowFile, 'utf8'), /inboundShortMessage:/);
    } finally {
      await handle?.stop('test');
    }
  });

  it('baton serve with REDIS_URL keeps state in Redis, shares the pacer, and /readyz reports the state store', async () => {
    const prefix = `baton-cli-test-${process.pid}-${Date.now()}:`;
    const t = io({ PORT: '0', REDIS_URL: 'redis://127.0.0.1:6379', BATON_REDIS_PREFIX: prefix, BATON_API_KEY: CREDS.apiKey });
    let handle: ServeHandle | undefined;
    assert.equal(await runCli(['serve'], t.io, { onServing: (h) => (handle = h), logDestination: createLogCapture().stream }), 0, t.err());
    try {
      assert.equal(handle!.runtime.stores.kind, 'redis');
      const base = handle!.url;
      const ready = await request(base).get('/readyz');
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.match(JSON.stringify(ready.body), /state/);
      const cid = handle!.runtime.sandbox!.scenarios.lowConfidence;
      const res = await request(base).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).send({ conversationId: cid });
      assert.equal(res.status, 200);
      const trace = await handle!.runtime.stores.traces.get(res.body.handoffId);
      assert.equal(trace?.conversationId, cid, 'the trace was written to Redis');
    } finally {
      await handle?.stop('test');
      // Leave the shared Redis as we found it: only this test's keys.
      const redis = new Redis('redis://127.0.0.1:6379');
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('baton serve with an unreachable REDIS_URL starts, but /readyz says the state store is failing', async () => {
    const t = io({ PORT: '0', REDIS_URL: 'redis://127.0.0.1:1', BATON_API_KEY: CREDS.apiKey });
    let handle: ServeHandle | undefined;
    assert.equal(await runCli(['serve'], t.io, { onServing: (h) => (handle = h), logDestination: createLogCapture().stream }), 0, t.err());
    try {
      const ready = await request(handle!.url).get('/readyz');
      assert.equal(ready.status, 503);
      assert.match(JSON.stringify(ready.body), /state/);
    } finally {
      await handle?.stop('test');
    }
  });

  it('baton serve in org mode without inbound credentials refuses to start, naming what to set', async () => {
    const t = io({ GENESYS_REGION: 'us_east_1', GENESYS_CLIENT_ID: 'x', GENESYS_CLIENT_SECRET: 'y', PORT: '0' });
    assert.equal(await runCli(['serve'], t.io), 2);
    assert.match(t.err(), /BATON_API_KEY/);
  });
});
