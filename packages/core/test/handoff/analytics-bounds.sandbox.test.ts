import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { BatonError } from '../../src/errors.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Hardening #13: with no intent in the inputs or participant data, the bot-flow session lookup
 * followed nextUri through a caller-chosen bot flow until the deadline (301 calls in 6.9 s against a
 * Genesys that paged endlessly), spending the per-token budget every other request needs.
 */
describe('bot-flow analytics lookup and the per-request call cap (sandbox)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  // Each sandbox request moves the virtual clock 100 ms: paging until the deadline would be ~200 calls.
  const start = (config: Parameters<typeof startHarness>[0] = {}) => startHarness({ ...config, sandbox: { latencyMs: 100 } });

  it('when Genesys pages the sessions without end, then the lookup reads 2 pages and the intent is unknown, saying why', async () => {
    h = await start();
    h.sandbox.faults.add({ route: 'getAnalyticsBotflowSessions', kind: 'endlessPaging' });
    const out = await h.service.assessIntent({ conversationId: h.sandbox.scenarios.noIntent });
    assert.equal(h.apiCalls()['getAnalyticsBotflowSessions'], 2);
    assert.deepEqual([out.status, out.source], ['unknown', 'none']);
    assert.match(out.message, /no analytics session for this conversation among its sessions completed in the last 60 minutes \(searched at most 2 pages/);
  });

  it('when the whole handoff runs into endless paging, then it still hands off (unknown intent) within a bounded number of calls', async () => {
    h = await start();
    h.sandbox.faults.add({ route: 'getAnalyticsBotflowSessions', kind: 'endlessPaging' });
    const { output } = await h.service.handoff({ conversationId: h.sandbox.scenarios.noIntent, mode: 'api' });
    assert.equal(output.intentSource, 'none');
    assert.ok(['transferred', 'ready_for_transfer'].includes(output.status), output.status);
    assert.equal(h.apiCalls()['getAnalyticsBotflowSessions'], 2);
    const total = Object.values(h.apiCalls()).reduce((a, b) => a + b, 0);
    assert.ok(total <= 20, `${total} calls: ${JSON.stringify(h.apiCalls())}`);
  });

  it('when the session completed before the lookback, then it is not searched for (the interval is sent)', async () => {
    h = await start();
    h.clock.advance(2 * 60 * 60_000);
    const out = await h.service.assessIntent({ conversationId: h.sandbox.scenarios.analyticsOnly });
    assert.deepEqual([out.status, out.source], ['unknown', 'none']);
    assert.equal(h.apiCalls()['getAnalyticsBotflowDivisionsReportingturns'], undefined);
  });

  it('when the lookup is allowed many pages, then the per-request cap stops it after maxCallsPerHandoff calls', async () => {
    h = await start({ config: { botFlowMaxPages: 100, maxCallsPerHandoff: 6 } });
    h.sandbox.faults.add({ route: 'getAnalyticsBotflowSessions', kind: 'endlessPaging' });
    const error = await h.service.handoff({ conversationId: h.sandbox.scenarios.noIntent }).then(
      () => assert.fail('expected rate_budget_exhausted'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof BatonError);
    assert.equal(error.code, 'rate_budget_exhausted');
    assert.match(error.message, /limit of 6 Platform API calls.*getAnalyticsBotflowSessions ×5/);
    assert.equal(h.sandbox.counters.snapshot().total - h.sandbox.counters.snapshot().tokenRequests, 6);
  });

  it('when analytics has the session, then the intent comes from it as before (regression)', async () => {
    h = await start();
    const out = await h.service.assessIntent({ conversationId: h.sandbox.scenarios.analyticsOnly });
    assert.deepEqual([out.status, out.source, out.intent], ['handoff_recommended', 'botFlowAnalytics', 'BillingQuestion']);
  });
});

/**
 * Issue #14, section 6: bot-flow analytics arrive late. A handoff straight from the bot (the usual
 * case: the flow calls Baton right after Call Digital Bot Flow returns) finds no session yet.
 */
describe('bot-flow analytics that are not there yet (sandbox with its default 2 s analytics lag)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** A conversation whose bot exited 1 s ago (its session completes 3 s after the start) with a confidence only analytics know. */
  const justExited = (harness: Harness): string =>
    harness.sandbox.org.addConversation({
      startedAt: -4,
      botSession: { intent: 'BillingQuestion', confidence: 0.35 },
      messages: [
        { from: 'customer', text: 'My bill is wrong', at: 0 },
        { from: 'bot', text: 'Let me get someone', at: 1 },
      ],
    });

  it('when the handoff comes right after the bot exits, then the intent is unknown and the message says analytics are not available yet', async () => {
    h = await startHarness({ sandboxOnVirtualClock: true });
    const out = await h.service.assessIntent({ conversationId: justExited(h) });
    assert.deepEqual([out.status, out.source], ['unknown', 'none']);
    assert.match(out.message, /analytics not available yet/);
    assert.equal(h.apiCalls()['getAnalyticsBotflowDivisionsReportingturns'], undefined);
  });

  it('when the handoff comes after the analytics lag, then the session and its confidence are found', async () => {
    h = await startHarness({ sandboxOnVirtualClock: true });
    const conversationId = justExited(h);
    h.clock.advance(2_000);
    const out = await h.service.assessIntent({ conversationId });
    assert.deepEqual([out.status, out.source, out.intent], ['handoff_recommended', 'botFlowAnalytics', 'BillingQuestion']);
  });
});
