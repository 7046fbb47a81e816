import { describeStateContract, type StateFixture } from '@baton/core/testing';
import type { Redis } from 'ioredis';
import { createRedisState, type RedisState } from '../../src/redis/index.js';
import { deletePrefix, requireSharedRedis, SHARED_REDIS_URL, TEST_GENESYS_CLIENT, uniquePrefix } from './helpers.js';

// The Redis stores against core's state contract (@baton/core/testing); core/test/state runs the
// same suite against the memory stores.
describe('state stores', () => {
  describe('redis (two replicas: each handle is its own connection)', () => {
    let admin: Redis;
    let prefix: string;
    let opened: RedisState[] = [];
    let fixture: StateFixture;

    before(async () => {
      admin = await requireSharedRedis();
    });
    after(async () => {
      admin.disconnect();
    });
    beforeEach(async () => {
      prefix = uniquePrefix('contract');
      const open = (traceCapacity?: number) => {
        const state = createRedisState({ url: SHARED_REDIS_URL, keyPrefix: prefix, traceCapacity });
        opened.push(state);
        return state;
      };
      // Two connected replicas, handed out in turn (a replica serves only once connected: the
      // token store would otherwise, by design, carry on alone).
      const replicas = [open(), open()];
      await Promise.all(replicas.map((r) => r.ready()));
      let turn = 0;
      const next = () => replicas[turn++ % 2]!;
      fixture = {
        idempotency: () => next().idempotency,
        tokens: () => next().tokens(TEST_GENESYS_CLIENT),
        traces: (capacity) => (capacity === undefined ? next().traces : open(capacity).traces),
      };
    });
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      opened = [];
      await deletePrefix(admin, prefix);
    });
    describeStateContract('redis', () => fixture);
  });
});
