import { createMemoryIdempotencyStore, createMemoryTokenStore, createMemoryTraceStore } from '../../src/state/memory.js';
import { describeStateContract, type StateFixture } from '../../src/testing/state-contract.js';

// The memory stores against the state contract; bridge/test/redis/state-contract.test.ts runs the
// same suite against the Redis stores.
describe('state stores: memory (one process: both handles are the same store)', () => {
  let fixture: StateFixture;
  beforeEach(() => {
    const idempotency = createMemoryIdempotencyStore();
    const tokens = createMemoryTokenStore();
    const traces = createMemoryTraceStore();
    fixture = {
      idempotency: () => idempotency,
      tokens: () => tokens,
      traces: (capacity) => (capacity === undefined ? traces : createMemoryTraceStore(capacity)),
    };
  });
  describeStateContract('memory', () => fixture);
});
