import assert from 'node:assert/strict';
import request from 'supertest';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('structured logs', () => {
  let h: Harness;
  const issuedTokens: string[] = [];

  before(async () => {
    h = await startHarness();
    const sc = h.sandbox.scenarios;
    const tokenRes = await request(h.url)
      .post('/oauth/token')
      .set('Authorization', basic(CREDS.oauthClientId, CREDS.oauthClientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    issuedTokens.push(tokenRes.body.access_token as string);

    // A mix of everything that could leak: every credential type, right and wrong, upstream
    // failures, a token refresh, validation errors, a body quoting a secret.
    const genesys = { 'ININ-Correlation-Id': 'corr-1234', 'ININ-Organization-Id': 'org-5678' };
    await request(h.url).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).set(genesys).send({ conversationId: sc.lowConfidence });
    await request(h.url).post('/v1/actions/transcript').set('Authorization', basic(CREDS.basicUser, CREDS.basicPassword)).send({ conversationId: sc.withPii });
    await request(h.url).post('/v1/actions/assess-intent').set('Authorization', `Bearer ${issuedTokens[0]!}`).send({ conversationId: sc.highConfidence });
    await request(h.url).post('/v1/actions/assess-intent').set('X-API-Key', `${CREDS.apiKey}-wrong`).send({ conversationId: sc.highConfidence });
    await request(h.url).post('/oauth/token').set('Authorization', basic(CREDS.oauthClientId, `${CREDS.oauthClientSecret}x`)).type('form').send({ grant_type: 'client_credentials' });
    await request(h.url).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).send({ conversationId: 'nope', intent: CREDS.apiKey, [CREDS.basicPassword]: 1 });
    h.sandbox.revokeTokens();
    h.sandbox.faults.add({ route: 'getConversationsMessage', kind: 'status', status: 500, times: 1 });
    await request(h.url).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).set(genesys).send({ conversationId: sc.noIntent });
    await request(h.url).get('/readyz');
  });
  after(() => h.close());

  it('writes one JSON line per request with action, outcome, duration and the Genesys correlation headers', () => {
    const line = h.logs.lines().find((l) => l.msg === 'request' && l.action === 'handoff' && l.outcome === 'ready_for_transfer');
    assert.ok(line, h.logs.text());
    assert.equal(line.correlationId, 'corr-1234');
    assert.equal(line.organizationId, 'org-5678');
    assert.equal(typeof line.durationMs, 'number');
    assert.equal(line.status, 200);
    assert.equal(typeof line.handoffId, 'string');
  });

  it('records the Genesys contextId of a failed upstream call', () => {
    const line = h.logs.lines().find((l) => l.msg === 'request' && l.conversationId === h.sandbox.scenarios.noIntent);
    assert.ok(line);
    assert.ok(Array.isArray(line.failedContextIds) || typeof line.contextId === 'string', JSON.stringify(line));
  });

  it('never contains a secret: Genesys client secret, inbound password, API key, OAuth secret, issued bearer tokens', () => {
    const text = h.logs.text();
    assert.ok(text.length > 1000, 'the scenario produced logs');
    const secrets = [...h.secrets(), ...issuedTokens, h.sandbox.clientSecret];
    assert.ok(secrets.includes(CREDS.apiKey) && secrets.includes(CREDS.basicPassword) && secrets.includes(CREDS.oauthClientSecret));
    for (const secret of secrets) assert.ok(!text.includes(secret), `a secret of length ${secret.length} was logged`);
    // The request naming a field after the password was logged, redacted (so redaction ran).
    assert.ok(text.includes('[REDACTED]'));
    // Nor any Authorization header value or Genesys access token.
    assert.doesNotMatch(text, /Bearer [A-Za-z0-9]/);
    assert.doesNotMatch(text, /Basic [A-Za-z0-9]/);
    assert.ok(!text.includes(Buffer.from(`${CREDS.basicUser}:${CREDS.basicPassword}`).toString('base64')));
  });
});
