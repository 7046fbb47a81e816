import assert from 'node:assert/strict';
import type { HandoffTrace } from '../contracts/trace.js';
import { DeadlineExceededError } from '../errors.js';
import type { IdempotencyStore, TokenStore, TraceStore } from '../state/index.js';

/**
 * The contract of the state interfaces (core/src/state: IdempotencyStore, TokenStore, TraceStore),
 * as a mocha suite every implementation runs: core's memory stores (core/test/state) and the
 * bridge's Redis stores (bridge/test/redis). Call `describeStateContract` inside a mocha file.
 *
 * The TTL cases wait on real time (a few hundred ms): Redis expires keys by its own clock.
 */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Two handles on one shared state. For the memory stores both are the same object (one process);
 * for Redis they are separate stores on separate connections (two replicas). The same behaviour
 * must hold for both: this suite is the definition of the state interfaces.
 */
export interface StateFixture {
  idempotency(): IdempotencyStore;
  tokens(): TokenStore;
  traces(capacity?: number): TraceStore;
}

export function sampleTrace(handoffId: string, conversationId = 'conv-1'): HandoffTrace {
  return {
    handoffId,
    conversationId,
    startedAt: new Date(0).toISOString(),
    durationMs: 12,
    status: 'transferred',
    steps: [{ step: 'handToQueue', startedAt: new Date(0).toISOString(), durationMs: 5, outcome: 'ok', summary: 'queued', calls: [] }],
    calls: [{ route: 'replaceParticipantWithQueue', method: 'POST', path: `/api/v2/conversations/${conversationId}/participants/p/replace/queue`, status: 202, durationMs: 4, retries: 0 }],
    transcript: 'Customer: hello',
  };
}

export function describeStateContract(name: string, fixture: () => StateFixture): void {
  describe(`${name}: IdempotencyStore contract`, () => {
    let key: string;
    let n = 0;
    beforeEach(() => {
      key = `conversation-${Date.now()}-${n++}`;
    });

    it('when a key is claimed first, then the claimer gets "claimed" and a second caller "in_progress"', async () => {
      const [a, b] = [fixture().idempotency(), fixture().idempotency()];
      assert.deepEqual(await a.claim(key, 60_000), { kind: 'claimed' });
      assert.deepEqual(await b.claim(key, 60_000), { kind: 'in_progress' });
    });

    it('when the claim is completed, then a repeat gets the first result', async () => {
      const [a, b] = [fixture().idempotency(), fixture().idempotency()];
      await a.claim(key, 60_000);
      const result = { status: 'transferred', queueId: 'q-1', apiCalls: 3, nested: { list: [1, 2] } };
      await a.complete(key, result, 60_000);
      assert.deepEqual(await b.claim(key, 60_000), { kind: 'completed', result });
    });

    it('when a claim is released, then the next caller can claim it', async () => {
      const [a, b] = [fixture().idempotency(), fixture().idempotency()];
      await a.claim(key, 60_000);
      await a.release(key);
      assert.deepEqual(await b.claim(key, 60_000), { kind: 'claimed' });
    });

    it('when a claim outlives its TTL (a crashed holder), then it can be claimed again', async () => {
      const store = fixture().idempotency();
      await store.claim(key, 40);
      await sleep(120);
      assert.deepEqual(await store.claim(key, 60_000), { kind: 'claimed' });
    });

    it('when a completed result outlives its TTL, then it is forgotten', async () => {
      const store = fixture().idempotency();
      await store.claim(key, 60_000);
      await store.complete(key, { ok: true }, 40);
      await sleep(120);
      assert.deepEqual(await store.claim(key, 60_000), { kind: 'claimed' });
    });

    it('when 20 callers claim at once across handles, then exactly one claims', async () => {
      const stores = [fixture().idempotency(), fixture().idempotency()];
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.claim(key, 60_000)));
      assert.equal(outcomes.filter((o) => o.kind === 'claimed').length, 1);
      assert.equal(outcomes.filter((o) => o.kind === 'in_progress').length, 19);
    });

    it('when another handle completes while a caller waits, then the waiter gets that result', async () => {
      const [a, b] = [fixture().idempotency(), fixture().idempotency()];
      await a.claim(key, 60_000);
      const waiting = b.waitFor(key, Date.now() + 10_000);
      await sleep(30);
      await a.complete(key, { queueId: 'q-9' }, 60_000);
      assert.deepEqual(await waiting, { queueId: 'q-9' });
    });

    it('when another handle releases while a caller waits, then the waiter gets undefined (and may claim)', async () => {
      const [a, b] = [fixture().idempotency(), fixture().idempotency()];
      await a.claim(key, 60_000);
      const waiting = b.waitFor(key, Date.now() + 10_000);
      await sleep(30);
      await a.release(key);
      assert.equal(await waiting, undefined);
      assert.deepEqual(await b.claim(key, 60_000), { kind: 'claimed' });
    });

    it('when nobody holds the key, then waitFor returns undefined at once', async () => {
      assert.equal(await fixture().idempotency().waitFor(key, Date.now() + 10_000), undefined);
    });

    it('when the key is already completed, then waitFor returns its result', async () => {
      const store = fixture().idempotency();
      await store.claim(key, 60_000);
      await store.complete(key, 'done', 60_000);
      assert.equal(await store.waitFor(key, Date.now() + 10_000), 'done');
    });

    it('when the holder does not finish before the deadline, then waitFor rejects with deadline_exceeded', async () => {
      const [a, b] = [fixture().idempotency(), fixture().idempotency()];
      await a.claim(key, 60_000);
      await assert.rejects(b.waitFor(key, Date.now() + 60), (error: unknown) => {
        assert.ok(error instanceof DeadlineExceededError, String(error));
        assert.equal(error.code, 'deadline_exceeded');
        return true;
      });
    });

    it('when the holder extends its claim (a write still in flight), then it outlives its first TTL and nobody else can claim it', async () => {
      const [a, b] = [fixture().idempotency(), fixture().idempotency()];
      await a.claim(key, 60);
      assert.equal(await a.extend(key, 60_000), true);
      await sleep(150);
      assert.deepEqual(await b.claim(key, 60_000), { kind: 'in_progress' });
    });

    it('when a claim is extended to less than it has left, then it is not shortened', async () => {
      const [a, b] = [fixture().idempotency(), fixture().idempotency()];
      await a.claim(key, 60_000);
      assert.equal(await a.extend(key, 20), true);
      await sleep(100);
      assert.deepEqual(await b.claim(key, 60_000), { kind: 'in_progress' });
    });

    it('when the claim is gone (expired, released or completed), then extend says so and changes nothing', async () => {
      const store = fixture().idempotency();
      assert.equal(await store.extend(key, 60_000), false, 'never claimed');
      await store.claim(key, 40);
      await sleep(120);
      assert.equal(await store.extend(key, 60_000), false, 'expired');
      await store.claim(key, 60_000);
      await store.release(key);
      assert.equal(await store.extend(key, 60_000), false, 'released');
      assert.deepEqual(await store.claim(key, 60_000), { kind: 'claimed' });
      await store.complete(key, 'done', 60_000);
      assert.equal(await store.extend(key, 60_000), false, 'completed');
      assert.deepEqual(await store.claim(key, 60_000), { kind: 'completed', result: 'done' });
    });

    it('when 10 duplicates of one handoff run the claim/wait protocol at once, then the work runs once and all get its result', async () => {
      const stores = [fixture().idempotency(), fixture().idempotency()];
      let runs = 0;
      const handoff = async (store: IdempotencyStore): Promise<unknown> => {
        for (;;) {
          const outcome = await store.claim<{ run: number }>(key, 60_000);
          if (outcome.kind === 'completed') return outcome.result;
          if (outcome.kind === 'claimed') {
            runs++;
            await sleep(50);
            const result = { run: runs };
            await store.complete(key, result, 60_000);
            return result;
          }
          const result = await store.waitFor(key, Date.now() + 10_000);
          if (result !== undefined) return result;
        }
      };
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => handoff(stores[i % 2]!)));
      assert.equal(runs, 1);
      for (const result of results) assert.deepEqual(result, { run: 1 });
    });
  });

  describe(`${name}: TokenStore contract`, () => {
    const token = (accessToken: string, lifeMs = 60_000) => ({ accessToken, expiresAt: Date.now() + lifeMs });

    it('when no token was stored, then get returns undefined', async () => {
      assert.equal(await fixture().tokens().get(), undefined);
    });

    it('when one handle stores a token, then another reads it', async () => {
      const [a, b] = [fixture().tokens(), fixture().tokens()];
      const stored = token('tok-shared');
      await a.set(stored);
      assert.deepEqual(await b.get(), stored);
    });

    it('when the token has expired, then get never offers it as valid', async () => {
      // The memory store returns it and leaves the expiry check to the caller; Redis drops it by TTL.
      const store = fixture().tokens();
      await store.set(token('tok-short', 40));
      await sleep(120);
      const got = await store.get();
      assert.ok(got === undefined || got.expiresAt <= Date.now(), `got ${JSON.stringify(got)}`);
    });

    it('when the failed token is still current, then invalidate forgets it', async () => {
      const [a, b] = [fixture().tokens(), fixture().tokens()];
      await a.set(token('tok-bad'));
      await b.invalidate('tok-bad');
      assert.equal(await a.get(), undefined);
    });

    it('when another replica already replaced the failed token, then invalidate keeps the new one', async () => {
      const [a, b] = [fixture().tokens(), fixture().tokens()];
      const fresh = token('tok-new');
      await a.set(fresh);
      await b.invalidate('tok-old');
      assert.deepEqual(await a.get(), fresh);
    });

    it('when 12 callers on two handles refresh at once, then refreshes never overlap and one login serves all', async () => {
      const stores = [fixture().tokens(), fixture().tokens()];
      let logins = 0;
      let running = 0;
      let maxRunning = 0;
      const getToken = (store: TokenStore) =>
        store.withRefreshLock(async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          try {
            // The refresh the Genesys client runs: read first, log in only if nobody else has.
            const cached = await store.get();
            if (cached) return cached;
            logins++;
            await sleep(40);
            const fresh = token(`tok-login-${logins}`);
            await store.set(fresh);
            return fresh;
          } finally {
            running--;
          }
        });
      const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => getToken(stores[i % 2]!)));
      assert.equal(logins, 1);
      assert.equal(maxRunning, 1);
      assert.deepEqual(new Set(tokens.map((t) => t.accessToken)), new Set(['tok-login-1']));
    });

    it('when a refresh fails, then its callers see the error and the next refresh can run', async () => {
      const store = fixture().tokens();
      await assert.rejects(
        store.withRefreshLock(async () => {
          throw new Error('login refused');
        }),
        /login refused/,
      );
      assert.equal(await store.withRefreshLock(async () => 'second'), 'second');
    });
  });

  describe(`${name}: TraceStore contract`, () => {
    let prefix: string;
    let n = 0;
    beforeEach(() => {
      prefix = `h-${Date.now()}-${n++}-`;
    });

    it('when a trace is appended on one handle, then another reads it by handoffId', async () => {
      const [a, b] = [fixture().traces(), fixture().traces()];
      const trace = sampleTrace(`${prefix}1`, `${prefix}conv`);
      await a.append(trace);
      assert.deepEqual(await b.get(trace.handoffId), trace);
    });

    it('when the handoffId is unknown, then get returns undefined', async () => {
      assert.equal(await fixture().traces().get(`${prefix}missing`), undefined);
    });

    it('when listing, then traces come newest first, limited', async () => {
      const store = fixture().traces();
      for (let i = 0; i < 5; i++) await store.append(sampleTrace(`${prefix}${i}`, `${prefix}conv`));
      const listed = await store.list({ limit: 3 });
      assert.deepEqual(
        listed.map((t) => t.handoffId),
        [`${prefix}4`, `${prefix}3`, `${prefix}2`],
      );
    });

    it('when listing without a limit, then at most 50 come back', async () => {
      const store = fixture().traces();
      for (let i = 0; i < 55; i++) await store.append(sampleTrace(`${prefix}${i}`, `${prefix}conv`));
      const listed = await store.list();
      assert.equal(listed.length, 50);
      assert.equal(listed[0]!.handoffId, `${prefix}54`);
    });

    it('when filtering by conversation, then only its traces come back, newest first', async () => {
      const store = fixture().traces();
      await store.append(sampleTrace(`${prefix}a1`, `${prefix}A`));
      await store.append(sampleTrace(`${prefix}b1`, `${prefix}B`));
      await store.append(sampleTrace(`${prefix}a2`, `${prefix}A`));
      await store.append(sampleTrace(`${prefix}b2`, `${prefix}B`));
      const listed = await store.list({ conversationId: `${prefix}A`, limit: 10 });
      assert.deepEqual(
        listed.map((t) => t.handoffId),
        [`${prefix}a2`, `${prefix}a1`],
      );
      assert.deepEqual(
        (await store.list({ conversationId: `${prefix}B`, limit: 1 })).map((t) => t.handoffId),
        [`${prefix}b2`],
      );
    });

    it('when far more traces than the capacity arrive, then the oldest are dropped and the newest kept', async () => {
      // Redis trims approximately (whole stream nodes of ~100 entries), so "far more" is 4x a node.
      const store = fixture().traces(10);
      for (let i = 0; i < 400; i++) await store.append(sampleTrace(`${prefix}${i}`, `${prefix}conv`));
      assert.equal(await store.get(`${prefix}0`), undefined);
      assert.equal((await store.get(`${prefix}399`))?.handoffId, `${prefix}399`);
      const all = await store.list({ limit: 1000 });
      assert.ok(all.length >= 10 && all.length < 400, `kept ${all.length}`);
      assert.equal((await store.list({ conversationId: `${prefix}conv`, limit: 1000 })).some((t) => t.handoffId === `${prefix}0`), false);
    });
  });
}
