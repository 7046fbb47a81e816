import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { sampleTrace } from '@baton/core/testing';
import { configSecrets, loadConfig } from '../../src/config.js';
import { createRedisState, type RedisState } from '../../src/redis/index.js';
import { sleep, startPrivateRedis, TEST_GENESYS_CLIENT, type PrivateRedis } from './helpers.js';

/**
 * The Redis user the README recommends (section "Redis: a password, TLS and a user of its own"):
 * keys and pub/sub channels under the prefix only, every command but the dangerous ones, plus INFO
 * (ioredis's ready check; without it ioredis prints a warning on every connect). This proves every
 * store works under it, so the README's line is a tested one.
 */
const ACL_RULES = ['on', '>baton-acl-test-password', 'resetkeys', '~baton:*', 'resetchannels', '&baton:*', '+@all', '-@dangerous', '+info'];
const PASSWORD = 'baton-acl-test-password';

describe('Redis behind an ACL user restricted to the key prefix', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  let state: RedisState | undefined;
  before(async () => {
    redis = await startPrivateRedis();
    admin = new Redis(redis.url);
    await admin.call('ACL', 'SETUSER', 'baton', ...ACL_RULES);
  });
  after(async () => {
    admin.disconnect();
    await redis.stop();
  });
  afterEach(async () => {
    await state?.close();
    state = undefined;
    await admin.call('ACL', 'LOG', 'RESET');
  });

  it('when the bridge connects as that user, then every store works and Redis denies it nothing', async () => {
    state = createRedisState({ url: `redis://baton:${PASSWORD}@127.0.0.1:${redis.port}`, keyPrefix: 'baton:' });
    await state.ready();
    await state.check();

    const tokens = state.tokens(TEST_GENESYS_CLIENT);
    const token = { accessToken: 'tok-acl', expiresAt: Date.now() + 60_000 };
    await tokens.withRefreshLock(() => tokens.set(token));
    assert.deepEqual(await tokens.get(), token);
    await tokens.invalidate(token.accessToken);
    assert.equal(await tokens.get(), undefined);

    assert.deepEqual(await state.idempotency.claim('conv-acl', 10_000), { kind: 'claimed' });
    const waiting = state.idempotency.waitFor('conv-acl', Date.now() + 5000);
    await sleep(50);
    await state.idempotency.complete('conv-acl', { done: true }, 10_000);
    assert.deepEqual(await waiting, { done: true });

    await state.traces.append(sampleTrace('h-acl', 'c-acl'));
    assert.equal((await state.traces.get('h-acl'))?.handoffId, 'h-acl');
    assert.deepEqual((await state.traces.list({ conversationId: 'c-acl' })).map((t) => t.handoffId), ['h-acl']);

    const pacer = state.pacer({ genesysClient: TEST_GENESYS_CLIENT, requestsPerMinute: 10 });
    await pacer.acquire(Date.now() + 1000);
    pacer.holdUntil(Date.now() + 5000);
    for (let i = 0; i < 50 && (await admin.keys('baton:genesys:*:pacer:held-until')).length === 0; i++) await sleep(10);
    assert.equal((await admin.keys('baton:genesys:*:pacer:held-until')).length, 1);

    // Redis logs every command, key or channel it refused to a user: none.
    assert.deepEqual(await admin.call('ACL', 'LOG'), []);
  });

  it('when that user reaches outside the prefix or for a dangerous command, then Redis refuses', async () => {
    const user = new Redis(`redis://baton:${PASSWORD}@127.0.0.1:${redis.port}`, { maxRetriesPerRequest: 0 });
    try {
      await assert.rejects(user.get('other-app:secret'), /NOPERM/);
      await assert.rejects(user.call('FLUSHALL'), /NOPERM/);
      await assert.rejects(user.call('KEYS', '*'), /NOPERM/);
      await assert.rejects(user.call('CONFIG', 'GET', 'requirepass'), /NOPERM/);
    } finally {
      user.disconnect();
    }
  });

  it('when the password is wrong, then the outage is logged without the password', async () => {
    const lines: string[] = [];
    const record = (facts: Record<string, unknown>, message: string) => lines.push(JSON.stringify({ facts, message }));
    const wrong = 'not-the-baton-password';
    state = createRedisState({ url: `redis://baton:${wrong}@127.0.0.1:${redis.port}`, keyPrefix: 'baton:', logger: { info: record, warn: record } });
    for (let i = 0; i < 100 && lines.length === 0; i++) await sleep(20);
    assert.ok(lines.length > 0, 'the failure is logged');
    assert.match(lines.join('\n'), /WRONGPASS|invalid username-password/);
    assert.ok(!lines.join('\n').includes(wrong), lines.join('\n'));
  });

  it('when REDIS_URL is rediss:// with a user and password, then the config accepts it and redacts the password', () => {
    const config = loadConfig({ REDIS_URL: 'rediss://baton:p%40ss%2Fw0rd@redis.internal.example:6380/0' });
    assert.equal(config.redisUrl, 'rediss://baton:p%40ss%2Fw0rd@redis.internal.example:6380/0');
    assert.ok(configSecrets(config).includes('p@ss/w0rd'), 'the decoded password, as ioredis sends it, is redacted');
  });
});
