import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { generateActions, renderArchyHandoffFlow, type TestExecutionResult } from '@baton/data-actions';
import type { GuestMessageEvent } from '@baton/sandbox';
import { FlowLoadError, loadFlow, runFlow, startConversationLoop, type BotTurn, type FlowHost } from '../src/index.js';

/** A FlowHost that records what the flow did; bots answer from `script` (one list per bot session). */
function recordingHost(script: BotTurn[][] = []) {
  const calls: string[] = [];
  let session = 0;
  const host: FlowHost = {
    sendResponse: (_c, text) => void calls.push(`send ${text}`),
    setParticipantData: (_c, attributes) => void calls.push(`data ${JSON.stringify(attributes)}`),
    transferToAcd: (_c, queueId, priority) => void calls.push(`transfer ${queueId} ${priority}`),
    disconnect: () => void calls.push('disconnect'),
    startBot: (_c, name) => {
      const turns = script[session++] ?? [];
      calls.push(`bot ${name}`);
      let i = 0;
      return { turn: (text) => (calls.push(`turn ${text}`), turns[i++] ?? { exit: { exitReason: 'TriggeredByFlow' } }) };
    },
    findQueueById: (id) => (id.startsWith('q-') ? { kind: 'queue', id } : null),
  };
  return { host, calls };
}

const messages = (...texts: string[]) => {
  const queue = [...texts];
  return () => Promise.resolve(queue.shift());
};

const success = (finalResult: Record<string, unknown>): TestExecutionResult => ({ operations: [], success: true, outcome: 'success', finalResult, correlationId: 'c' });

const exportedFlow = loadFlow(renderArchyHandoffFlow({ handoffActionName: 'Baton - Handoff', defaultQueueId: 'q-default', slots: ['orderNumber'] }));

describe('runFlow (the exported handoff flow, with a recording host and a scripted data action)', () => {
  it('when Baton answers bot_keeps, then the flow goes back to the bot, which reads the next message, and the second handoff transfers', async () => {
    const { host, calls } = recordingHost([[{ exit: { exitReason: 'TriggeredByUser', intent: 'Faq' } }], [{ exit: { exitReason: 'AgentRequestedByUser' } }]]);
    const answers = [success({ status: 'bot_keeps', queueId: '', priority: 0, waitMessage: '' }), success({ status: 'ready_for_transfer', queueId: 'q-sales', priority: 7, waitMessage: 'One moment' })];
    const inputs: Record<string, unknown>[] = [];
    const result = await runFlow({
      flow: exportedFlow,
      host,
      callDataAction: (name, input) => (assert.equal(name, 'Baton - Handoff'), inputs.push(input), Promise.resolve(answers.shift()!)),
      conversation: { conversationId: 'conv-1', firstMessage: 'what are your hours?', nextMessage: messages('a human please') },
    });
    assert.deepEqual(result.outcome, { kind: 'transferred', queueId: 'q-sales', priority: 7 });
    assert.deepEqual(calls, ['bot Baton Support Bot', 'turn what are your hours?', 'bot Baton Support Bot', 'turn a human please', 'send One moment', 'transfer q-sales 7']);
    // NOT_SET values go to the data action as null (the runtime drops them); the slots expression runs.
    assert.deepEqual(inputs[1], { conversationId: 'conv-1', exitReason: 'AgentRequestedByUser', intent: null, slots: 'orderNumber=' });
    assert.deepEqual(result.trace.filter((t) => t.action === 'switch').map((t) => t.path), ['case 2', 'case 1']);
  });

  it('when a bot provider says NOT_SET (or "") in words, then the flow treats it as no intent: a null variable, no "intent NOT_SET" on the trace', async () => {
    for (const spelled of ['NOT_SET', ' ']) {
      const { host } = recordingHost([[{ exit: { exitReason: 'AgentRequestedByUser', intent: spelled } }]]);
      const inputs: Record<string, unknown>[] = [];
      const result = await runFlow({
        flow: exportedFlow,
        host,
        callDataAction: (_name, input) => (inputs.push(input), Promise.resolve(success({ status: 'ready_for_transfer', queueId: 'q-sales', priority: 2, waitMessage: '' }))),
        conversation: { conversationId: 'conv-ns', firstMessage: 'a human please', nextMessage: messages() },
      });
      assert.equal(inputs[0]?.['intent'], null, `intent ${JSON.stringify(spelled)} reaches the data action as NOT_SET (null)`);
      const bot = result.trace.find((t) => t.action === 'callDigitalBotFlow');
      assert.equal(bot?.path, 'AgentRequestedByUser');
      assert.equal(bot?.detail, undefined);
    }
  });

  it('when Baton names a queue the org does not have, then the transfer takes its Failure output to the default queue', async () => {
    const { host, calls } = recordingHost();
    const result = await runFlow({
      flow: exportedFlow,
      host,
      callDataAction: () => Promise.resolve(success({ status: 'ready_for_transfer', queueId: 'unknown', priority: 3, waitMessage: '' })),
      conversation: { conversationId: 'conv-2', firstMessage: 'hi', nextMessage: messages() },
    });
    assert.deepEqual(result.outcome, { kind: 'transferred', queueId: 'q-default', priority: 0 });
    // An empty waitMessage sends nothing.
    assert.ok(!calls.some((c) => c.startsWith('send')));
  });

  it('when the customer leaves while the bot holds the conversation, then the run stops without a data action call', async () => {
    const { host } = recordingHost([[{ reply: 'How can I help?' }]]);
    let called = false;
    const result = await runFlow({
      flow: exportedFlow,
      host,
      callDataAction: () => ((called = true), Promise.resolve(success({}))),
      conversation: { conversationId: 'conv-3', firstMessage: 'hi', nextMessage: messages() },
    });
    assert.deepEqual(result.outcome, { kind: 'customerLeft' });
    assert.equal(called, false);
  });
});

describe('runFlow: the other actions and the runtime errors', () => {
  const flow = (actions: string) =>
    loadFlow(
      [
        'inboundShortMessage:',
        '  name: T',
        '  startUpRef: "/inboundShortMessage/states/state[A_1]"',
        '  states:',
        '    - state:',
        '        name: A',
        '        refId: A_1',
        '        actions:',
        actions,
      ].join('\n'),
    );
  const run = (f: ReturnType<typeof loadFlow>) => {
    const { host, calls } = recordingHost();
    return runFlow({ flow: f, host, callDataAction: () => Promise.reject(new Error('no data actions here')), conversation: { conversationId: 'c-1', firstMessage: 'hello there', nextMessage: messages() } }).then((r) => ({ r, calls }));
  };

  it('decision, updateData and setParticipantData run on the message; a flow that runs out of actions disconnects', async () => {
    const { r, calls } = await run(
      flow(
        [
          '          - updateData:',
          '              statements:',
          '                - string:',
          '                    variable: Flow.greeting',
          '                    value:',
          '                      exp: Replace(Message.Message.body, "there", "you")',
          '          - decision:',
          '              condition:',
          '                exp: Contains(Flow.greeting, "you") and not IsNotSetOrEmpty(Message.ConversationId)',
          '              outputs:',
          '                yes:',
          '                  actions:',
          '                    - setParticipantData:',
          '                        attributes:',
          '                          - attribute:',
          '                              name:',
          '                                lit: Greeting',
          '                              value:',
          '                                exp: Flow.greeting',
        ].join('\n'),
      ),
    );
    assert.deepEqual(calls, ['data {"Greeting":"hello you"}', 'disconnect']);
    assert.deepEqual(r.outcome, { kind: 'ended' });
    // The trace names the keys written, never their values (a transcript can be long, and is the agent's).
    assert.equal(r.trace.find((t) => t.action === 'setParticipantData')?.detail, 'Greeting');
  });

  it('when a condition is not a Boolean, then the run ends as a runtime error naming its line, and disconnects', async () => {
    const { r, calls } = await run(flow('          - decision:\n              condition:\n                exp: Message.ConversationId'));
    assert.equal(r.outcome.kind, 'error');
    assert.match(r.outcome.kind === 'error' ? r.outcome.error.message : '', /^line 9: the decision's condition/);
    assert.deepEqual(calls, ['disconnect']);
  });

  it('when states change in a cycle that never waits for the customer, then the run is stopped as a loop', async () => {
    const { r } = await run(flow('          - changeState:\n              targetStateRef: "/inboundShortMessage/states/state[A_1]"'));
    assert.equal(r.outcome.kind, 'error');
    assert.match(r.outcome.kind === 'error' ? r.outcome.error.message : '', /flow loops/);
  });
});

describe('startConversationLoop', () => {
  /** A sandbox stand-in: the test publishes guest events and says whether a flow holds the conversation. */
  function fakeSandbox() {
    let listener: ((e: GuestMessageEvent) => void) | undefined;
    const state = { flowHolds: true };
    const sandbox = {
      guest: { onGuestMessage: (l: (e: GuestMessageEvent) => void) => ((listener = l), () => (listener = undefined)), sendOutbound: () => assert.fail(), disconnect: () => undefined },
      org: { getConversation: () => ({ participants: [{ purpose: 'workflow', state: state.flowHolds ? 'connected' : 'disconnected' }] }) },
    } as never;
    const say = (text: string) => listener!({ conversationId: 'conv-9', newConversation: false, kind: 'text', text, messageId: 'm', participantData: {} });
    return { sandbox, state, say };
  }

  it('when the run has transferred, then later messages are not the flow\'s; when a flow holds the conversation again (a returning customer), then the next message starts a new run', async () => {
    const { sandbox, state, say } = fakeSandbox();
    const { host, calls } = recordingHost();
    const loop = startConversationLoop({
      sandbox,
      flow: exportedFlow,
      // Definitions for a bridge that is not there (port 9 refuses): the Failure path, to the default queue.
      dataActions: generateActions({ baseUrl: 'http://127.0.0.1:9', auth: 'apikey', allowInsecure: true }).actions.map((a) => a.definition),
      credentials: { type: 'userDefined', fields: {} },
      host,
    });
    say('I need help');
    const first = await loop.runOf('conv-9')!;
    assert.deepEqual(first.outcome, { kind: 'transferred', queueId: 'q-default', priority: 0 });
    state.flowHolds = false;
    say('hello? (to the agent)');
    assert.equal(loop.runOf('conv-9'), loop.runOf('conv-9'));
    assert.equal(await loop.runOf('conv-9'), first);
    state.flowHolds = true;
    say('I am back');
    const second = await loop.runOf('conv-9')!;
    assert.notEqual(second, first);
    assert.deepEqual(calls.filter((c) => c.startsWith('turn')), ['turn I need help', 'turn I am back']);
    loop.close();
  });

  it('when the flow calls a data action that is not among the definitions, then it refuses to start, naming the line', () => {
    const sandbox = { guest: { onGuestMessage: () => () => undefined, sendOutbound: () => assert.fail(), disconnect: () => undefined }, org: {} } as never;
    assert.throws(
      () => startConversationLoop({ sandbox, flow: exportedFlow, dataActions: [], credentials: { type: 'userDefined', fields: {} }, host: recordingHost().host }),
      (error: unknown) => error instanceof FlowLoadError && /"Baton - Handoff", which is not among the definitions/.test(error.message) && error.line > 1,
    );
  });
});
