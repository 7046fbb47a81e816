import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Models } from 'purecloud-platform-client-v2';
import {
  BOT_EXIT_REASONS,
  createSandbox,
  DEFAULT_BOT,
  extractSlots,
  loadBotDefinition,
  parseBotDefinition,
  scoreIntents,
  type BotDefinitionInput,
  type Sandbox,
} from '../src/index.js';
import { guestOn, playBot, say, type BotHarness } from './bot-harness.js';
import type { GuestClient } from './guest-client.js';
import { clientFor, manualClock, type TestClient } from './helpers.js';

const def = parseBotDefinition(DEFAULT_BOT);

describe('digital bot: the scorer', () => {
  it('when the same sentence is scored twice, then it gets the same intent and confidence (token overlap with the example utterances)', () => {
    const first = scoreIntents(def, 'I want a refund for order 55120');
    assert.deepEqual(first, scoreIntents(def, 'I want a refund for order 55120'));
    // {want, refund, order} against {want, refund}: 2·2 / (3+2) = 0.8; numbers do not count.
    assert.deepEqual(first[0], { intent: 'Refund', confidence: 0.8 });
    assert.deepEqual(scoreIntents(def, 'Where is my parcel?')[0], { intent: 'TrackOrder', confidence: 1 });
    assert.deepEqual(scoreIntents(def, 'can I get my money back')[0], { intent: 'Refund', confidence: 0.67 });
    for (const s of scoreIntents(def, 'blorp zzz')) assert.equal(s.confidence, 0);
  });

  it('when a turn carries slot values, then list values are found as whole words and patterns by their group', () => {
    assert.deepEqual(extractSlots(def, 'Charged twice on my CARD, order 55120'), { orderNumber: '55120', paymentMethod: 'card' });
    assert.deepEqual(extractSlots(def, 'cardboard box 1234'), {});
  });
});

describe('digital bot: the definition file', () => {
  it('when a definition is invalid, then the error names the path of the problem', () => {
    const bad = (patch: Partial<BotDefinitionInput>): string => {
      try {
        parseBotDefinition({ ...DEFAULT_BOT, ...patch });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    assert.match(bad({ intents: [{ name: 'X', utterances: [] }] }), /at intents\.0\.utterances/);
    assert.match(bad({ intents: [{ name: 'X', utterances: ['x'], requires: ['nope'] }] }), /at intents\.0\.requires\.0: no slot named nope/);
    assert.match(bad({ slots: [{ name: 's', pattern: '(' }] }), /at slots\.0\.pattern: not a valid regular expression/);
    assert.match(bad({ exit: { maxNoMatch: 0 } }), /at exit\.maxNoMatch/);
    assert.match(bad({ intents: [{ name: 'X', utterances: ['x'], exitReason: 'Whatever' as 'Error' }] }), /at intents\.0\.exitReason/);
  });

  it('when a JSON file is loaded, then it is validated with the file named in the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bot-def-'));
    try {
      const good = join(dir, 'bot.json');
      writeFileSync(good, JSON.stringify({ id: 'b1', name: 'B1', intents: [{ name: 'Hello', utterances: ['hello there'] }] }));
      const loaded = await loadBotDefinition(good);
      assert.equal(loaded.exit.maxNoMatch, 3);
      assert.equal(loaded.participantData, undefined);
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, JSON.stringify({ id: 'b1', name: 'B1', intents: [] }));
      await assert.rejects(loadBotDefinition(broken), (e: Error) => e.message.includes('broken.json') && e.message.includes('at intents'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits only with the exit reasons a Call Digital Bot Flow gives (core's KNOWN_EXIT_REASONS; core checks the two lists agree)", () => {
    assert.deepEqual([...BOT_EXIT_REASONS].sort(), ['AgentRequestedByUser', 'Error', 'RecognitionFailure', 'TriggeredByFlow', 'TriggeredByUser']);
  });
});

describe('digital bot over the Guest API', () => {
  let sb: Sandbox;
  let api: TestClient;
  let bot: BotHarness;
  const guests: GuestClient[] = [];
  const clock = manualClock(Date.now());
  const guest = async (): Promise<GuestClient> => {
    const g = await guestOn(sb);
    guests.push(g);
    return g;
  };
  const exitOf = (g: GuestClient) => {
    const id = sb.guest.conversationIdOf(g.token) as string;
    return bot.sessions.get(id)?.exit;
  };

  beforeEach(async () => {
    sb = await createSandbox({ conversations: 0, transferDelayMs: 0, analyticsLagMs: 2000, now: clock.now });
    api = await clientFor(sb);
    bot = playBot(sb);
  });
  afterEach(async () => {
    bot.stop();
    await Promise.all(guests.splice(0).map((g) => g.close()));
    await sb.close();
  });

  it('when the customer asks for a human, then the bot exits AgentRequestedByUser with the intent it had and the guest saw Bot replies', async () => {
    const g = await guest();
    const [greeting, ask] = await say(g, 'I want a refund', 2);
    assert.equal(greeting?.body.text, DEFAULT_BOT.greeting);
    assert.equal(greeting?.body.originatingEntity, 'Bot');
    assert.equal(ask?.body.text, 'What is your order number?');
    const [handoff] = await say(g, 'just let me talk to a human please');
    assert.equal(handoff?.body.originatingEntity, 'Bot');
    assert.deepEqual({ ...exitOf(g), botSessionId: undefined }, { exitReason: 'AgentRequestedByUser', intent: 'Refund', slots: {}, confidence: 1, botSessionId: undefined });
  });

  it('when nothing the customer says is understood, then after maxNoMatch turns the bot exits RecognitionFailure with no intent (NOT_SET: absent, not the text)', async () => {
    const g = await guest();
    const [, first] = await say(g, 'blorp zzz', 2);
    assert.equal(first?.body.text, "Sorry, I didn't get that. Could you say it another way?");
    assert.equal(exitOf(g), undefined);
    await say(g, 'my thing is weird');
    assert.deepEqual({ ...exitOf(g), botSessionId: undefined }, { exitReason: 'RecognitionFailure', slots: {}, confidence: 0, botSessionId: undefined });
  });

  it("when an intent's required slots are filled, then the bot says the intent's reply and exits TriggeredByFlow with intent and slots", async () => {
    const g = await guest();
    await say(g, 'I want a refund', 2);
    // "order 55120" alone scores TrackOrder too; the slot answers the question the bot asked.
    const [reply] = await say(g, 'it is order 55120');
    assert.equal(reply?.body.text, 'Thanks. I have noted a refund request for order 55120.');
    const exit = exitOf(g);
    assert.equal(exit?.exitReason, 'TriggeredByFlow');
    assert.equal(exit?.intent, 'Refund');
    assert.deepEqual(exit?.slots, { orderNumber: '55120' });
    assert.equal(exit?.confidence, 1);
  });

  it('when the bot answers an intent itself and the customer says goodbye, then it exits TriggeredByUser', async () => {
    const g = await guest();
    const [, reply] = await say(g, 'where is my parcel? order 66012', 2);
    assert.equal(reply?.body.text, 'Order 66012 is on its way and should arrive within two days. Anything else?');
    assert.equal(exitOf(g), undefined);
    await say(g, "no thanks, that's all");
    assert.deepEqual({ ...exitOf(g), botSessionId: undefined }, {
      exitReason: 'TriggeredByUser',
      intent: 'TrackOrder',
      slots: { orderNumber: '66012' },
      confidence: 0.8,
      botSessionId: undefined,
    });
  });

  it("when a definition's intent says so, then the bot exits with that intent's exit reason (the flow's rules)", async () => {
    const botId = sb.bots.register({ id: 'broken-bot', name: 'Broken', intents: [{ name: 'Outage', utterances: ['the site is down'], reply: 'We know.', exitReason: 'Error' }] });
    bot.stop();
    bot = playBot(sb, botId);
    const g = await guest();
    await say(g, 'the site is down');
    assert.equal(exitOf(g)?.exitReason, 'Error');
    assert.equal(exitOf(g)?.intent, 'Outage');
  });

  it('when the definition names participant data, then the bot writes it on the customer at exit; when not, it writes none', async () => {
    const g = await guest();
    await say(g, 'I want a refund', 2);
    await say(g, 'agent');
    const id = sb.guest.conversationIdOf(g.token) as string;
    const customer = async (cid: string) =>
      (await api.call<Models.MessageConversation>('GET', `/api/v2/conversations/messages/${cid}`)).body.participants?.find((p) => p.purpose === 'customer')?.attributes;
    assert.deepEqual(await customer(id), { 'bot.intent': 'Refund', 'bot.confidence': '1' });

    // Nothing recognised before the customer asked for a human: the intent is NOT_SET, which has no
    // value to write, so neither intent nor confidence is written (not the text "NOT_SET").
    const g0 = await guest();
    await say(g0, 'agent');
    const id0 = sb.guest.conversationIdOf(g0.token) as string;
    assert.equal(bot.sessions.get(id0)?.exit?.exitReason, 'AgentRequestedByUser');
    assert.deepEqual(await customer(id0), {});

    const plainId = sb.bots.register({ ...DEFAULT_BOT, id: 'plain', participantData: undefined });
    bot.stop();
    bot = playBot(sb, plainId);
    const g2 = await guest();
    await say(g2, 'I want a refund', 2);
    await say(g2, 'agent');
    const id2 = sb.guest.conversationIdOf(g2.token) as string;
    assert.equal(bot.sessions.get(id2)?.exit?.exitReason, 'AgentRequestedByUser');
    assert.deepEqual(await customer(id2), {});
  });

  it('when the bot exits, then bot-flow analytics list its session and reporting turns only after the analytics lag', async () => {
    const g = await guest();
    await say(g, 'can I get my money back', 2);
    await say(g, 'representative');
    const id = sb.guest.conversationIdOf(g.token) as string;
    // The seeded scenarios have sessions of their own: only this conversation's count.
    const sessions = async () =>
      ((await api.call<Models.SessionsResponse>('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/sessions?pageSize=250`)).body.entities ?? []).filter(
        (s) => s.conversation?.id === id,
      );
    assert.deepEqual(await sessions(), []);
    clock.advance(2_001);
    const listed = await sessions();
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.conversation?.id, id);
    assert.equal(listed[0]?.id, bot.sessions.get(id)?.exit?.botSessionId);
    const turns = (await api.call<Models.ReportingTurnsResponse>('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/divisions/reportingturns?sessionId=${listed[0]?.id}`)).body.entities ?? [];
    assert.deepEqual(
      turns.map((t) => [t.userInput, t.intent?.name, t.intent?.confidence, t.askActionResult, t.sessionEndDetails?.reason]),
      [
        ['can I get my money back', 'Refund', 0.67, 'SuccessCollection', undefined],
        ['representative', undefined, undefined, 'AgentRequestedByUser', 'AgentRequestedByUser'],
      ],
    );
  });

  it('when the bot has exited, then the details query shows the inbound message flow and the bot flow as two flows', async () => {
    const g = await guest();
    await say(g, 'I want a refund', 2);
    await say(g, 'agent');
    const id = sb.guest.conversationIdOf(g.token) as string;
    const day = 86_400_000;
    const res = await api.call<Models.AnalyticsConversationQueryResponse>('POST', '/api/v2/analytics/conversations/details/query', {
      interval: `${new Date(clock.now() - day).toISOString()}/${new Date(clock.now() + day).toISOString()}`,
      conversationFilters: [{ type: 'and', predicates: [{ dimension: 'conversationId', value: id }] }],
      segmentFilters: [{ type: 'and', predicates: [{ dimension: 'flowType', value: 'DIGITALBOT' }] }],
    });
    const flows = res.body.conversations?.[0]?.participants?.flatMap((p) => (p.sessions ?? []).flatMap((s) => (s.flow ? [[s.flow.flowType, s.flow.flowId]] : [])));
    assert.deepEqual(flows, [
      ['INBOUNDSHORTMESSAGE', sb.org.messageFlow.id],
      ['DIGITALBOT', sb.botFlowId],
    ]);
    assert.notEqual(sb.org.messageFlow.id, sb.botFlowId);
  });

  it('when a turn comes after the exit, then the session refuses it', async () => {
    const g = await guest();
    await say(g, 'agent', 2);
    const session = bot.sessions.get(sb.guest.conversationIdOf(g.token) as string);
    assert.equal(session?.exit?.exitReason, 'AgentRequestedByUser');
    assert.equal(session?.exit?.intent, undefined);
    assert.equal(session?.exit && 'intent' in session.exit, false, 'no intent key at all: NOT_SET is no value');
    assert.throws(() => session?.turn('hello'), /has exited/);
    assert.equal(sb.bots.sessionOf(session?.conversationId ?? ''), session);
  });
});
