import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { generateActions, renderArchyHandoffFlow, type TestExecutionResult } from '@baton/data-actions';
import type { GuestMessageEvent } from '@baton/sandbox';
import { loadFlow, runFlow, startConversationLoop, type FlowHost, type FlowTraceEntry } from '../src/index.js';

const exportedFlow = loadFlow(renderArchyHandoffFlow({ handoffActionName: 'Baton - Handoff', defaultQueueId: 'q-default', slots: ['orderNumber'] }));

const success = (finalResult: Record<string, unknown>): TestExecutionResult => ({ operations: [], success: true, outcome: 'success', finalResult, correlationId: 'c' });

/** A host whose bots exit at once, the first session with an intent. */
function quietHost(): FlowHost {
  let session = 0;
  return {
    sendResponse: () => undefined,
    setParticipantData: () => undefined,
    transferToAcd: () => undefined,
    disconnect: () => undefined,
    startBot: () => {
      const first = session++ === 0;
      return { turn: () => ({ exit: first ? { exitReason: 'TriggeredByUser', intent: 'Faq' } : { exitReason: 'AgentRequestedByUser' } }) };
    },
    findQueueById: (id) => ({ kind: 'queue', id }),
  };
}

describe('the flow run reports each step as it takes it (onTraceEntry, the console timeline)', () => {
  it('when the bot keeps the conversation, then its exit and the timed data action are reported before the run waits for the next message; the transfer follows', async () => {
    let t = 1_000;
    const answers = [success({ status: 'bot_keeps', queueId: '', priority: 0, waitMessage: '' }), success({ status: 'ready_for_transfer', queueId: 'q-sales', priority: 7, waitMessage: '' })];
    const live: FlowTraceEntry[] = [];
    let seenWhileWaiting: FlowTraceEntry[] | undefined;
    const result = await runFlow({
      flow: exportedFlow,
      host: quietHost(),
      clock: { now: () => t },
      onTraceEntry: (entry) => live.push(entry),
      callDataAction: () => {
        t += 250; // the call takes 250 ms on the flow's clock
        return Promise.resolve(answers.shift()!);
      },
      conversation: {
        conversationId: 'conv-live',
        firstMessage: 'what are your hours?',
        nextMessage: () => {
          seenWhileWaiting ??= [...live];
          return Promise.resolve('a human please');
        },
      },
    });

    assert.ok(seenWhileWaiting, 'the run waited for a second message');
    const bot = seenWhileWaiting.find((e) => e.action === 'callDigitalBotFlow');
    assert.deepEqual([bot?.path, bot?.detail], ['TriggeredByUser', 'intent Faq'], 'the bot turn with its exit reason and intent');
    const call = seenWhileWaiting.find((e) => e.action === 'callData');
    assert.deepEqual([call?.dataAction, call?.path, call?.durationMs], ['Baton - Handoff', 'success', 250], 'the data action, its output and its duration');
    assert.equal(seenWhileWaiting.some((e) => e.action === 'transferToAcd'), false, 'nothing of what had not happened yet');

    const transfer = live.find((e) => e.action === 'transferToAcd');
    assert.deepEqual([transfer?.queueId, transfer?.priority], ['q-sales', 7]);
    assert.deepEqual(live, [...result.trace], 'the live entries are the run trace, in order');
  });

  it('when the observer throws, then the run goes on as if nobody watched', async () => {
    const result = await runFlow({
      flow: exportedFlow,
      host: quietHost(),
      onTraceEntry: () => {
        throw new Error('a broken view');
      },
      callDataAction: () => Promise.resolve(success({ status: 'ready_for_transfer', queueId: 'q-sales', priority: 2, waitMessage: '' })),
      conversation: { conversationId: 'conv-x', firstMessage: 'hi', nextMessage: () => Promise.resolve(undefined) },
    });
    assert.deepEqual(result.outcome, { kind: 'transferred', queueId: 'q-sales', priority: 2 });
  });

  it('startConversationLoop reports every run step with its conversation id', async () => {
    let listener: ((e: GuestMessageEvent) => void) | undefined;
    const sandbox = {
      guest: { onGuestMessage: (l: (e: GuestMessageEvent) => void) => ((listener = l), () => (listener = undefined)), sendOutbound: () => undefined, disconnect: () => undefined },
      org: { getConversation: () => undefined },
    } as never;
    const seen: string[] = [];
    const loop = startConversationLoop({
      sandbox,
      flow: exportedFlow,
      // A bridge that is not there (port 9 refuses): the Failure path, to the default queue.
      dataActions: generateActions({ baseUrl: 'http://127.0.0.1:9', auth: 'apikey', allowInsecure: true }).actions.map((a) => a.definition),
      credentials: { type: 'userDefined', fields: {} },
      host: quietHost(),
      onTraceEntry: (conversationId, entry) => seen.push(`${conversationId} ${entry.action} ${entry.path ?? ''}`.trim()),
    });
    listener!({ conversationId: 'conv-7', newConversation: true, kind: 'text', text: 'help', messageId: 'm', participantData: {} });
    const run = await loop.runOf('conv-7')!;
    loop.close();
    assert.equal(seen.length, run.trace.length);
    assert.ok(seen.includes('conv-7 callData failure'), seen.join('\n'));
    assert.ok(seen.every((s) => s.startsWith('conv-7 ')));
  });
});
