import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { deletePrefix, requireSharedRedis, SHARED_REDIS_URL, sleep, startPrivateRedis, uniquePrefix, type PrivateRedis } from '../redis/helpers.js';
import { sandboxFaults } from './fault-matrix-scenarios.js';
import { formatMatrix, runScenario, type MatrixRow } from './matrix.js';
import { startReplicaSet, type ReplicaSet } from './replicas.js';

const DEADLINE_MS = 2500;
/**
 * Longest a lost claim can matter. In production: the deadline plus run-once's 5 s margin on a
 * claim's TTL (src/state.ts). Here the sandbox is in-process, and no write outlives the deadline
 * by more than a moment, so 1 s of margin keeps the test short.
 */
const HOLD_MS = DEADLINE_MS + 1000;

describe('fault matrix: two replicas, one Redis, the sandbox injecting faults', function () {
  this.timeout(120_000);
  const rows: MatrixRow[] = [];
  let admin: Redis;

  before(async () => {
    admin = await requireSharedRedis();
  });
  after(() => {
    admin?.disconnect();
    if (rows.length > 0) console.log(`\n${formatMatrix(rows)}\n`);
  });

  const check = (row: MatrixRow) => {
    rows.push(row);
    assert.equal(row.duplicates, 0, `${row.fault}: duplicate transfers`);
    // Every handoff either completes or fails back before its deadline (plus the scheduling margin).
    assert.equal(row.late, 0, `${row.fault}: answers after the deadline\n${row.problems.join('\n')}`);
    assert.equal(row.lost, 0, `${row.fault}: ${row.problems.join('\n')}`);
    assert.equal(row.completed + row.failedCleanly, row.handoffs);
  };

  describe('sandbox faults', () => {
    let set: ReplicaSet;
    before(async () => {
      set = await startReplicaSet({ count: 2, redisUrl: SHARED_REDIS_URL, keyPrefix: uniquePrefix('matrix'), deadlineMs: DEADLINE_MS });
      // Warm up (module loading, JIT, the first Genesys login, connection pools), not counted: on a
      // loaded machine a cold first row can spend its whole deadline on that and fail the baseline.
      await runScenario(set, { name: 'warm-up', conversations: 2, perConversation: 1 }, { deadlineMs: DEADLINE_MS });
    });
    after(async () => {
      await set?.close();
      if (set) await deletePrefix(admin, set.keyPrefix);
    });

    for (const scenario of sandboxFaults(DEADLINE_MS, { conversations: 6, perConversation: 2 })) {
      it(`${scenario.name}: every handoff completes or fails cleanly before its deadline, none twice, all traced`, async () => {
        const row = await runScenario(set, scenario, { deadlineMs: DEADLINE_MS });
        check(row);
        if (scenario.name.startsWith('none')) assert.equal(row.completed, row.handoffs);
      });
    }
  });

  describe('Redis restarted mid-run (a private redis-server, no persistence: every key is lost)', () => {
    let redis: PrivateRedis;
    let set: ReplicaSet;
    before(async () => {
      redis = await startPrivateRedis();
      set = await startReplicaSet({ count: 2, redisUrl: redis.url, keyPrefix: 'baton:', deadlineMs: DEADLINE_MS, recoveryHoldMs: HOLD_MS });
    });
    after(async () => {
      await set?.close();
      await redis?.stop();
    });

    it('Redis killed and restarted: handoffs fail with state_unavailable or complete before their deadline, none twice, retries after the restart do not transfer again', async () => {
      const row = await runScenario(
        set,
        {
          name: 'Redis restarted mid-run',
          conversations: 8,
          perConversation: 2,
          // Right after the restart (claims held: the lost ones may still be running), then after the hold.
          retries: [{ delayMs: 0 }, { delayMs: HOLD_MS }],
          // Transfers are slowed so that handoffs are mid-flight (claimed, transferring) at the kill.
          faults: [{ route: 'postConversationParticipantReplaceQueue', kind: 'latency', ms: 300 }],
          during: async () => {
            for (let i = 0; i < 400 && !(set.sandbox.counters.snapshot().byRoute.postConversationParticipantReplaceQueue! > 0); i++) await sleep(5);
            await redis.kill();
            await sleep(400);
            await redis.start();
            await Promise.all(set.replicas.map((r) => r.state.ready(10_000)));
          },
        },
        { deadlineMs: DEADLINE_MS },
      );
      check(row);
    });
  });
});
