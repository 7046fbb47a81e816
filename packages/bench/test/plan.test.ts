import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { benchPlan, parseFocus } from '../src/plan.js';

describe('bench plan', () => {
  it('when --only names a row, then only the bridge and the floor run that one row, with the probe the critical path needs', () => {
    const plan = benchPlan(false, parseFocus('c50-40ms'));
    assert.deepEqual(plan.targets, ['bridge', 'floor']);
    assert.deepEqual(plan.latenciesMs, [40]);
    assert.deepEqual(plan.concurrencies, [50]);
    assert.equal(plan.probes, 'flow-inputs');
    const needed = plan.coldConcurrency + plan.warmupHandoffs + plan.probeHandoffs + plan.rowHandoffCap;
    assert.ok(plan.conversationsPerSandbox >= needed, `${plan.conversationsPerSandbox} conversations for ${needed} handoffs`);
  });

  it('when --only is malformed, then it is refused with the expected form', () => {
    assert.throws(() => parseFocus('50x40'), /expected c<concurrency>-<latency>ms/);
    assert.throws(() => parseFocus('c0-40ms'), /expected c<concurrency>-<latency>ms/);
    assert.deepEqual(parseFocus('c1-0ms'), { concurrency: 1, latencyMs: 0 });
  });

  it('without --only, then every target and every scenario runs', () => {
    for (const quick of [false, true]) {
      const plan = benchPlan(quick);
      assert.deepEqual(plan.targets, ['bridge', 'floor', 'baseline', 'bridge+redis']);
      assert.equal(plan.probes, 'all');
    }
  });
});
