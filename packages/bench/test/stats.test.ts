import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { dependentRoundTrips, percentile, summarize } from '../src/stats.js';

describe('percentile', () => {
  it('is nearest-rank: p50 of 1..10 is 5, p99 is 10, and NaN when empty', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(percentile(v, 50), 5);
    assert.equal(percentile(v, 99), 10);
    assert.equal(percentile(v, 0), 1);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('summarize sorts its input, whatever the order', () => {
    const s = summarize([30, 10, 20]);
    assert.deepEqual([s.count, s.p50, s.max, s.mean], [3, 20, 30, 20]);
  });
});

describe('dependentRoundTrips', () => {
  it('when three calls run one after the other, then the chain is 3', () => {
    assert.equal(dependentRoundTrips([[0, 40], [41, 81], [82, 122]]), 3);
  });

  it('when two calls overlap (run in parallel), then they count once', () => {
    // GET conversation and GET queue together, then bulk, then PATCH.
    assert.equal(dependentRoundTrips([[0, 40], [0.4, 40.5], [41, 81], [82, 122]]), 3);
  });

  it('tolerates timer jitter at a joint, but not a real overlap', () => {
    assert.equal(dependentRoundTrips([[0, 40.8], [40, 80]]), 2);
    assert.equal(dependentRoundTrips([[0, 40], [20, 60]]), 1);
  });

  it('is 0 for a handoff that made no call', () => {
    assert.equal(dependentRoundTrips([]), 0);
  });
});
