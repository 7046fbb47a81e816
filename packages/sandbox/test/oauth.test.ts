import assert from 'node:assert/strict';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fetchToken, manualClock, rawCall } from './helpers.js';

describe('POST /oauth/token', () => {
  let sb: Sandbox;
  const clock = manualClock();
  before(async () => {
    sb = await createSandbox({ conversations: 0, tokenLifetimeSeconds: 600, now: clock.now });
  });
  after(() => sb.close());

  it('when the client authenticates by HTTP Basic with grant_type=client_credentials, then it returns a bearer token', async () => {
    const res = await fetchToken(sb.url, sb.clientId, sb.clientSecret);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(res.body.token_type.toLowerCase(), 'bearer');
    assert.equal(res.body.expires_in, 600);
    assert.ok(res.headers.get('inin-correlation-id'));
    const use = await rawCall(sb.url, 'GET', `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}`, { token: res.body.access_token });
    assert.equal(use.status, 200);
  });

  it('when the secret is wrong, then it answers 401 invalid_client in the OAuth error shape', async () => {
    const res = await fetchToken(sb.url, sb.clientId, 'wrong');
    assert.equal(res.status, 401);
    assert.equal((res.body as unknown as { error: string }).error, 'invalid_client');
    assert.ok((res.body as unknown as { error_description: string }).error_description);
    assert.ok(!res.text.includes(sb.clientSecret));
  });

  it('when the client is unknown, then it answers 401 invalid_client', async () => {
    const res = await fetchToken(sb.url, 'no-such-client', 'x');
    assert.equal(res.status, 401);
    assert.equal((res.body as unknown as { error: string }).error, 'invalid_client');
  });

  it('when the grant type is not client_credentials, then it answers 400 unsupported_grant_type', async () => {
    const res = await fetch(`${sb.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=a&password=b',
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'unsupported_grant_type');
  });

  it('when there is no Basic header (credentials in the body), then it answers 401', async () => {
    const res = await fetch(`${sb.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${sb.clientId}&client_secret=${sb.clientSecret}`,
    });
    assert.equal(res.status, 401);
  });

  it('when the token lifetime has passed (clock seam), then the token gets 401 bad.credentials', async () => {
    const t = await fetchToken(sb.url, sb.clientId, sb.clientSecret);
    const path = `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}`;
    clock.advance(599_000);
    assert.equal((await rawCall(sb.url, 'GET', path, { token: t.body.access_token })).status, 200);
    clock.advance(1_000);
    const res = await rawCall<{ code: string; status: number }>(sb.url, 'GET', path, { token: t.body.access_token });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'bad.credentials');
  });

  it('when tokens are revoked for a client, then only that client\'s tokens get 401', async () => {
    const other = sb.addClient({ permissions: '*' });
    const a = await fetchToken(sb.url, sb.clientId, sb.clientSecret);
    const b = await fetchToken(sb.url, other.clientId, other.clientSecret);
    assert.equal(sb.revokeTokens({ clientId: other.clientId }), 1);
    const path = `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}`;
    assert.equal((await rawCall(sb.url, 'GET', path, { token: a.body.access_token })).status, 200);
    assert.equal((await rawCall(sb.url, 'GET', path, { token: b.body.access_token })).status, 401);
  });
});

describe('separate login and API hosts (separateLoginHost)', () => {
  it('when set, then /oauth/token answers only on loginUrl and /api/v2 only on url, each refusing the other with a 404 ErrorBody', async () => {
    const sb = await createSandbox({ conversations: 0, separateLoginHost: true });
    try {
      assert.notEqual(sb.loginUrl, sb.url);
      const path = `/api/v2/conversations/messages/${sb.scenarios.lowConfidence}`;
      const onApi = await fetchToken(sb.url, sb.clientId, sb.clientSecret);
      assert.equal(onApi.status, 404);
      assert.equal((onApi.body as unknown as { code: string }).code, 'not.found');
      const token = await fetchToken(sb.loginUrl, sb.clientId, sb.clientSecret);
      assert.equal(token.status, 200);
      assert.equal((await rawCall(sb.url, 'GET', path, { token: token.body.access_token })).status, 200);
      assert.equal((await rawCall(sb.loginUrl, 'GET', path, { token: token.body.access_token })).status, 404);
    } finally {
      await sb.close();
    }
  });

  it('when not set, then one URL serves both (loginUrl is url)', async () => {
    const sb = await createSandbox({ conversations: 0 });
    try {
      assert.equal(sb.loginUrl, sb.url);
      assert.equal((await fetchToken(sb.url, sb.clientId, sb.clientSecret)).status, 200);
    } finally {
      await sb.close();
    }
  });
});
