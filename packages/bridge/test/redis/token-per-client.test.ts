import assert from 'node:assert/strict';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime, type BridgeRuntime } from '../../src/runtime.js';
import { deletePrefix, requireSharedRedis, SHARED_REDIS_URL, uniquePrefix } from './helpers.js';

/**
 * Regression (hardening issue #13): the Genesys token, its refresh lock and the pacer were kept at
 * `<prefix>token` whatever the OAuth client, so two bridges with different clients on one Redis and
 * prefix sent each other's token. They are scoped by login host and client id now.
 */
describe('Redis token and pacer keys, per Genesys OAuth client', () => {
  let admin: Redis;
  let prefix: string;
  let sandboxes: Sandbox[];
  let runtimes: BridgeRuntime[];
  const logger = createLogger({ level: 'silent' });

  before(async () => {
    admin = await requireSharedRedis();
  });
  after(() => admin.disconnect());
  beforeEach(() => {
    prefix = uniquePrefix('token-per-client');
    sandboxes = [];
    runtimes = [];
  });
  afterEach(async () => {
    await Promise.all(runtimes.map((r) => r.close()));
    await Promise.all(sandboxes.map((s) => s.close()));
    await deletePrefix(admin, prefix);
  });

  const startSandbox = async () => {
    const sandbox = await createSandbox({ conversations: 0 });
    sandboxes.push(sandbox);
    return sandbox;
  };
  /** A bridge's runtime in org mode, as `baton serve` builds it from its environment. */
  const bridge = async (sandbox: Sandbox, client: { clientId: string; clientSecret: string }) => {
    const config = loadConfig({
      GENESYS_BASE_URL: sandbox.url,
      GENESYS_CLIENT_ID: client.clientId,
      GENESYS_CLIENT_SECRET: client.clientSecret,
      REDIS_URL: SHARED_REDIS_URL,
      BATON_REDIS_PREFIX: prefix,
    });
    const runtime = await createRuntime(config, { logger });
    runtimes.push(runtime);
    return runtime;
  };

  it('when two bridges with different clients share one Redis and prefix, then each calls Genesys with its own token', async () => {
    const sandbox = await startSandbox();
    const other = sandbox.addClient({ permissions: '*' });
    const [a, b] = [await bridge(sandbox, sandbox), await bridge(sandbox, other)];

    await a.genesys.listQueues();
    await b.genesys.listQueues();
    await a.genesys.listQueues();
    await b.genesys.listQueues();

    const counters = sandbox.counters.snapshot();
    assert.equal(counters.tokenRequests, 2, 'one login per client');
    assert.equal(Object.keys(counters.byToken).length, 2, 'two tokens in use');
    // One login and two calls each: had b used a's token, the sandbox would count them all for a.
    assert.equal(counters.byClient[other.clientId], counters.byClient[sandbox.clientId]);
    assert.ok((counters.byClient[other.clientId] ?? 0) >= 3, JSON.stringify(counters.byClient));

    const keys = await admin.keys(`${prefix}*`);
    assert.equal(keys.filter((k) => k.endsWith(':token')).length, 2, `one token key per client: ${keys.join(', ')}`);
    for (const key of keys) {
      assert.ok(!key.includes(sandbox.clientId) && !key.includes(other.clientId), `no client id in ${key}`);
      assert.ok(!key.includes(sandbox.clientSecret) && !key.includes(other.clientSecret), 'no secret in a key');
    }
  });

  it('when one client id logs in at two login hosts, then neither host is sent the other one\'s token', async () => {
    const [east, west] = [await startSandbox(), await startSandbox()];
    const clientId = 'same-client-id-in-two-orgs';
    const [a, b] = [
      await bridge(east, east.addClient({ clientId, permissions: '*' })),
      await bridge(west, west.addClient({ clientId, permissions: '*' })),
    ];

    await a.genesys.listQueues();
    await b.genesys.listQueues();

    for (const sandbox of [east, west]) {
      const counters = sandbox.counters.snapshot();
      assert.equal(counters.byStatus['401'], undefined, `no foreign token reached ${sandbox.url}: ${JSON.stringify(counters.byStatus)}`);
      assert.equal(counters.tokenRequests, 1);
    }
  });

  it('when two replicas use the same client, then they still share one login and one token', async () => {
    const sandbox = await startSandbox();
    const [a, b] = [await bridge(sandbox, sandbox), await bridge(sandbox, sandbox)];

    await a.genesys.listQueues();
    await b.genesys.listQueues();

    const counters = sandbox.counters.snapshot();
    assert.equal(counters.tokenRequests, 1);
    assert.equal(Object.keys(counters.byToken).length, 1);
  });
});
