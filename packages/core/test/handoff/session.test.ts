import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Models } from 'purecloud-platform-client-v2';
import { handoffKey, sessionKey } from '../../src/handoff/handed-off.js';
import { currentSession, sessionMessages } from '../../src/handoff/session.js';

const t = (s: number) => new Date(Date.parse('2031-01-01T10:00:00Z') + s * 1000).toISOString();
const msg = (id: string, at: number): Models.MessageDetails => ({ messageId: id, messageTime: t(at) });

/** A conversation's first session (customer, flow, queue, agent), ended at 100 s; the customer wrote again at 200 s. */
function returned(): Models.MessageConversation {
  return {
    id: 'c1',
    participants: [
      { id: 'cust1', purpose: 'customer', state: 'disconnected', startTime: t(0), endTime: t(100), messages: [msg('m1', 1), msg('m2', 50)] },
      { id: 'flow1', purpose: 'workflow', state: 'disconnected', connectedTime: t(1), endTime: t(10), messages: [] },
      { id: 'acd1', purpose: 'acd', state: 'disconnected', connectedTime: t(10), endTime: t(20), messages: [] },
      { id: 'agent1', purpose: 'agent', state: 'disconnected', connectedTime: t(20), endTime: t(100), messages: [msg('m2', 50)] },
      { id: 'cust2', purpose: 'customer', state: 'connected', connectedTime: t(200), messages: [msg('m3', 200), msg('m4', 203)] },
      { id: 'flow2', purpose: 'workflow', state: 'connected', connectedTime: t(200.5), messages: [msg('m4', 203)] },
    ],
  };
}

describe('the bot session of a conversation (session.ts)', () => {
  it('when the customer came back, then the session is the new flow participant, from when the first session ended (the message that brought them back included)', () => {
    const conversation = returned();
    assert.deepEqual(currentSession(conversation), { flowParticipantId: 'flow2', since: Date.parse(t(100)) });
    const ids = (sessionMessages(conversation, currentSession(conversation)?.since).participants ?? []).flatMap((p) =>
      (p.messages ?? []).map((m) => m.messageId),
    );
    assert.deepEqual([...new Set(ids)], ['m3', 'm4']);
    assert.equal(sessionKey('c1', conversation), handoffKey('c1', 'flow2'));
  });

  it('when api mode transferred the first session, then its session is still the (now disconnected) flow participant, and every message is its own', () => {
    const conversation: Models.MessageConversation = {
      id: 'c1',
      participants: [
        { id: 'cust1', purpose: 'customer', state: 'connected', connectedTime: t(0), messages: [msg('m1', 1)] },
        { id: 'flow1', purpose: 'workflow', state: 'disconnected', connectedTime: t(1), endTime: t(10), messages: [] },
        { id: 'acd1', purpose: 'acd', state: 'connected', connectedTime: t(10), messages: [] },
      ],
    };
    assert.deepEqual(currentSession(conversation), { flowParticipantId: 'flow1', since: undefined });
    assert.equal(sessionMessages(conversation, undefined), conversation);
  });

  it('when no flow participant was ever in the conversation, then there is no session and the key is the conversation\'s', () => {
    const conversation: Models.MessageConversation = { id: 'c1', participants: [{ id: 'cust1', purpose: 'customer', state: 'connected' }] };
    assert.equal(currentSession(conversation), undefined);
    assert.equal(sessionKey('c1', conversation), 'baton:handoff:c1');
  });
});
