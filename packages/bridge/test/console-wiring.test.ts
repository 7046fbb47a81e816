import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConversationScenarios, type HandoffTrace } from '@baton/core';
import { consoleReplayOf, consoleTraceOf, loadConsoleScenarios, timelineEventOf } from '../src/console-wiring.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/conversations');
const silent = { warn: () => undefined };

describe("the console wiring (baton serve's views into the sandbox console)", () => {
  it('names flow steps as Architect does, with the output taken, the data action, its duration, and the queue by name', () => {
    const queueName = (id: string) => (id === 'q-1' ? 'Billing' : undefined);
    assert.deepEqual(timelineEventOf({ line: 3, action: 'callData', name: 'Ask Baton', path: 'timeout', dataAction: 'Baton - Handoff', durationMs: 10_000, detail: 'timed out' }, queueName), {
      step: 'Call Data Action',
      name: 'Ask Baton',
      outcome: 'Timeout',
      detail: 'Baton - Handoff: timed out',
      durationMs: 10_000,
    });
    assert.deepEqual(timelineEventOf({ line: 9, action: 'transferToAcd', name: 'To queue', queueId: 'q-1', priority: 5, detail: 'q-1 priority 5' }, queueName), {
      step: 'Transfer to ACD',
      name: 'To queue',
      detail: 'queue Billing, priority 5',
    });
    assert.equal(timelineEventOf({ line: 2, action: 'decision', name: 'D', path: 'yes' }, queueName).outcome, 'Yes');
    assert.equal(timelineEventOf({ line: 1, action: 'callDigitalBotFlow', name: 'Bot', path: 'RecognitionFailure' }, queueName).outcome, 'RecognitionFailure');
  });

  it("reduces a handoff trace to its status, steps and each call's method, route, status and duration: no bodies, no transcript", () => {
    const trace: HandoffTrace = {
      handoffId: 'h-1',
      conversationId: 'c-1',
      startedAt: '2026-09-01T12:00:00.000Z',
      durationMs: 50,
      status: 'ready_for_transfer',
      steps: [{ step: 'handToQueue', startedAt: '2026-09-01T12:00:00.010Z', durationMs: 20, outcome: 'ok', summary: 'Transfer to ACD', calls: [] }],
      calls: [{ route: 'patchConversationsMessageParticipantAttributes', method: 'PATCH', path: '/api/v2/conversations/messages/c-1/participants/p/attributes', status: 200, durationMs: 7, retries: 0, requestBody: { attributes: { note: 'customer text' } }, responseBody: { ok: true } }],
      transcript: 'customer: my card is …',
    };
    const shown = consoleTraceOf(trace);
    assert.deepEqual(shown.calls, [{ method: 'PATCH', route: 'patchConversationsMessageParticipantAttributes', path: '/api/v2/conversations/messages/c-1/participants/p/attributes', status: 200, durationMs: 7 }]);
    assert.deepEqual(shown.steps, [{ step: 'handToQueue', outcome: 'ok', summary: 'Transfer to ACD', durationMs: 20 }]);
    const text = JSON.stringify(shown);
    assert.ok(!text.includes('customer text') && !text.includes('my card'), 'bodies and the transcript stay in the trace store');
  });

  it("lists the example scenarios with their customer lines (both formats), leaving out a file it cannot read", async () => {
    const scenarios = await loadConsoleScenarios(examples, silent);
    const givesUp = scenarios.find((s) => s.id === 'bot-gives-up.conversation.yaml#1');
    assert.deepEqual(givesUp?.says, ['blorp zzkx', 'qwerty uiop']);
    assert.ok(scenarios.some((s) => s.file === 'chatbot-tester-format.conversation.yaml' && s.says.includes('hello')), "the chatbot tester's format too");
    assert.ok(!scenarios.some((s) => s.file === 'bridge-down.conversation.yaml'), 'a scenario that sets the sandbox up is not offered (this sandbox is not so set up)');

    const dir = await mkdtemp(path.join(tmpdir(), 'baton-console-'));
    try {
      await writeFile(path.join(dir, 'broken.conversation.yaml'), 'name: [unclosed');
      await writeFile(path.join(dir, 'ok.conversation.yaml'), 'name: Hi\nsteps:\n  - say: hello\n');
      await writeFile(path.join(dir, 'notes.yaml'), 'not: a scenario');
      const warned: unknown[] = [];
      const listed = await loadConsoleScenarios(dir, { warn: (o: unknown) => void warned.push(o) });
      assert.deepEqual(listed, [{ id: 'ok.conversation.yaml#1', name: 'Hi', file: 'ok.conversation.yaml', says: ['hello'], replay: [{ say: 'hello' }], notes: [] }]);
      assert.equal(warned.length, 1, 'the broken file is named in a warning');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.deepEqual(await loadConsoleScenarios(path.join(tmpdir(), 'no-such-baton-dir'), silent), []);
  });

  it("replays what a customer does: each line with the replies it waits for; the agent's part for the sandbox's agent; a note for what it does not replay as written", async () => {
    const scenarios = await loadConsoleScenarios(examples, silent);
    const human = scenarios.find((s) => s.file === 'customer-asks-for-human.conversation.yaml');
    assert.deepEqual(human?.replay, [
      { say: 'I was charged twice for order 88812, I want to talk to a human' },
      { waitFor: { from: 'bot', contains: 'Transferring to human support', timeoutMs: 10_000 } },
      { waitFor: { from: 'agent', contains: 'double charge', timeoutMs: 10_000 } },
    ]);
    assert.deepEqual(human?.agent, { replies: ['Hi, I can see the double charge on order 88812.'], disconnect: true });
    assert.deepEqual(human?.notes, [
      'checks are not replayed (baton test runs them): expectDataActionPath (line 6), expectHandoff (line 7), expectParticipantData (line 8), expectDisconnect (line 14)',
    ]);
    const [interleaved] = parseConversationScenarios(
      'x.conversation.yaml',
      'name: x\nsteps:\n  - say: a human\n  - agentSays: hi\n  - say: thanks\n  - expectBot: { matches: "^ok" }\n    timeoutMs: 3000\n',
    );
    const replay = consoleReplayOf(interleaved!);
    assert.deepEqual(replay.replay, [{ say: 'a human' }, { say: 'thanks' }, { waitFor: { from: 'bot', matches: '^ok', timeoutMs: 3000 } }]);
    assert.deepEqual(replay.notes, ["line 5: the customer speaks after the agent's part (line 4); the sandbox's agent says its lines as it answers, so they come first"]);
  });
});
