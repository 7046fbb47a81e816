import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'mocha';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import { createFloorServer } from '../src/floor/floor.js';
import { HANDOFF_PATH } from '../src/targets.js';

describe('floor (the minimal target the bench measures the bridge against)', () => {
  let sb: Sandbox;
  let server: Server;
  let url: string;
  const apiKey = 'floor-test-key-8dJ2kq';
  before(async () => {
    sb = await createSandbox({ seed: 4, conversations: 0 });
    server = createFloorServer({ genesysUrl: sb.url, clientId: sb.clientId, clientSecret: sb.clientSecret, apiKey });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${HANDOFF_PATH}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await sb.close();
  });

  const post = (body: unknown, key = apiKey) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });

  it('when handoffs run, then each makes the bridge’s three calls, the token is fetched once, and the transcript reaches the agent', async () => {
    const long = 'x'.repeat(300);
    const ids = [1, 2, 3].map((n) =>
      sb.org.addConversation({
        messages: [
          { from: 'customer', text: `order ${n} never came ${long}`, at: 5 },
          { from: 'bot', text: 'Which order?', at: 9 },
        ],
      }),
    );
    sb.counters.reset();
    for (const conversationId of ids) {
      const res = await post({ conversationId, confidence: 0.3 });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { status: string }).status, 'ready_for_transfer');
    }
    assert.deepEqual(sb.counters.snapshot().byRoute, {
      postToken: 1,
      getConversationsMessage: 3,
      postConversationsMessageMessagesBulk: 3,
      patchConversationsMessageParticipantAttributes: 3,
    });
    const customer = sb.org.getConversation(ids[0] ?? '')?.participants.find((p) => p.purpose === 'customer');
    const parts = Object.entries(customer?.attributes ?? {}).filter(([k]) => k.startsWith('conversationDetails.participantData.baton.transcript.'));
    assert.equal(parts.length, 2, 'a transcript over 256 characters is written as two parts');
    assert.ok(parts.every(([, v]) => v.length <= 256));
    assert.match(parts.map(([, v]) => v).join(''), /^Customer: order 1 never came x+\nBot: Which order\?$/);
  });

  it('when handoffs arrive at once on a cold start, then they share one token request', async () => {
    const cold = createFloorServer({ genesysUrl: sb.url, clientId: sb.clientId, clientSecret: sb.clientSecret, apiKey });
    await new Promise<void>((resolve) => cold.listen(0, '127.0.0.1', resolve));
    try {
      const coldUrl = `http://127.0.0.1:${(cold.address() as AddressInfo).port}${HANDOFF_PATH}`;
      const ids = Array.from({ length: 20 }, () => sb.org.addConversation({ messages: [{ from: 'customer', text: 'help', at: 1 }] }));
      sb.counters.reset();
      const answers = await Promise.all(
        ids.map((conversationId) => fetch(coldUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body: JSON.stringify({ conversationId }) })),
      );
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
      assert.equal(sb.counters.snapshot().byRoute.postToken, 1);
    } finally {
      cold.closeAllConnections();
      await new Promise((resolve) => cold.close(resolve));
    }
  });

  it('when the key is wrong or the id missing, then it refuses without calling Genesys', async () => {
    sb.counters.reset();
    assert.equal((await post({ conversationId: 'x' }, 'wrong-key-wrong-key-')).status, 401);
    assert.equal((await post({})).status, 400);
    assert.equal(sb.counters.snapshot().total, 0);
  });
});
