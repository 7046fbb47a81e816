import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { deletePrefix, requireSharedRedis, SHARED_REDIS_URL, uniquePrefix } from '../redis/helpers.js';
import { postHandoff, startReplicaSet, type ReplicaSet } from './replicas.js';

describe('two bridge replicas on one Redis', () => {
  let admin: Redis;
  let set: ReplicaSet;
  before(async () => {
    admin = await requireSharedRedis();
    set = await startReplicaSet({ count: 2, redisUrl: SHARED_REDIS_URL, keyPrefix: uniquePrefix('replicas'), deadlineMs: 8000 });
  });
  after(async () => {
    await set?.close();
    if (set) await deletePrefix(admin, set.keyPrefix);
    admin.disconnect();
  });

  it('when the same handoff is posted 10 times at once across both replicas, then it transfers once and every caller gets the same result', async () => {
    const conversationId = set.newConversation();
    const calls = await Promise.all(
      Array.from({ length: 10 }, (_, i) => postHandoff(set.replicas[i % 2]!, conversationId, { abortAfterMs: 15_000 })),
    );
    for (const call of calls) assert.equal(call.status, 200, `${call.replica}: ${call.status} ${JSON.stringify(call.body ?? call.transportError)}`);
    const transfers = set.sandbox.org.transfers.filter((t) => t.conversationId === conversationId);
    assert.equal(transfers.length, 1);
    assert.equal(set.duplicateTransferAttempts().get(conversationId) ?? 0, 0, 'no replica even tried a second transfer');
    const first = calls[0]!.body!;
    assert.equal(first.status, 'transferred');
    assert.equal(first.transferred, true);
    for (const call of calls) {
      assert.equal(call.body!.handoffId, first.handoffId);
      assert.equal(call.body!.status, first.status);
      assert.equal(call.body!.queueId, first.queueId);
    }
    // Both replicas answered some of them.
    assert.deepEqual(new Set(calls.map((c) => c.replica)), new Set(['replica-0', 'replica-1']));
  });

  it('when a handoff ran on one replica, then its trace can be read from the other', async () => {
    const conversationId = set.newConversation();
    const call = await postHandoff(set.replicas[0]!, conversationId, { abortAfterMs: 15_000 });
    assert.equal(call.status, 200);
    const trace = await set.replicas[1]!.state.traces.get(String(call.body!.handoffId));
    assert.equal(trace?.conversationId, conversationId);
    assert.ok(trace.calls.some((c) => c.route.toLowerCase().includes('replace') || c.path.includes('/replace/queue')), 'the trace shows the transfer call');
    const listed = await set.replicas[1]!.state.traces.list({ conversationId });
    assert.equal(listed[0]?.handoffId, call.body!.handoffId);
  });

  it('when both replicas work, then they log in once between them (one shared token)', async () => {
    const before = set.sandbox.counters.snapshot().tokenRequests;
    const ids = Array.from({ length: 6 }, () => set.newConversation());
    await Promise.all(ids.map((id, i) => postHandoff(set.replicas[i % 2]!, id, { abortAfterMs: 15_000 })));
    assert.equal(set.sandbox.counters.snapshot().tokenRequests - before, 0, 'the token from the first test is reused by both');
    assert.ok(before <= 1, `token requests so far: ${before}`);
  });

  it('when Redis answers, then /readyz on both replicas says ready with a state check', async () => {
    for (const replica of set.replicas) {
      const response = await fetch(`${replica.url}/readyz`);
      const body = (await response.json()) as { status: string; checks: Record<string, string> };
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.checks.state, 'ok');
    }
  });
});
