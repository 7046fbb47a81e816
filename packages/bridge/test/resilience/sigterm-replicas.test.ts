import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { deletePrefix, requireSharedRedis, SHARED_REDIS_URL, sleep, uniquePrefix } from '../redis/helpers.js';
import { postHandoff, startReplicaSet, type HandoffCall, type ReplicaSet } from './replicas.js';

/**
 * The multi-replica version of the SIGTERM guarantee: one replica stops (the same graceful path
 * `baton serve` runs on SIGTERM: /readyz 503, no new connections, in-flight work drains) while
 * handoffs are mid-transfer, and Architect's retries land on the other replica.
 */
describe('SIGTERM on one of two replicas under load', function () {
  this.timeout(60_000);
  let admin: Redis;
  let set: ReplicaSet;
  before(async () => {
    admin = await requireSharedRedis();
    set = await startReplicaSet({ count: 2, redisUrl: SHARED_REDIS_URL, keyPrefix: uniquePrefix('sigterm'), deadlineMs: 8000 });
  });
  after(async () => {
    await set?.close();
    if (set) await deletePrefix(admin, set.keyPrefix);
    admin?.disconnect();
  });

  it('when a replica stops with handoffs in flight, then they finish, retries on the other replica get the same result, and none is lost or transferred twice', async () => {
    const [stopping, staying] = set.replicas as [NonNullable<(typeof set.replicas)[0]>, NonNullable<(typeof set.replicas)[1]>];
    // Slow transfers, so the stop lands while handoffs are transferring.
    set.sandbox.faults.add({ route: 'postConversationParticipantReplaceQueue', kind: 'latency', ms: 400 });
    const conversations = Array.from({ length: 10 }, () => set.newConversation());

    const inFlight = conversations.map((id) => postHandoff(stopping, id, { abortAfterMs: 20_000 }));
    for (let i = 0; i < 400 && (set.sandbox.counters.snapshot().byRoute.postConversationParticipantReplaceQueue ?? 0) === 0; i++) await sleep(5);
    assert.ok(stopping.bridge.inFlight.size > 0, 'handoffs are in flight at the stop');

    const stopped = stopping.shutdown(15_000);
    const ready = await fetch(`${stopping.url}/readyz`).then((r) => r.status).catch(() => 0);
    assert.ok(ready === 503 || ready === 0, `a stopping replica is not ready (got ${ready})`);

    // Architect's retries (its data action timed out or the connection closed) reach the other replica.
    const retries = await Promise.all(conversations.map((id) => postHandoff(staying, id, { abortAfterMs: 20_000 })));
    const firsts: HandoffCall[] = await Promise.all(inFlight);
    const { drained } = await stopped;
    set.sandbox.faults.clear();

    assert.equal(drained, true, 'the stopping replica drained its in-flight work');
    for (const call of [...firsts, ...retries]) assert.equal(call.status, 200, `${call.replica}: ${call.status} ${JSON.stringify(call.body ?? call.transportError)}`);
    for (const [i, id] of conversations.entries()) {
      assert.equal(retries[i]!.body!.handoffId, firsts[i]!.body!.handoffId, 'the retry gets the first result');
      assert.equal(set.sandbox.org.transfers.filter((t) => t.conversationId === id).length, 1);
      assert.ok(await staying.state.traces.get(String(firsts[i]!.body!.handoffId)), 'traced, readable from the replica that stays');
    }
    assert.equal([...set.duplicateTransferAttempts().values()].reduce((a, b) => a + b, 0), 0);
    // The stopped replica takes no new work.
    const late = await postHandoff(stopping, set.newConversation(), { abortAfterMs: 2000 });
    assert.equal(late.status, 0, 'connections to a stopped replica are refused');
  });
});
