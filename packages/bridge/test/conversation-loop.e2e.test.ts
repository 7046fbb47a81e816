import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGuestClient, type GuestClient, type GuestClientEvent } from '@baton/core';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import { runCli } from '../src/commands/program.js';
import { serve, type ServeHandle } from '../src/commands/serve.js';
import { startSandboxLoop, type SandboxLoop } from '../src/conversation-loop.js';
import { captureIo } from './helpers/cli-io.js';

/** A customer on the sandbox's Guest API: says each line once the bot has answered the previous one; collects what arrives. */
async function customerOn(sb: Sandbox) {
  const client: GuestClient = createGuestClient({ origin: sb.webMessagingUrl, deploymentId: sb.deploymentId, heartbeatMs: 0 });
  const events: GuestClientEvent[] = [];
  client.on((e) => void events.push(e));
  await client.connect();
  const texts = (from?: string) =>
    events.flatMap((e) => (e.kind === 'text' && (from === undefined || e.from === from) ? [e.text] : []));
  const until = async (what: string, test: () => boolean, ms = 10_000) => {
    for (let waited = 0; !test(); waited += 25) {
      if (waited > ms) assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(texts())}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  let conversationId: string | undefined;
  return {
    client,
    texts,
    until,
    conversationId: () => (conversationId ??= sb.guest.conversationIdOf(client.token))!,
    async say(text: string) {
      const before = texts('bot').length + texts('agent').length;
      await client.sendText(text);
      conversationId ??= sb.guest.conversationIdOf(client.token);
      await until(`an answer to "${text}"`, () => texts('bot').length + texts('agent').length > before);
    },
  };
}

/**
 * The whole conversation on the sandbox, as `pnpm start` runs it (issue 15): a customer on the Web
 * Messaging Guest API (core's guest client, over a real WebSocket), the sandbox's bot, the exported
 * Archy flow calling the bridge's exported data actions over real HTTP, and the sandbox's agents.
 * One test per outcome the loop supports.
 */
describe('the conversation loop (pnpm start): one customer per outcome', () => {
  let handle: ServeHandle;
  before(async () => {
    const t = captureIo({ PORT: '0', HOST: '127.0.0.1' });
    assert.equal(await runCli(['serve'], t.io, { onServing: (h) => (handle = h) }), 0, t.err());
  });
  after(async () => handle?.stop('test'));

  const sandbox = () => handle.runtime.sandbox!;

  const customer = () => customerOn(sandbox());

  it('when the bot can serve it (an order status), then the bot answers and nothing is handed off', async () => {
    const c = await customer();
    await c.say('where is my order 5551234');
    await c.until('the order status', () => c.texts('bot').some((t) => t.includes('Order 5551234 is on its way')));
    await new Promise((r) => setTimeout(r, 300));
    const conversation = sandbox().org.getConversation(c.conversationId())!;
    assert.equal(conversation.participants.some((p) => p.purpose === 'acd' || p.purpose === 'agent'), false, 'no queue, no agent');
    assert.equal(sandbox().org.customerAttributes(c.conversationId())?.['baton.handoffId'], undefined, 'Baton was not called to hand off');
    await c.client.close();
  });

  it('when the customer asks for a human, then the flow calls Baton, says please wait, and an agent of the queue answers with the context', async () => {
    const c = await customer();
    await c.say('I was charged twice for order 88812, I want to talk to a human');
    const view = await sandbox().agents.whenAnswered(c.conversationId());
    await c.until("the flow's Send Response", () => c.texts('bot').includes('Transferring to human support. Please wait.'));
    assert.equal(view.queue.name, sandbox().queues[0]!.name);
    assert.equal(view.participantData['conversationDetails.participantData.Baton Exit Reason'], 'AgentRequestedByUser');
    assert.match(view.participantData['conversationDetails.participantData.Baton Summary'] ?? '', /charged twice for order 88812/);
    await c.client.close();
  });

  it('when the bot served an intent with a low confidence, then Baton hands off on it and the agent gets the intent and confidence', async () => {
    const c = await customer();
    // The seeded bot scores this 0.57 for Refund: enough for the bot (0.5), below Baton's 0.70.
    await c.say('the item arrived damaged, order 4445556');
    const view = await sandbox().agents.whenAnswered(c.conversationId());
    assert.equal(view.participantData['conversationDetails.participantData.Baton Intent'], 'identifier:Refund');
    assert.equal(view.participantData['conversationDetails.participantData.Baton Confidence'], 'number:0.57');
    assert.match(view.participantData['conversationDetails.participantData.Baton Reason'] ?? '', /below the threshold 0\.70/);
    await c.client.close();
  });

  it('when the bot served an intent with a confidence at or above the threshold, then Baton answers bot_keeps and the flow goes back to the bot', async () => {
    const c = await customer();
    await c.say('I want a refund for order 4445556');
    await c.until('the flow back in the bot (its greeting again)', () => c.texts('bot').filter((t) => t.startsWith('Hi! I am the support bot')).length === 2);
    const [trace] = await handle.runtime.stores.traces.list({ conversationId: c.conversationId() });
    assert.equal(trace?.status, 'bot_keeps', 'the flow called the handoff action, which let the bot keep it');
    assert.equal(sandbox().agents.viewOf(c.conversationId()), undefined, 'no agent');
    await c.client.close();
  });

  it('when the bot recognised no intent (NOT_SET), then no "NOT_SET" is written or shown: not in participant data, the flow timeline, the agent view or the console', async () => {
    const c = await customer();
    // "agent" at once: the bot exits AgentRequestedByUser before it recognised anything.
    await c.say('agent');
    const id = c.conversationId();
    const view = await sandbox().agents.whenAnswered(id);
    assert.equal(view.participantData['conversationDetails.participantData.Baton Exit Reason'], 'AgentRequestedByUser');
    assert.equal('bot.intent' in view.participantData, false, 'the bot wrote no intent: NOT_SET has no value');
    assert.equal(view.participantData['conversationDetails.participantData.Baton Intent'], undefined);
    const bot = sandbox().console.sources.timelineOf?.(id).events.find((e) => e.step === 'Call Digital Bot Flow');
    assert.equal(bot?.outcome, 'AgentRequestedByUser');
    assert.equal(bot?.detail, undefined, 'no "intent …" on the timeline');
    // What the console page receives (its Server-Sent Events snapshot for this guest session).
    const abort = new AbortController();
    const res = await fetch(`${sandbox().consoleUrl}/events?session=${encodeURIComponent(c.client.token)}`, { signal: abort.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const snapshot = text.match(/^data: (.*)$/m)?.[1] ?? '';
    assert.match(snapshot, /"agentView"/, 'the snapshot has the agent view');
    assert.doesNotMatch(snapshot, /NOT_SET/);
    await c.client.close();
  });

  it('when the bot keeps not understanding, then it gives up (RecognitionFailure) and Baton hands off on that rule', async () => {
    const c = await customer();
    await c.say('blorp zzkx');
    await c.say('qwerty uiop');
    const view = await sandbox().agents.whenAnswered(c.conversationId());
    assert.equal(view.participantData['conversationDetails.participantData.Baton Exit Reason'], 'RecognitionFailure');
    assert.match(view.participantData['conversationDetails.participantData.Baton Reason'] ?? '', /the bot gave up/);
    await c.client.close();
  });
});

/**
 * The flow's Failure and Timeout paths through the running loop: the serve's own loop is swapped for
 * one (the same exported artefacts, `startSandboxLoop`) whose data actions reach no bridge or time out
 * before the bridge answers, as Genesys's Call Data Action would.
 */
describe('the conversation loop when Baton cannot answer: the flow falls back to the default queue', () => {
  let handle: ServeHandle;
  let loop: SandboxLoop | undefined;
  before(async () => {
    const t = captureIo({ PORT: '0', HOST: '127.0.0.1' });
    assert.equal(await runCli(['serve'], t.io, { onServing: (h) => (handle = h) }), 0, t.err());
    handle.loop?.close();
  });
  afterEach(() => {
    loop?.close();
    loop = undefined;
    handle.runtime.sandbox!.faults.clear();
  });
  after(async () => handle?.stop('test'));

  const sandbox = () => handle.runtime.sandbox!;

  /** A port nobody listens on: the bridge is down. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    return port;
  }

  it('when the bridge is down, then the flow takes its Failure path to the default queue, an agent answers, and no Baton context was written', async () => {
    const sb = sandbox();
    loop = await startSandboxLoop({ sandbox: sb, bridgeUrl: `http://127.0.0.1:${await closedPort()}`, apiKey: handle.auth.apiKey! });
    const c = await customerOn(sb);
    await c.client.sendText('I was charged twice for order 88812, I want to talk to a human');
    const view = await sb.agents.whenAnswered(c.conversationId());
    assert.equal(view.queue.id, sb.queues[0]!.id, 'the default queue');
    const run = await loop.loop.runOf(c.conversationId())!;
    assert.ok(run.trace.some((e) => e.action === 'callData' && e.path === 'failure'), JSON.stringify(run.trace));
    assert.equal(run.outcome.kind === 'transferred' && run.outcome.queueId, sb.queues[0]!.id, 'transferred to the default queue');
    assert.equal(sb.org.customerAttributes(c.conversationId())?.['baton.handoffId'], undefined, 'no Baton context');
    assert.equal(view.participantData['conversationDetails.participantData.Baton Summary'], undefined, 'the agent sees no Baton summary');
    assert.deepEqual(await handle.runtime.stores.traces.list({ conversationId: c.conversationId() }), [], 'the bridge never saw it');
    await c.client.close();
  });

  it("when the data action times out (the bridge answers after the action's timeout), then the flow takes its Timeout path to the default queue and an agent answers", async () => {
    const sb = sandbox();
    // The bridge's first Platform API call is held past the exported actions' 1 s timeout.
    sb.faults.add({ route: '*', kind: 'latency', ms: 1800, times: 1 });
    loop = await startSandboxLoop({ sandbox: sb, bridgeUrl: handle.url, apiKey: handle.auth.apiKey!, timeoutSeconds: 1 });
    const c = await customerOn(sb);
    await c.client.sendText('I was charged twice for order 88812, I want to talk to a human');
    const view = await sb.agents.whenAnswered(c.conversationId());
    assert.equal(view.queue.id, sb.queues[0]!.id, 'the default queue');
    const run = await loop.loop.runOf(c.conversationId())!;
    const call = run.trace.find((e) => e.action === 'callData');
    assert.equal(call?.path, 'timeout', JSON.stringify(run.trace));
    assert.match(call?.detail ?? '', /timed out after 1 seconds/);
    assert.equal(run.outcome.kind === 'transferred' && run.outcome.queueId, sb.queues[0]!.id, 'transferred to the default queue');
    await c.client.close();
  });
});

/**
 * A returning customer: a deployment that does not show the guest the conversation's disconnect
 * keeps the guest's session writable, so the guest's next message threads into the same
 * conversation id with a new bot session (docs/genesys-facts.md#messaging-threading-timeline).
 */
describe('the conversation loop with a returning customer (the deployment shows the guest no conversation disconnect)', () => {
  let handle: ServeHandle;
  before(async () => {
    const t = captureIo({ PORT: '0', HOST: '127.0.0.1' });
    handle = await serve(t.io, {
      banner: false,
      logDestination: { write: () => undefined },
      runtimeOptions: { startSandbox: (o) => createSandbox({ ...o, conversationDisconnect: { displayToGuest: false } }) },
    });
  });
  after(async () => handle?.stop('test'));

  it('when the agent ends it and the customer writes again on the same socket, then the flow runs again and Baton hands off a second time on the same conversation, its context starting at the new session', async () => {
    const sb = handle.runtime.sandbox!;
    const c = await customerOn(sb);
    await c.client.sendText('I was charged twice for order 88812, I want to talk to a human');
    const id = c.conversationId();
    const first = await sb.agents.whenAnswered(id);
    const firstHandoff = sb.org.customerAttributes(id)?.['baton.handoffId'];
    assert.ok(firstHandoff, 'the first handoff wrote its context');
    sb.agents.disconnect(id);

    await c.client.sendText('my parcel never arrived, I want to talk to a human');
    assert.equal(sb.guest.conversationIdOf(c.client.token), id, 'the same conversation id');
    await c.until('a second agent', () => sb.agents.viewOf(id) !== first);
    const second = sb.agents.viewOf(id)!;
    const secondHandoff = sb.org.customerAttributes(id)?.['baton.handoffId'];
    assert.ok(secondHandoff, 'the second handoff wrote its context');
    assert.notEqual(secondHandoff, firstHandoff, 'a new handoff, keyed to the new session');
    const summary = second.participantData['conversationDetails.participantData.Baton Summary'] ?? '';
    assert.match(summary, /parcel never arrived/);
    assert.doesNotMatch(summary, /88812/, 'the context starts at the new session');

    const participants = sb.org.getConversation(id)!.participants;
    const flows = participants.filter((p) => p.purpose === 'workflow');
    assert.equal(flows.length, 2, 'a new flow participant holds the new session');
    assert.equal(flows[0]!.state, 'disconnected');
    assert.ok(
      participants.filter((p) => p.purpose === 'acd' || p.purpose === 'agent').slice(0, 2).every((p) => p.state === 'disconnected'),
      "the first session's queue and agent stay disconnected",
    );
    assert.equal(second.queue.id, first.queue.id);
    await c.client.close();
  });
});
