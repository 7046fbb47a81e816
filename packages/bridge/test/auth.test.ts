import { createShiftedClock } from '@baton/core/testing';
import assert from 'node:assert/strict';
import request from 'supertest';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('inbound authentication', () => {
  let h: Harness;
  let body: { conversationId: string };
  before(async () => {
    h = await startHarness();
    body = { conversationId: h.sandbox.scenarios.highConfidence };
  });
  after(() => h.close());

  const action = () => request(h.url).post('/v1/actions/assess-intent').send(body);
  const token = async () => {
    const res = await request(h.url)
      .post('/oauth/token')
      .set('Authorization', basic(CREDS.oauthClientId, CREDS.oauthClientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { access_token: string; token_type: string; expires_in: number };
  };

  describe('Basic Auth credential type', () => {
    it('when user and password are right, then the action runs', async () => {
      const res = await action().set('Authorization', basic(CREDS.basicUser, CREDS.basicPassword));
      assert.equal(res.status, 200);
    });
    it('when the password or the user is wrong, then 401', async () => {
      assert.equal((await action().set('Authorization', basic(CREDS.basicUser, 'wrong-password-xyz'))).status, 401);
      assert.equal((await action().set('Authorization', basic('someone-else', CREDS.basicPassword))).status, 401);
    });
  });

  describe('User Defined credential type (X-API-Key)', () => {
    it('when the key is right, then the action runs', async () => {
      assert.equal((await action().set('X-API-Key', CREDS.apiKey)).status, 200);
    });
    it('when the key is wrong, a prefix of the right one, or empty, then 401', async () => {
      for (const key of ['wrong-key-wrong-key', CREDS.apiKey.slice(0, -1), `${CREDS.apiKey}x`, '']) {
        assert.equal((await action().set('X-API-Key', key)).status, 401, key);
      }
    });
  });

  describe('User Defined (OAuth) credential type', () => {
    it('when the custom auth action posts client credentials (Basic, form body), then a Bearer token is issued', async () => {
      const t = await token();
      assert.equal(t.token_type, 'Bearer');
      assert.equal(t.expires_in, h.config.auth.oauth!.tokenTtlSeconds);
      assert.equal((await action().set('Authorization', `Bearer ${t.access_token}`)).status, 200);
    });

    it('when the client credentials come in a JSON body, then a token is issued too', async () => {
      const res = await request(h.url)
        .post('/oauth/token')
        .send({ grant_type: 'client_credentials', client_id: CREDS.oauthClientId, client_secret: CREDS.oauthClientSecret });
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    it('when the client secret is wrong, then 401 invalid_client (RFC 6749)', async () => {
      const res = await request(h.url)
        .post('/oauth/token')
        .set('Authorization', basic(CREDS.oauthClientId, 'not-the-secret-0000'))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'invalid_client');
      assert.ok(!JSON.stringify(res.body).includes('access_token'));
    });

    it('when the grant type is not client_credentials, then 400 unsupported_grant_type', async () => {
      const res = await request(h.url)
        .post('/oauth/token')
        .set('Authorization', basic(CREDS.oauthClientId, CREDS.oauthClientSecret))
        .type('form')
        .send({ grant_type: 'password' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'unsupported_grant_type');
    });

    it('when the bearer token is forged or altered, then 401', async () => {
      const t = await token();
      const altered = `${t.access_token.slice(0, -3)}${t.access_token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
      assert.equal((await action().set('Authorization', `Bearer ${altered}`)).status, 401);
      assert.equal((await action().set('Authorization', 'Bearer btn1.e30.AAAA')).status, 401);
    });

    it('when another replica with the same configuration receives the token, then it accepts it', async () => {
      const t = await token();
      const other = await startHarness();
      try {
        const res = await request(other.url).post('/v1/actions/assess-intent').set('Authorization', `Bearer ${t.access_token}`).send(body);
        assert.equal(res.status, 200);
      } finally {
        await other.close();
      }
    });
  });

  it('when the token has expired, then 401 (clock seam)', async () => {
    const clock = createShiftedClock();
    const timed = await startHarness({ clock, env: { BATON_OAUTH_TOKEN_TTL_SECONDS: '60' } });
    try {
      const res = await request(timed.url)
        .post('/oauth/token')
        .set('Authorization', basic(CREDS.oauthClientId, CREDS.oauthClientSecret))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      const bearer = `Bearer ${res.body.access_token as string}`;
      const call = () => request(timed.url).post('/v1/actions/assess-intent').set('Authorization', bearer).send({ conversationId: timed.sandbox.scenarios.highConfidence, intent: 'x', confidence: 0.9 });
      assert.equal((await call()).status, 200);
      clock.advance(61_000);
      assert.equal((await call()).status, 401);
    } finally {
      await timed.close();
    }
  });

  it('every failure is the same 401 body, whatever was tried (reveals nothing)', async () => {
    const attempts = [
      action(),
      action().set('X-API-Key', 'wrong-key-wrong-key'),
      action().set('Authorization', basic(CREDS.basicUser, 'nope-nope-nope')),
      action().set('Authorization', 'Bearer nope'),
      action().set('Authorization', basic(CREDS.oauthClientId, CREDS.oauthClientSecret)),
    ];
    const bodies = new Set<string>();
    for (const attempt of attempts) {
      const res = await attempt;
      assert.equal(res.status, 401);
      assert.equal(res.headers['www-authenticate'], undefined);
      bodies.add(JSON.stringify(res.body));
    }
    assert.equal(bodies.size, 1);
    assert.deepEqual(JSON.parse([...bodies][0]!), { code: 'unauthorized', message: 'Authentication required: the credentials are missing, wrong or expired.' });
  });

  it('/healthz and /readyz are open; /metrics and /openapi.json need credentials', async () => {
    assert.equal((await request(h.url).get('/healthz')).status, 200);
    assert.equal((await request(h.url).get('/readyz')).status, 200);
    assert.equal((await request(h.url).get('/metrics')).status, 401);
    assert.equal((await request(h.url).get('/openapi.json')).status, 401);
    assert.equal((await request(h.url).get('/metrics').set('X-API-Key', CREDS.apiKey)).status, 200);
    assert.equal((await request(h.url).get('/openapi.json').set('Authorization', basic(CREDS.basicUser, CREDS.basicPassword))).status, 200);
  });

  it('when only one credential type is configured, then the others are refused', async () => {
    const only = await startHarness({ env: { BATON_BASIC_USER: '', BATON_BASIC_PASSWORD: '', BATON_OAUTH_CLIENT_ID: '', BATON_OAUTH_CLIENT_SECRET: '' } });
    try {
      const send = () => request(only.url).post('/v1/actions/assess-intent').send(body);
      assert.equal((await send().set('X-API-Key', CREDS.apiKey)).status, 200);
      assert.equal((await send().set('Authorization', basic(CREDS.basicUser, CREDS.basicPassword))).status, 401);
      assert.equal((await request(only.url).post('/oauth/token').type('form').send({ grant_type: 'client_credentials' })).status, 401);
    } finally {
      await only.close();
    }
  });
});
