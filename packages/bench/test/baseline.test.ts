import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import { baselineHandoff } from '../src/baseline/pipeline.js';

describe('baseline (the seed pipeline, ported literally)', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await createSandbox({ seed: 3, conversations: 0 });
  });
  after(async () => sb.close());

  it('when confidence is low, then it makes token → GET conversation → bulk → PATCH, once each, and writes the transcript for the agent', async () => {
    const conversationId = sb.org.addConversation({
      messages: [
        { from: 'customer', text: 'My order never came', at: 5 },
        { from: 'bot', text: 'Which order?', at: 9 },
      ],
    });
    sb.counters.reset();
    const result = await baselineHandoff(
      { genesysUrl: sb.url, clientId: sb.clientId, clientSecret: sb.clientSecret },
      { conversationId, intent: 'TrackOrder', confidence: 0.3 },
    );
    assert.equal(result.status, 'ready_for_transfer');
    assert.deepEqual(sb.counters.snapshot().byRoute, {
      postToken: 1,
      getConversationsMessage: 1,
      postConversationsMessageMessagesBulk: 1,
      patchConversationsMessageParticipantAttributes: 1,
    });
    const customer = sb.org.getConversation(conversationId)?.participants.find((p) => p.purpose === 'customer');
    const written = customer?.attributes['conversationDetails.participantData.Welcome Message'] ?? '';
    assert.match(written, /\[guest\] My order never came\n\[bot\] Which order\?$/);
  });

  it('when confidence is at or above the threshold, then it calls nothing', async () => {
    sb.counters.reset();
    const result = await baselineHandoff(
      { genesysUrl: sb.url, clientId: sb.clientId, clientSecret: sb.clientSecret },
      { conversationId: sb.scenarios.lowConfidence, confidence: 0.9 },
    );
    assert.equal(result.status, 'bot_keeps');
    assert.equal(sb.counters.snapshot().total, 0);
  });
});
