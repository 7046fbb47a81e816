import assert from 'node:assert/strict';
import { DEFAULT_BOT, type BotSession } from '@baton/sandbox';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue #15: a bot that really ran in the sandbox (a guest chatting over the Web Messaging Guest
 * API) leaves a bot-flow session that Baton's analytics lookup finds once the analytics lag has
 * passed, with the confidence of the turn that recognised the intent.
 */
describe('a live sandbox bot and the bot-flow analytics lookup (sandbox)', () => {
  let h: Harness | undefined;
  let ws: WebSocket | undefined;
  afterEach(async () => {
    ws?.close();
    await h?.close();
    h = undefined;
  });

  it('when the bot has exited and the lag has passed, then assess-intent takes intent and confidence from its session', async () => {
    // A bot that writes no participant data: only analytics know its confidence.
    h = await startHarness({ sandbox: { bot: { ...DEFAULT_BOT, participantData: undefined } } });
    const sb = h.sandbox;
    let session: BotSession | undefined;
    let exited!: () => void;
    const exit = new Promise<void>((resolve) => (exited = resolve));
    sb.guest.onGuestMessage((e) => {
      if (e.kind !== 'text' || e.text === undefined) return;
      session ??= sb.bots.start(e.conversationId);
      if (session.turn(e.text).exit) exited();
    });

    ws = new WebSocket(`${sb.webMessagingUrl}/v1?deploymentId=${sb.deploymentId}`);
    await new Promise((resolve, reject) => {
      ws?.addEventListener('open', resolve);
      ws?.addEventListener('error', reject);
    });
    const token = 'live-bot-analytics-guest';
    ws.send(JSON.stringify({ action: 'configureSession', token, deploymentId: sb.deploymentId }));
    ws.send(JSON.stringify({ action: 'onMessage', token, message: { type: 'Text', text: 'can I get my money back' } }));
    ws.send(JSON.stringify({ action: 'onMessage', token, message: { type: 'Text', text: 'representative' } }));
    await exit;
    assert.equal(session?.exit?.exitReason, 'AgentRequestedByUser');

    h.clock.advance(2_001);
    const out = await h.service.assessIntent({ conversationId: session?.conversationId ?? '' });
    assert.deepEqual([out.source, out.intent, out.confidence, out.status], ['botFlowAnalytics', 'Refund', 0.67, 'handoff_recommended']);
  });
});
