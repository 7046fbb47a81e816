import assert from 'node:assert/strict';
import { parseConversationScenarios } from '@baton/core';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import { CANCELLED_REASON, runConversationScenario } from '../src/scenarios/conversation-runner.js';
import { sandboxTarget } from '../src/scenarios/sandbox-target.js';

/**
 * The Test Explorer's Cancel reaches the running scenario (issue #16 follow-up): the runner takes an
 * AbortSignal, closes the guest's connection at once, stops looking at the org, and reports the
 * steps it did not finish as skipped (`cancelled`), not failed.
 */
describe('runConversationScenario: cancelled through its AbortSignal', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await createSandbox({ conversations: 0, transferDelayMs: 0 });
  });
  after(() => sb.close());

  // The handoff never comes (no flow runs on this sandbox) and the step would wait ten minutes.
  const [scenario] = parseConversationScenarios(
    'cancel.conversation.yaml',
    'name: waits\nsteps:\n  - say: I want a human\n  - expectHandoff: { queue: Support }\n    timeoutMs: 600000\n  - expectBot: { contains: never }\n',
  );

  it('when the signal aborts during a step, then the guest connection closes at once, no more looks are made, and the rest is skipped as cancelled', async () => {
    const sockets: WebSocket[] = [];
    class RecordingWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    }
    const controller = new AbortController();
    let looks = 0;
    let looksAtAbort = -1;
    let socketStateAtAbort = -1;
    const base = sandboxTarget(sb);
    const target = {
      ...base,
      observeHandoff(conversationId: string) {
        looks += 1;
        if (looks === 3) {
          controller.abort();
          looksAtAbort = looks;
          socketStateAtAbort = sockets[0]?.readyState ?? -1;
        }
        return base.observeHandoff(conversationId);
      },
    };
    const result = await runConversationScenario(scenario!, {
      target,
      now: () => performance.now(),
      WebSocket: RecordingWebSocket,
      signal: controller.signal,
    });
    assert.equal(result.cancelled, true);
    assert.equal(result.failure, undefined, 'cancelled is not failed');
    assert.deepEqual(
      result.skipped.map((k) => [k.index, k.reason]),
      [
        [1, CANCELLED_REASON],
        [2, CANCELLED_REASON],
      ],
    );
    assert.deepEqual(result.transcript, ['customer: I want a human']);
    assert.ok(
      socketStateAtAbort >= WebSocket.CLOSING,
      `the socket was closing when abort() returned (readyState ${socketStateAtAbort})`,
    );
    assert.equal(looks, looksAtAbort, 'no look at the org after the abort');
  });

  it('when the signal has already aborted, then nothing connects and every step is skipped as cancelled', async () => {
    let connected = 0;
    class CountingWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        connected += 1;
      }
    }
    const result = await runConversationScenario(scenario!, {
      target: sandboxTarget(sb),
      now: () => performance.now(),
      WebSocket: CountingWebSocket,
      signal: AbortSignal.abort(),
    });
    assert.equal(connected, 0);
    assert.equal(result.cancelled, true);
    assert.equal(result.failure, undefined);
    assert.deepEqual(
      result.skipped.map((k) => k.reason),
      [CANCELLED_REASON, CANCELLED_REASON, CANCELLED_REASON],
    );
  });
});
