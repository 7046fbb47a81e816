import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { runCli } from '../../src/commands/program.js';
import type { ServeHandle } from '../../src/commands/serve.js';
import { captureIo } from '../helpers/cli-io.js';

/**
 * Customers per run: modest by default so the suite stays fast (BATON_SANDBOX_FUZZ_RUNS, shared
 * with the sandbox's own fuzz tests, scales it: runs / 10 customers).
 */
const CUSTOMERS = Math.max(4, Math.floor(Number(process.env.BATON_SANDBOX_FUZZ_RUNS ?? 80) / 10));
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);

/**
 * What a customer may type: it travels through the sandbox's bot, the exported flow's Velocity
 * request template and the bridge (quotes, backslashes, Velocity and JSON syntax, unicode, the
 * 4,096-character limit), and whatever the Guest API refuses (empty, too long) is refused there.
 */
const texts = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '"}, "conversationId": "x", "a": {"',
      '\\',
      '\\"',
      '$input.conversationId',
      '${input.rawRequest}',
      '#set($x = 1)#foreach($i in [1..100000000])$i#end',
      '#macro(a)#a()#end#a()',
      '$esc.jsonString(',
      '{"exitReason":"AgentRequestedByUser"}',
      'I want to talk to a human agent please',
      'where is my order 5551234',
      'I want a refund for order 4445556',
      '\u0000\u0001\u001f',
      '\u2028\u2029',
      '\ud83d\ude00'.repeat(300),
      'null',
      '   ',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 4090, max: 4200 }).map((n) => 'm'.repeat(n)) },
);

interface Customer {
  ws: WebSocket;
  token: string;
  frames: { type?: string; code?: number; class?: string; body?: unknown }[];
  closed: boolean;
}

async function connect(origin: string, deploymentId: string): Promise<Customer> {
  // Node's own WebSocket client: the bridge has no dependency on ws.
  const ws = new WebSocket(`${origin}/v1?deploymentId=${deploymentId}`);
  const c: Customer = { ws, token: randomUUID(), frames: [], closed: false };
  ws.addEventListener('message', (e) => c.frames.push(JSON.parse(String(e.data)) as Customer['frames'][number]));
  ws.addEventListener('close', () => (c.closed = true));
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('the Guest API socket did not open')), { once: true });
  });
  ws.send(JSON.stringify({ action: 'configureSession', token: c.token, deploymentId }));
  return c;
}

/**
 * The whole loop `pnpm start` runs (the Guest API, the sandbox's bot, the exported Archy flow and
 * data actions, the bridge, the agents) fed random customer texts: nothing may fail outside the
 * flow's own Failure paths (a warning 'the sandbox flow failed'), no request may get a 5xx from
 * the bridge, no socket may be dropped, and a customer afterwards is still handed off.
 */
describe('fuzzing the conversation loop with customer texts (fast-check, real sockets, the whole loop)', function () {
  this.timeout(60_000);
  let handle: ServeHandle;
  /** The bridge's JSON log lines at warn and above. */
  const logs: string[] = [];

  before(async () => {
    const io = captureIo({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    const logDestination = { write: (line: string) => void logs.push(line) };
    assert.equal(await runCli(['serve'], io.io, { onServing: (h) => (handle = h), logDestination }), 0, io.err());
  });
  after(async () => handle?.stop('test'));

  it(`${CUSTOMERS} customers × 1–4 random texts: no flow failure, no 5xx, no socket dropped; the loop still hands off afterwards`, async () => {
    const sb = handle.runtime.sandbox!;
    const conversations = fc.sample(fc.array(texts, { minLength: 1, maxLength: 4 }), { numRuns: CUSTOMERS, seed: SEED });
    const customers = await Promise.all(
      conversations.map(async (lines) => {
        const c = await connect(sb.webMessagingUrl, sb.deploymentId);
        for (const text of lines) {
          c.ws.send(JSON.stringify({ action: 'onMessage', token: c.token, message: { type: 'Text', text } }));
          // Room for the bot, the flow and the bridge to answer before the next line.
          await new Promise((r) => setTimeout(r, 150));
        }
        return c;
      }),
    );
    // Let the last lines' flows run to their data actions and back.
    await new Promise((r) => setTimeout(r, 1500));
    const problems: string[] = [];
    for (const [i, c] of customers.entries()) {
      if (c.closed) problems.push(`customer ${i} was dropped: ${JSON.stringify(conversations[i]).slice(0, 200)}`);
      for (const f of c.frames) {
        if (f.code !== 200 && f.code !== 400 && f.code !== 4011) problems.push(`customer ${i} got ${JSON.stringify(f).slice(0, 200)}`);
      }
      c.ws.close();
    }
    // LOG_LEVEL warn: a flow that failed outside its Failure paths, or a request answered 5xx.
    const logged = logs.filter((l) => /the sandbox flow failed|"status":5\d\d|"level":(50|60)/.test(l));
    problems.push(...logged.map((l) => l.slice(0, 400)));
    if (process.env.FUZZ_VERBOSE) console.log(logs.join('').slice(0, 3000));
    assert.deepEqual(problems, [], `seed ${SEED}`);

    // The loop still works: a customer asking for a human is answered by an agent.
    const after = await connect(sb.webMessagingUrl, sb.deploymentId);
    after.ws.send(JSON.stringify({ action: 'onMessage', token: after.token, message: { type: 'Text', text: 'I want to talk to a human agent please' } }));
    for (let waited = 0; sb.guest.conversationIdOf(after.token) === undefined; waited += 20) {
      assert.ok(waited < 5000, 'the conversation started');
      await new Promise((r) => setTimeout(r, 20));
    }
    const view = await sb.agents.whenAnswered(sb.guest.conversationIdOf(after.token)!);
    assert.equal(view.queue.name, sb.queues[0]!.name);
    after.ws.close();
  });
});
