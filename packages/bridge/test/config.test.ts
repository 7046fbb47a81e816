import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultHandoffConfig, DEFAULT_MAX_HOLD_MS, DEFAULT_REQUESTS_PER_MINUTE } from '@baton/core';
import { ConfigError, configReadmeTable, configSecrets, configVariables, loadConfig } from '../src/config.js';
import { readmeWithTable } from '../src/config-table.js';

const issuesOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('expected a ConfigError');
};

describe('loadConfig', () => {
  describe('BATON_ROUTING_FILE', () => {
    const files = (text: string) => ({ readText: () => text });
    it('when set, then the file is read and validated at start (examples/routing.json is a valid one)', () => {
      assert.equal(loadConfig({}).handoff.routing, undefined);
      const example = readFileSync(new URL('../../../examples/routing.json', import.meta.url), 'utf8');
      const routing = loadConfig({ BATON_ROUTING_FILE: 'examples/routing.json' }, files(example)).handoff.routing;
      assert.equal(routing?.routes.length, 7);
      assert.deepEqual(routing?.default?.queue, { name: 'General' });
    });

    it('when an entry is bad, then start-up stops naming the variable, the entry and its line', () => {
      let error: unknown;
      try {
        loadConfig({ BATON_ROUTING_FILE: 'routes.json' }, files('{\n  "routes": [\n    { "intent": "A", "queueName": "Q", "priority": 0 }\n  ]\n}'));
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.issues.map((i) => i.variable), ['BATON_ROUTING_FILE']);
      assert.match(error.message, /routes\.json: \/routes\/0\/priority \(line 3\)/);
    });

    it('when the file cannot be read, then start-up stops naming the variable', () => {
      let error: unknown;
      try {
        loadConfig({ BATON_ROUTING_FILE: 'missing.json' }, { readText: () => { throw Object.assign(new Error('nope'), { code: 'ENOENT' }); } });
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /BATON_ROUTING_FILE: cannot read missing\.json \(ENOENT\)/);
    });
  });

  it('when nothing is set, then it runs in sandbox mode with the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.genesys.mode, 'sandbox');
    assert.equal(config.deadlineMs, 25000);
    assert.equal(config.handoff.threshold, 0.7);
    assert.equal(config.handoff.defaultMode, 'flow');
    assert.equal(config.server.port, 3000);
    assert.equal(config.server.host, '127.0.0.1');
    assert.deepEqual(config.auth, {});
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.genesys));
  });

  it('when GENESYS_MAX_RETRY_AFTER_HOLD_MS is unset, set or out of range, then the hold cap is 60 s, the value, or refused by name', () => {
    assert.equal(loadConfig({}).genesys.maxRetryAfterHoldMs, 60_000);
    assert.equal(loadConfig({ GENESYS_MAX_RETRY_AFTER_HOLD_MS: '120000' }).genesys.maxRetryAfterHoldMs, 120_000);
    const error = issuesOf({ GENESYS_MAX_RETRY_AFTER_HOLD_MS: '86400000' });
    assert.deepEqual(error.issues.map((i) => i.variable), ['GENESYS_MAX_RETRY_AFTER_HOLD_MS']);
  });

  it('when the analytics and call-cap variables are unset or set, then the handoff gets 60 min, 2 pages, 20 calls, or the values', () => {
    const d = loadConfig({}).handoff;
    assert.deepEqual([d.botFlowLookbackMinutes, d.botFlowMaxPages, d.maxCallsPerHandoff], [60, 2, 20]);
    const c = loadConfig({ BATON_BOT_FLOW_LOOKBACK_MINUTES: '15', BATON_BOT_FLOW_MAX_PAGES: '1', BATON_MAX_CALLS_PER_HANDOFF: '12' }).handoff;
    assert.deepEqual([c.botFlowLookbackMinutes, c.botFlowMaxPages, c.maxCallsPerHandoff], [15, 1, 12]);
    assert.deepEqual(issuesOf({ BATON_BOT_FLOW_MAX_PAGES: '0' }).issues.map((i) => i.variable), ['BATON_BOT_FLOW_MAX_PAGES']);
  });

  it('when Genesys credentials and a region are set, then it targets that org and listens on all interfaces', () => {
    const config = loadConfig({
      GENESYS_REGION: 'eu_west_1',
      GENESYS_CLIENT_ID: 'id',
      GENESYS_CLIENT_SECRET: 'genesys-secret',
      GENESYS_QUEUE_ID: '11111111-2222-3333-4444-555555555555',
      BATON_THRESHOLD: '0.55',
      BATON_DEFAULT_MODE: 'api',
      BATON_DEADLINE_MS: '9000',
      BATON_SHUTDOWN_TIMEOUT_MS: '10000',
    });
    assert.equal(config.genesys.mode, 'org');
    assert.equal(config.genesys.region, 'eu_west_1');
    assert.equal(config.handoff.threshold, 0.55);
    assert.equal(config.handoff.defaultMode, 'api');
    assert.equal(config.handoff.defaultQueueId, '11111111-2222-3333-4444-555555555555');
    assert.equal(config.deadlineMs, 9000);
    assert.equal(config.server.host, '0.0.0.0');
  });

  it('when values are empty strings (NAME= in .env), then they count as unset', () => {
    const config = loadConfig({ GENESYS_CLIENT_ID: '', GENESYS_CLIENT_SECRET: '', BATON_THRESHOLD: '' });
    assert.equal(config.genesys.mode, 'sandbox');
    assert.equal(config.handoff.threshold, 0.7);
  });

  it('when a value is bad, then the error names the variable and what is expected', () => {
    const error = issuesOf({ BATON_THRESHOLD: 'high', BATON_DEADLINE_MS: '90000', BATON_DEFAULT_MODE: 'queue', PORT: '-1' });
    const variables = error.issues.map((i) => i.variable).sort();
    assert.deepEqual(variables, ['BATON_DEADLINE_MS', 'BATON_DEFAULT_MODE', 'BATON_THRESHOLD', 'PORT']);
    assert.match(error.message, /BATON_THRESHOLD: expected a number between 0 and 1/);
    assert.match(error.message, /BATON_DEADLINE_MS: expected a whole number between 500 and 58000/);
    assert.equal(error.code, 'configuration_invalid');
  });

  it("when BATON_WRITE_CONTEXT or BATON_CONTEXT_TRANSCRIPT is bad, then the error names it; unset, the bridge writes the context without the transcript", () => {
    const error = issuesOf({ BATON_WRITE_CONTEXT: 'agent', BATON_CONTEXT_TRANSCRIPT: 'sometimes' });
    assert.deepEqual(error.issues.map((i) => i.variable).sort(), ['BATON_CONTEXT_TRANSCRIPT', 'BATON_WRITE_CONTEXT']);
    assert.match(error.message, /BATON_WRITE_CONTEXT: expected bridge or flow/);
    const config = loadConfig({});
    assert.equal(config.handoff.writeContext, 'bridge');
    assert.equal(config.handoff.contextTranscript, false);
  });

  it('when one half of a credential pair is set, then the other half is named as missing', () => {
    assert.match(issuesOf({ GENESYS_CLIENT_ID: 'x', GENESYS_REGION: 'us_east_1' }).message, /GENESYS_CLIENT_SECRET: required with GENESYS_CLIENT_ID/);
    assert.match(issuesOf({ BATON_BASIC_USER: 'u' }).message, /BATON_BASIC_PASSWORD: required with BATON_BASIC_USER/);
    assert.match(issuesOf({ BATON_OAUTH_CLIENT_SECRET: 'a-long-enough-oauth-secret' }).message, /BATON_OAUTH_CLIENT_ID: required/);
  });

  it('when credentials are set without a region or base URL, or with an unknown region, then GENESYS_REGION is named', () => {
    assert.match(issuesOf({ GENESYS_CLIENT_ID: 'x', GENESYS_CLIENT_SECRET: 'y' }).message, /GENESYS_REGION: required/);
    assert.match(issuesOf({ GENESYS_CLIENT_ID: 'x', GENESYS_CLIENT_SECRET: 'y', GENESYS_REGION: 'mars_1' }).message, /GENESYS_REGION: unknown region "mars_1"/);
  });

  it('when an inbound secret is too short, then the message names it without echoing the value', () => {
    const error = issuesOf({ BATON_API_KEY: 'short-key-abc', BATON_BASIC_USER: 'u', BATON_BASIC_PASSWORD: 'pw-tiny' });
    assert.match(error.message, /BATON_API_KEY: expected at least 16 characters/);
    assert.match(error.message, /BATON_BASIC_PASSWORD: expected at least 12 characters/);
    assert.ok(!error.message.includes('short-key-abc') && !error.message.includes('pw-tiny'));
  });

  it('when an inbound secret is long enough but obviously weak, then start-up stops naming the variable and why, never the value', () => {
    const weak: Array<[string, RegExp]> = [
      ['aaaaaaaaaaaaaaaa', /a single repeated character/],
      ['0123456789abcdef', /consecutive or repeated characters/],
      ['abcdabcdabcdabcd', /a short pattern repeated/],
      ['<at least 16 characters>', /placeholder/],
      ['Password12345678', /well-known weak value/],
      ['changeme-changeme', /well-known weak value/],
      ['abababababababaX', /only 3 distinct characters/],
    ];
    for (const [value, why] of weak) {
      for (const variable of ['BATON_API_KEY', 'BATON_OAUTH_CLIENT_SECRET']) {
        const env: Record<string, string> = variable === 'BATON_API_KEY' ? { BATON_API_KEY: value } : { BATON_OAUTH_CLIENT_ID: 'client', BATON_OAUTH_CLIENT_SECRET: value };
        const error = issuesOf(env);
        assert.equal(error.issues[0]?.variable, variable, value);
        assert.match(error.issues[0]!.problem, why, value);
        assert.ok(!error.message.includes(value), 'the value is not echoed');
      }
    }
    assert.match(issuesOf({ BATON_BASIC_USER: 'u', BATON_BASIC_PASSWORD: 'zzzzzzzzzzzz' }).message, /BATON_BASIC_PASSWORD: too weak: a single repeated character/);
    // Random values, and the kind of phrases people pick with care, pass.
    for (const value of ['q7Vd-2xkR9pL_m4Tz8Wc', 'correct-horse-battery-staple', 'Xk3#pL9q!Wz2aaB7r']) assert.equal(loadConfig({ BATON_API_KEY: value }).auth.apiKey, value);
  });

  it('when BATON_TRUST_PROXY is set, then it takes a hop count or addresses/CIDRs, never "true"', () => {
    assert.equal(loadConfig({}).server.trustProxy, undefined);
    assert.equal(loadConfig({ BATON_TRUST_PROXY: '1' }).server.trustProxy, 1);
    assert.deepEqual(loadConfig({ BATON_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).server.trustProxy, ['loopback', '10.0.0.0/8', 'fd00::/8']);
    for (const bad of ['true', '0', '10.0.0.0/33', 'everyone', '1.2.3']) assert.match(issuesOf({ BATON_TRUST_PROXY: bad }).message, /BATON_TRUST_PROXY: expected a hop count/, bad);
  });

  it('the slow-client and throttling settings have their documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.server.maxConnections, 4096);
    assert.equal(config.server.requestTimeoutMs, config.deadlineMs + 2000);
    assert.deepEqual(config.authThrottle, { maxFailures: 20, windowMs: 60_000 });
    assert.deepEqual(loadConfig({ BATON_AUTH_FAILURE_LIMIT: '0', BATON_AUTH_FAILURE_WINDOW_SECONDS: '5' }).authThrottle, { maxFailures: 0, windowMs: 5000 });
  });

  it('when GENESYS_BASE_URL is not an http(s) URL, then it is refused', () => {
    assert.match(issuesOf({ GENESYS_BASE_URL: 'ftp://x', GENESYS_CLIENT_ID: 'a', GENESYS_CLIENT_SECRET: 'b' }).message, /GENESYS_BASE_URL: expected an http\(s\) URL/);
  });

  it('when the shutdown timeout is shorter than the deadline, then it is refused (in-flight handoffs could be cut)', () => {
    assert.match(issuesOf({ BATON_DEADLINE_MS: '20000', BATON_SHUTDOWN_TIMEOUT_MS: '5000' }).message, /BATON_SHUTDOWN_TIMEOUT_MS/);
  });

  it('configSecrets lists every configured secret, for redaction', () => {
    const config = loadConfig({
      GENESYS_BASE_URL: 'http://127.0.0.1:9',
      GENESYS_CLIENT_ID: 'id',
      GENESYS_CLIENT_SECRET: 'genesys-secret',
      BATON_API_KEY: 'an-api-key-of-16-chars',
      BATON_BASIC_USER: 'user',
      BATON_BASIC_PASSWORD: 'basic-password-long',
      BATON_OAUTH_CLIENT_ID: 'oc',
      BATON_OAUTH_CLIENT_SECRET: 'oauth-secret-long-enough',
      REDIS_URL: 'redis://:redis%2Fpass@127.0.0.1:6379/0',
    });
    assert.deepEqual(
      new Set(configSecrets(config)),
      new Set(['genesys-secret', 'an-api-key-of-16-chars', 'basic-password-long', 'oauth-secret-long-enough', 'redis/pass']),
    );
  });

  it('every variable is in the table once, with its documentation', () => {
    const names = configVariables.map((v) => v.name);
    assert.equal(new Set(names).size, names.length, 'no variable twice');
    for (const v of configVariables) assert.ok(v.description.length > 10, v.name);
  });

  it('when a variable is unset, then its default is the one core uses (one source for each default)', () => {
    const config = loadConfig({});
    assert.equal(config.handoff.threshold, defaultHandoffConfig.threshold);
    assert.equal(config.handoff.maskTranscript, defaultHandoffConfig.transcript.mask);
    assert.equal(config.handoff.defaultMode, defaultHandoffConfig.defaultMode);
    assert.equal(config.handoff.botFlowLookbackMinutes, defaultHandoffConfig.botFlowLookbackMinutes);
    assert.equal(config.handoff.botFlowMaxPages, defaultHandoffConfig.botFlowMaxPages);
    assert.equal(config.handoff.maxCallsPerHandoff, defaultHandoffConfig.maxCallsPerHandoff);
    assert.equal(config.genesys.requestsPerMinute, DEFAULT_REQUESTS_PER_MINUTE);
    assert.equal(config.genesys.maxRetryAfterHoldMs, DEFAULT_MAX_HOLD_MS);
    assert.equal(config.redisKeyPrefix, 'baton:');
  });

  it('when only the OAuth token lifetime is set, then OAuth stays off (the lifetime alone is no credential)', () => {
    assert.deepEqual(loadConfig({ BATON_OAUTH_TOKEN_TTL_SECONDS: '600' }).auth, {});
    const secret = 'oauth-secret-long-enough'; // a test value, not a credential
    const config = loadConfig({ BATON_OAUTH_CLIENT_ID: 'oc', BATON_OAUTH_CLIENT_SECRET: secret, BATON_OAUTH_TOKEN_TTL_SECONDS: '600' });
    assert.deepEqual(config.auth.oauth, { clientId: 'oc', clientSecret: secret, tokenTtlSeconds: 600 });
  });
});

describe('README', () => {
  it('the configuration table is the one generated from the config table (pnpm --filter @baton/bridge docs:config)', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const table = configReadmeTable();
    for (const v of configVariables) assert.ok(table.includes(`| \`${v.name}\` |`), v.name);
    assert.ok(
      readme === readmeWithTable(readme, table),
      'packages/bridge/README.md: the configuration table is stale; run pnpm --filter @baton/bridge docs:config',
    );
  });
});
