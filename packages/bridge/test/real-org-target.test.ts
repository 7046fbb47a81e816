import assert from 'node:assert/strict';
import { GenesysApiError } from '@baton/core';
import type { Models } from 'purecloud-platform-client-v2';
import { realOrgTarget, type RealOrgTargetOptions } from '../src/scenarios/real-org-target.js';

type Fake = RealOrgTargetOptions['genesys'];

function target(genesys: Partial<Fake>) {
  const unused = () => Promise.reject(new Error('not expected in this test'));
  return realOrgTarget({
    webMessagingOrigin: 'wss://webmessaging.example.invalid',
    deploymentId: 'd',
    genesys: {
      getMessageDetails: unused,
      getConversation: unused,
      getQueue: unused,
      checkToken: unused,
      ...genesys,
    },
  });
}

describe('the real-org conversation target (Platform API reads)', () => {
  it('when the org does not know the message yet (404), then the conversation is not known yet; another error stops the step', async () => {
    const notFound = new GenesysApiError('genesys_not_found', 'Genesys found no message', {
      route: 'getConversationsMessageDetails',
      upstreamStatus: 404,
    });
    let answer: Error | Models.MessageData = notFound;
    const t = target({
      getMessageDetails: () => (answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)),
    });
    assert.equal(await t.conversationIdOf({ token: 'x', sentMessageIds: [] }), undefined);
    assert.equal(await t.conversationIdOf({ token: 'x', sentMessageIds: ['m1'] }), undefined);
    answer = { conversationId: 'c1' } as Models.MessageData;
    assert.equal(await t.conversationIdOf({ token: 'x', sentMessageIds: ['m1'] }), 'c1');
    answer = new GenesysApiError(
      'genesys_forbidden',
      'not allowed: give its role conversation:message:view',
      { route: 'getConversationsMessageDetails', upstreamStatus: 403 },
    );
    await assert.rejects(
      t.conversationIdOf({ token: 'x', sentMessageIds: ['m1'] }),
      /conversation:message:view/,
    );
  });

  it('reads the handoff from the acd participant: not yet, waiting (not settled), answered (settled), with the customer data and the queue name', async () => {
    let participants: Models.Participant[] = [
      { purpose: 'customer', attributes: { a: '1' } },
      { purpose: 'workflow' },
    ];
    let queueLookups = 0;
    const t = target({
      getConversation: () => Promise.resolve({ id: 'c1', participants } as Models.Conversation),
      getQueue: (id) => {
        queueLookups += 1;
        return Promise.resolve({ id, name: 'Billing' });
      },
    });
    assert.equal(await t.observeHandoff('c1'), undefined);

    participants = [
      ...participants,
      { purpose: 'acd', queueId: 'q1', conversationRoutingData: { priority: 3 } },
      // A returning customer: the latest customer participant's data wins.
      { purpose: 'customer', attributes: { a: '2', b: 'x' } },
    ];
    assert.deepEqual(await t.observeHandoff('c1'), {
      conversationId: 'c1',
      queue: { id: 'q1', name: 'Billing' },
      priority: 3,
      participantData: { a: '2', b: 'x' },
      agentAnswered: false,
      settled: false,
    });

    participants = participants.map((p) =>
      p.purpose === 'acd' ? { ...p, endTime: '2026-01-01T00:00:01.000Z' } : p,
    );
    participants.push({ purpose: 'agent', queueId: 'q1', connectedTime: '2026-01-01T00:00:01.000Z' });
    const answered = await t.observeHandoff('c1');
    assert.equal(answered?.agentAnswered, true);
    assert.equal(answered?.settled, true);
    assert.equal(queueLookups, 1, 'the queue name is looked up once');
  });
});
