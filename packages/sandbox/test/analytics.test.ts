import assert from 'node:assert/strict';
import type { Models } from 'purecloud-platform-client-v2';
import { createSandbox, type Sandbox } from '../src/index.js';
import { clientFor, manualClock, type TestClient } from './helpers.js';

const ALL_TIME = '2000-01-01T00:00:00.000Z/2100-01-01T00:00:00.000Z';

describe('analytics API', () => {
  let sb: Sandbox;
  let api: TestClient;
  before(async () => {
    sb = await createSandbox({ conversations: 60 });
    api = await clientFor(sb);
  });
  after(() => sb.close());

  describe('GET /api/v2/analytics/botflows/{botFlowId}/sessions', () => {
    it('when paged by following nextUri until absent, then every session comes once, newest first', async () => {
      const ids: string[] = [];
      const created: number[] = [];
      let path: string | undefined = `/api/v2/analytics/botflows/${sb.botFlowId}/sessions?pageSize=7`;
      while (path) {
        const res: { status: number; body: Models.SessionsResponse } = await api.call<Models.SessionsResponse>('GET', path);
        assert.equal(res.status, 200);
        assert.ok((res.body.entities?.length ?? 0) <= 7);
        for (const s of res.body.entities ?? []) {
          ids.push(s.id as string);
          created.push(Date.parse(s.dateCreated as string));
        }
        path = res.body.nextUri;
      }
      assert.equal(ids.length, sb.org.botSessions().length);
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual(created, [...created].sort((a, b) => b - a));
    });

    it('when pageSize exceeds 250, then 400 naming pageSize; unknown bot flow, then 404', async () => {
      const res = await api.call<Models.ErrorBody>('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/sessions?pageSize=251`);
      assert.equal(res.status, 400);
      assert.equal(res.body.details?.[0]?.fieldName, 'pageSize');
      assert.equal((await api.call('GET', '/api/v2/analytics/botflows/nope/sessions')).status, 404);
    });

    it('when the after cursor is forged or unknown, then 400 naming after, on both cursor-paged endpoints', async () => {
      const unknown = Buffer.from('c1:no-such-session', 'utf8').toString('base64url');
      for (const route of ['sessions', 'divisions/reportingturns']) {
        for (const after of ['not-a-cursor', unknown]) {
          const res = await api.call<Models.ErrorBody>('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/${route}?after=${after}`);
          assert.equal(res.status, 400, `${route} after=${after}`);
          assert.equal(res.body.details?.[0]?.fieldName, 'after');
        }
      }
    });
  });

  describe('GET /api/v2/analytics/botflows/{botFlowId}/divisions/reportingturns', () => {
    it('when filtered by the analyticsOnly session, then a turn carries intent.confidence 0.35 for that conversation', async () => {
      const session = sb.org.botSessions().find((s) => s.conversationId === sb.scenarios.analyticsOnly);
      assert.ok(session);
      const res = await api.call<Models.ReportingTurnsResponse>('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/divisions/reportingturns?sessionId=${session.id}`);
      assert.equal(res.status, 200);
      assert.ok((res.body.entities ?? []).every((t) => t.sessionId === session.id && t.conversation?.id === sb.scenarios.analyticsOnly));
      assert.equal(res.body.entities?.find((t) => t.intent)?.intent?.confidence, 0.35);
      assert.equal(res.body.nextUri, undefined);
    });

    it('when a turn asked for the intent, then its action type is AskForNLUIntentAction (the SDK enum value)', async () => {
      const session = sb.org.botSessions().find((s) => s.conversationId === sb.scenarios.analyticsOnly);
      assert.ok(session);
      const res = await api.call<Models.ReportingTurnsResponse>('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/divisions/reportingturns?sessionId=${session.id}`);
      const asked = (res.body.entities ?? []).find((t) => t.intent);
      assert.equal(asked?.askAction?.actionType, 'AskForNLUIntentAction');
    });

    it('when paged with pageSize 5 via nextUri, then all turns arrive once and nextUri is finally absent', async () => {
      const expected = sb.org.botSessions().reduce((n, s) => n + s.turns.length, 0);
      let count = 0;
      let path: string | undefined = `/api/v2/analytics/botflows/${sb.botFlowId}/divisions/reportingturns?pageSize=5`;
      while (path) {
        const res: { body: Models.ReportingTurnsResponse } = await api.call<Models.ReportingTurnsResponse>('GET', path);
        count += res.body.entities?.length ?? 0;
        path = res.body.nextUri;
      }
      assert.equal(count, expected);
    });

    it('when sessionId is combined with actionId, then 400; noIntent has no session at all', async () => {
      const res = await api.call('GET', `/api/v2/analytics/botflows/${sb.botFlowId}/divisions/reportingturns?sessionId=a&actionId=b`);
      assert.equal(res.status, 400);
      assert.equal(sb.org.botSessions().some((s) => s.conversationId === sb.scenarios.noIntent), false);
    });
  });

  describe('POST /api/v2/analytics/conversations/details/query', () => {
    const query = (body: unknown) => api.call<Models.AnalyticsConversationQueryResponse & Models.ErrorBody>('POST', '/api/v2/analytics/conversations/details/query', body);

    it('when filtered by conversationId, then exactly that conversation comes back with its participants and sessions', async () => {
      const res = await query({ interval: ALL_TIME, conversationFilters: [{ type: 'or', predicates: [{ dimension: 'conversationId', value: sb.scenarios.alreadyHandedOff }] }] });
      assert.equal(res.status, 200);
      assert.equal(res.body.totalHits, 1);
      const c = res.body.conversations?.[0];
      assert.equal(c?.conversationId, sb.scenarios.alreadyHandedOff);
      assert.deepEqual(c?.participants?.map((p) => p.purpose), ['customer', 'workflow', 'acd']);
      assert.equal(c?.participants?.[2]?.sessions?.[0]?.segments?.[0]?.queueId, sb.queues[0]?.id);
    });

    it('when filtered by segment purpose acd and queueId, then only conversations queued there match', async () => {
      const queueId = sb.queues[0]?.id as string;
      const res = await query({
        interval: ALL_TIME,
        segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'message' }, { dimension: 'purpose', value: 'acd' }, { dimension: 'queueId', value: queueId }] }],
        paging: { pageSize: 100, pageNumber: 1 },
      });
      const expected = sb.org.listConversations().filter((c) => c.participants.some((p) => p.purpose === 'acd' && p.queueId === queueId)).length;
      assert.ok(expected > 0);
      assert.equal(res.body.totalHits, expected);
    });

    it('when paged and ordered desc, then pages follow conversationStart descending and totalHits counts all', async () => {
      const p1 = await query({ interval: ALL_TIME, order: 'desc', paging: { pageSize: 10, pageNumber: 1 } });
      const p2 = await query({ interval: ALL_TIME, order: 'desc', paging: { pageSize: 10, pageNumber: 2 } });
      assert.equal(p1.body.totalHits, sb.org.listConversations().length);
      const starts = [...(p1.body.conversations ?? []), ...(p2.body.conversations ?? [])].map((c) => Date.parse(c.conversationStart as string));
      assert.equal(starts.length, 20);
      assert.deepEqual(starts, [...starts].sort((a, b) => b - a));
    });

    it('when nothing matches, then totalHits is 0 and conversations is absent', async () => {
      const res = await query({ interval: '2001-01-01T00:00:00Z/2001-01-02T00:00:00Z' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { totalHits: 0 });
    });

    it('when the interval is missing or malformed, then 400 naming interval', async () => {
      const missing = await query({ paging: { pageSize: 1, pageNumber: 1 } });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.details?.[0]?.fieldName, 'interval');
      const bad = await query({ interval: 'yesterday' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.details?.[0]?.fieldName, 'interval');
    });

    it('when conversationId is used as a segment dimension, then 400 (it is a conversation dimension)', async () => {
      const res = await query({ interval: ALL_TIME, segmentFilters: [{ type: 'or', predicates: [{ dimension: 'conversationId', value: 'x' }] }] });
      assert.equal(res.status, 400);
    });
  });
});

describe('bot-flow analytics arrive late and are kept about ten days', () => {
  const sessionsPath = (sb: Sandbox) => `/api/v2/analytics/botflows/${sb.botFlowId}/sessions?interval=${ALL_TIME}`;
  const listed = async (sb: Sandbox, api: TestClient, conversationId: string) => {
    const sessions = await api.call<Models.SessionsResponse>('GET', sessionsPath(sb));
    const session = sb.org.botSessions().find((s) => s.conversationId === conversationId);
    assert.ok(session);
    const turns = await api.call<Models.ReportingTurnsResponse>(
      'GET',
      `/api/v2/analytics/botflows/${sb.botFlowId}/divisions/reportingturns?sessionId=${session.id}`,
    );
    return {
      session: (sessions.body.entities ?? []).some((s) => s.conversation?.id === conversationId),
      turns: turns.body.entities?.length ?? 0,
    };
  };
  // The bot exits 1 s before "now": customer at 0 s, bot at 1 s, the session completes 3 s after the start.
  const justExited = { startedAt: -4, botSession: { intent: 'Billing', confidence: 0.4 }, messages: [{ from: 'customer' as const, text: 'Hi', at: 0 }, { from: 'bot' as const, text: 'Hello', at: 1 }] };

  it('when the bot has just exited, then neither the session nor its turns are listed until the lag (default 2 s) has passed', async () => {
    const clock = manualClock();
    const sb = await createSandbox({ conversations: 0, now: clock.now });
    try {
      const id = sb.org.addConversation(justExited);
      const api = await clientFor(sb);
      assert.deepEqual(await listed(sb, api, id), { session: false, turns: 0 });
      clock.advance(1_500);
      assert.deepEqual(await listed(sb, api, id), { session: true, turns: 2 });
    } finally {
      await sb.close();
    }
  });

  it('when analyticsLagMs is 0, then a completed session is listed at once', async () => {
    const clock = manualClock();
    const sb = await createSandbox({ conversations: 0, now: clock.now, analyticsLagMs: 0 });
    try {
      const id = sb.org.addConversation(justExited);
      assert.deepEqual(await listed(sb, await clientFor(sb), id), { session: true, turns: 2 });
    } finally {
      await sb.close();
    }
  });

  it('when a session completed more than ten days ago, then analytics no longer list it', async () => {
    const clock = manualClock();
    const sb = await createSandbox({ conversations: 0, now: clock.now });
    try {
      const recent = sb.org.addConversation({ ...justExited, startedAt: -9 * 86_400 });
      const old = sb.org.addConversation({ ...justExited, startedAt: -11 * 86_400 });
      const api = await clientFor(sb);
      assert.deepEqual(await listed(sb, api, recent), { session: true, turns: 2 });
      assert.deepEqual(await listed(sb, api, old), { session: false, turns: 0 });
    } finally {
      await sb.close();
    }
  });
});
