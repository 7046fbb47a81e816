import assert from 'node:assert/strict';
import { createSandbox, conversationFixtureSchema, SCENARIO_NAMES } from '../src/index.js';
import { createOrg } from '../src/state/org.js';
import { createPrng } from '../src/state/prng.js';
import { generateFixtures, seedDirectory } from '../src/state/seed.js';
import { UUID_RE, withSandbox } from './helpers.js';

const NOW = Date.parse('2026-09-01T12:00:00.000Z');

describe('seeded org', () => {
  it('when two sandboxes use the same seed, then ids are identical; another seed gives other ids', async () => {
    const ids = async (seed: number) =>
      withSandbox({ seed, conversations: 5, now: () => NOW }, async (sb) => ({
        scenarios: sb.scenarios,
        queues: sb.queues,
        bot: sb.botFlowId,
        all: sb.org.listConversations().map((c) => c.id),
      }));
    const a = await ids(7);
    const b = await ids(7);
    const c = await ids(8);
    assert.deepEqual(a, b);
    assert.notEqual(a.bot, c.bot);
    assert.notDeepEqual(a.all, c.all);
  });

  it('when the generated count changes, then the named scenarios keep their ids', async () => {
    const few = await withSandbox({ conversations: 1, now: () => NOW }, async (sb) => sb.scenarios);
    const many = await withSandbox({ conversations: 40, now: () => NOW }, async (sb) => sb.scenarios);
    assert.deepEqual(few, many);
  });

  it('generates 10,000 conversations with uuid ids, bot sessions and a mix of states', () => {
    const prng = createPrng(42);
    const dir = seedDirectory(prng, NOW);
    const org = createOrg(dir, prng, () => NOW);
    for (const f of generateFixtures(createPrng(1), dir, 10_000)) org.addParsedConversation(f);
    const all = org.listConversations();
    assert.equal(all.length, 10_000);
    assert.equal(new Set(all.map((c) => c.id)).size, 10_000);
    for (const c of all.slice(0, 200)) {
      assert.match(c.id, UUID_RE);
      for (const p of c.participants) assert.match(p.id, UUID_RE);
    }
    const queued = all.filter((c) => c.participants.some((p) => p.purpose === 'acd')).length;
    const withAgent = all.filter((c) => c.participants.some((p) => p.purpose === 'agent')).length;
    assert.ok(queued > 3000 && queued < 7000, `queued ${queued}`);
    assert.ok(withAgent > 1000, `withAgent ${withAgent}`);
    assert.ok(org.botSessions().length > 7000);
    const unsorted = all.filter((c) => {
      const customer = c.participants[0];
      const times = (customer?.messageIds ?? []).map((id) => c.messages.find((m) => m.id === id)?.at ?? 0);
      return times.some((t, i) => i > 0 && t < (times[i - 1] ?? 0));
    }).length;
    assert.ok(unsorted > 0, 'some conversations list messages out of order');
  });
});

describe('named scenarios', () => {
  it('bot.confidence participant data appears only where a scenario\'s bot writes it (lowConfidence, highConfidence)', async () => {
    await withSandbox({ conversations: 200, now: () => NOW }, async (sb) => {
      const named = new Set(Object.values(sb.scenarios));
      const writers = new Set([sb.scenarios.lowConfidence, sb.scenarios.highConfidence]);
      const conversations = sb.org.listConversations();
      assert.ok(conversations.length > 200);
      for (const c of conversations) {
        const customer = c.participants.find((p) => p.purpose === 'customer');
        const hasConfidence = customer?.attributes?.['bot.confidence'] !== undefined;
        assert.equal(hasConfidence, writers.has(c.id), `${named.has(c.id) ? 'scenario' : 'generated'} conversation ${c.id}`);
      }
    });
  });

  it('each scenario has the shape its name promises', async () => {
    await withSandbox({ conversations: 0 }, async (sb) => {
      assert.deepEqual(Object.keys(sb.scenarios).sort(), [...SCENARIO_NAMES].sort());
      const conv = (name: keyof typeof sb.scenarios) => sb.org.getConversation(sb.scenarios[name]);
      const customerData = (name: keyof typeof sb.scenarios) => conv(name)?.participants[0]?.attributes ?? {};
      const session = (name: keyof typeof sb.scenarios) => sb.org.botSessions().find((s) => s.conversationId === sb.scenarios[name]);

      assert.equal(customerData('lowConfidence')['bot.confidence'], '0.42');
      assert.ok(customerData('lowConfidence')['bot.intent']);
      assert.equal(customerData('highConfidence')['bot.confidence'], '0.93');
      assert.deepEqual(customerData('analyticsOnly'), {});
      assert.equal(session('analyticsOnly')?.turns.find((t) => t.intent)?.intent?.confidence, 0.35);
      assert.deepEqual(customerData('noIntent'), {});
      assert.equal(session('noIntent'), undefined);
      const handed = conv('alreadyHandedOff');
      assert.equal(handed?.participants.find((p) => p.purpose === 'workflow')?.state, 'disconnected');
      assert.equal(handed?.participants.find((p) => p.purpose === 'acd')?.queueId, sb.queues[0]?.id);
      assert.ok((conv('outOfOrder')?.messages ?? []).some((m) => m.kind !== 'text'));
      assert.equal(conv('noMessages')?.messages.length, 0);
      const pii = (conv('withPii')?.messages ?? []).map((m) => m.text).join(' ');
      assert.match(pii, /[\w.]+@[\w.]+/);
      assert.match(pii, /4111 1111 1111 1111/);
      assert.match(pii, /\+1 \(555\)/);
      assert.ok((conv('longTranscript')?.messages.length ?? 0) >= 80);
    });
  });

  it('when a fixture is invalid (agent messages while the bot holds it), then the schema rejects it', async () => {
    assert.equal(conversationFixtureSchema.safeParse({ messages: [{ from: 'agent', text: 'hi' }] }).success, false);
    const sb = await createSandbox({ conversations: 0 });
    try {
      assert.throws(() => sb.org.addConversation({ messages: [{ from: 'agent', text: 'hi' }] }), { name: 'SandboxError', code: 'sandbox.fixture.invalid' });
      const id = sb.org.addConversation({ state: 'inQueue', queueId: sb.queues[1]?.id, messages: [{ from: 'customer', text: 'a' }, { from: 'agent', text: 'b', at: 30 }] });
      const purposes = sb.org.getConversation(id)?.participants.map((p) => `${p.purpose}:${p.state}`);
      assert.deepEqual(purposes, ['customer:connected', 'workflow:disconnected', 'acd:disconnected', 'agent:connected']);
    } finally {
      await sb.close();
    }
  });
});
