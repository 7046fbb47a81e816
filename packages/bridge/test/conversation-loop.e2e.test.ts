import assert from 'node:assert/strict';
import { createGuestClient, type GuestClient, type GuestClientEvent } from '@baton/core';
import { runCli } from '../src/commands/program.js';
import type { ServeHandle } from '../src/commands/serve.js';
import { captureIo } from './helpers/cli-io.js';

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

  /** A customer: says each line once the bot has answered the previous one; collects what arrives. */
  async function customer() {
    const sb = sandbox();
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
      conversationId: () => conversationId!,
      async say(text: string) {
        const before = texts('bot').length + texts('agent').length;
        await client.sendText(text);
        conversationId ??= sb.guest.conversationIdOf(client.token);
        await until(`an answer to "${text}"`, () => texts('bot').length + texts('agent').length > before);
      },
    };
  }

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

  it('when the bot served an intent with a confidence at or above the threshold, then Baton answers bot_keeps and the flow goes back to the bot', async () => {
    const c = await customer();
    await c.say('I want a refund for order 4445556');
    await c.until('the flow back in the bot (its greeting again)', () => c.texts('bot').filter((t) => t.startsWith('Hi! I am the support bot')).length === 2);
    const [trace] = await handle.runtime.stores.traces.list({ conversationId: c.conversationId() });
    assert.equal(trace?.status, 'bot_keeps', 'the flow called the handoff action, which let the bot keep it');
    assert.equal(sandbox().agents.viewOf(c.conversationId()), undefined, 'no agent');
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
