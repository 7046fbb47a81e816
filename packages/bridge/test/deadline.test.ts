import assert from 'node:assert/strict';
import request from 'supertest';
import { EMPTY_CONTEXT_OUTPUTS, type HandoffOutput } from '@baton/core';
import { computeDeadlines } from '../src/deadline.js';
import type { BridgeStepContext, HandoffSteps } from '../src/handoff-steps.js';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';
import { createManualClock } from '@baton/core/testing';

describe('computeDeadlines', () => {
  it('uses BATON_DEADLINE_MS, or the smaller budgetMs, and gives core a slightly earlier deadline', () => {
    assert.deepEqual(computeDeadlines(1000, 25000), { budgetMs: 25000, httpDeadline: 26000, coreDeadline: 25000 });
    assert.deepEqual(computeDeadlines(1000, 25000, 2000), { budgetMs: 2000, httpDeadline: 3000, coreDeadline: 2800 });
    assert.deepEqual(computeDeadlines(1000, 3000, 9000), { budgetMs: 3000, httpDeadline: 4000, coreDeadline: 3700 });
    assert.equal(computeDeadlines(0, 500).coreDeadline, 450);
  });
});

/** Stand-in steps whose handoff waits until the test lets it finish. */
function controllableSteps() {
  const calls: BridgeStepContext[] = [];
  let release!: (output: HandoffOutput) => void;
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  const steps: HandoffSteps = {
    run: (id, _input, ctx) => {
      if (id !== 'handoff') return Promise.reject(new Error('unused'));
      calls.push(ctx);
      started();
      return new Promise((resolve) => {
        release = (output) => resolve({ output, trace: { handoffId: output.handoffId } } as never);
      });
    },
  };
  return { steps, calls, started: startedP, release: (o: HandoffOutput) => release(o) };
}

const OUTPUT: HandoffOutput = {
  ...EMPTY_CONTEXT_OUTPUTS,
  writeContext: 'bridge',
  status: 'ready_for_transfer',
  message: 'done late',
  handoffId: 'h-1',
  intent: 'x',
  confidence: 0.1,
  intentSource: 'inputs',
  threshold: 0.7,
  mode: 'flow',
  queueId: 'q',
  queueName: 'Q',
  priority: 5,
  exitReason: '',
  decisionRule: 'confidence_below_threshold',
  routingRule: '',
  waitMessage: '',
  transcript: '',
  messageCount: 0,
  truncated: false,
  transferred: false,
  apiCalls: 0,
  durationMs: 0,
};

describe('request deadline (clock seam, stand-in steps)', () => {
  it('when the step outlives the HTTP deadline, then 504 deadline_exceeded, and the step keeps running until it finishes', async () => {
    const clock = createManualClock();
    const ctl = controllableSteps();
    const h = await startHarness({ clock, steps: ctl.steps, env: { BATON_DEADLINE_MS: '5000' } });
    try {
      const answer = request(h.url).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).send({ conversationId: h.sandbox.scenarios.lowConfidence }).then((r) => r);
      await ctl.started;
      // Core got a deadline slightly before the HTTP one.
      assert.equal(ctl.calls[0]!.deadline, clock.now() + 5000 - 500);
      clock.advance(5000);
      const res = await answer;
      assert.equal(res.status, 504);
      assert.equal(res.body.code, 'deadline_exceeded');
      assert.match(res.body.message, /5000 ms/);
      assert.match(res.body.message, /run the action again/);

      // The work is still in flight (SIGTERM would wait for it) and its late outcome is logged.
      assert.ok(h.bridge.inFlight.size >= 1);
      ctl.release(OUTPUT);
      await h.bridge.inFlight.drain();
      const late = h.logs.lines().find((l) => l.late === true);
      assert.equal(late?.outcome, 'ready_for_transfer');
      assert.equal(late?.handoffId, 'h-1');
    } finally {
      await h.close();
    }
  });

  it('when budgetMs is smaller than BATON_DEADLINE_MS, then it sets the deadline', async () => {
    const clock = createManualClock();
    const ctl = controllableSteps();
    const h = await startHarness({ clock, steps: ctl.steps, env: { BATON_DEADLINE_MS: '20000' } });
    try {
      const answer = request(h.url)
        .post('/v1/actions/handoff')
        .set('X-API-Key', CREDS.apiKey)
        .send({ conversationId: h.sandbox.scenarios.lowConfidence, budgetMs: '2000' })
        .then((r) => r);
      await ctl.started;
      assert.equal(ctl.calls[0]!.deadline, clock.now() + 1800);
      clock.advance(1999);
      ctl.release(OUTPUT);
      const res = await answer;
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ready_for_transfer');
    } finally {
      await h.close();
    }
  });
});

describe('request deadline (sandbox latency, real core)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('when Genesys is too slow for budgetMs, then a 504 that says so, and the retry gets the real outcome', async () => {
    const conversationId = h.sandbox.scenarios.lowConfidence;
    h.sandbox.faults.add({ route: 'postConversationsMessageMessagesBulk', kind: 'latency', ms: 3000, times: 1 });
    const res = await request(h.url).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).send({ conversationId, budgetMs: '700' });
    assert.equal(res.status, 504, JSON.stringify(res.body));
    // The bulk read is still waiting when the deadline passes: nothing was written yet, so it is the
    // README's 504 deadline_exceeded (handoff_incomplete is for a transfer that failed after writes).
    assert.equal(res.body.code, 'deadline_exceeded');
    assert.match(res.body.message, /deadline/i);
    await h.bridge.inFlight.drain();

    const retry = await request(h.url).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).send({ conversationId });
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body.status, 'ready_for_transfer');
  });
});
