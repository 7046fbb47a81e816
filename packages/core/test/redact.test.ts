import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { isSecretKey, redact, redactText, REDACTED } from '../src/redact.js';

describe('redact', () => {
  it('replaces values of secret-named keys at any depth, in any spelling, without touching the input', () => {
    const input = {
      headers: {
        Authorization: 'Bearer abc.def',
        'x-api-key': 'k1',
        Cookie: 'sid=1',
        'Content-Type': 'application/json',
      },
      body: {
        client_secret: 's3',
        clientSecret: 's4',
        access_token: 't',
        apiKey: 'k2',
        password: 'p',
        token: 't2',
        nested: [{ refresh_token: 'r' }],
      },
      tokenRequests: 3,
      keep: 'visible',
    };
    const copy = structuredClone(input);
    const out = redact(input) as typeof input;
    assert.deepEqual(input, copy, 'input not mutated');
    assert.equal(out.headers.Authorization, REDACTED);
    assert.equal(out.headers['x-api-key'], REDACTED);
    assert.equal(out.headers.Cookie, REDACTED);
    assert.equal(out.headers['Content-Type'], 'application/json');
    for (const key of [
      'client_secret',
      'clientSecret',
      'access_token',
      'apiKey',
      'password',
      'token',
    ] as const) {
      assert.equal(out.body[key], REDACTED, key);
    }
    assert.equal(out.body.nested[0]?.refresh_token, REDACTED);
    assert.equal(out.tokenRequests, 3);
    assert.equal(out.keep, 'visible');
  });

  it('replaces every occurrence of the given secrets inside strings, keys and errors', () => {
    const secret = 'Sup3r-Secret!';
    const error = Object.assign(new Error(`login failed for ${secret}`), {
      code: 'genesys_login_failed',
      detail: `x${secret}y`,
    });
    const out = redact({ message: `a ${secret} b ${secret}`, list: [secret], error }, { secrets: [secret] }) as Record<
      string,
      unknown
    >;
    const text = JSON.stringify(out);
    assert.ok(!text.includes(secret), text);
    assert.equal(out['message'], `a ${REDACTED} b ${REDACTED}`);
    const err = out['error'] as Record<string, unknown>;
    assert.equal(err['message'], `login failed for ${REDACTED}`);
    assert.equal(err['code'], 'genesys_login_failed');
    assert.equal(err['name'], 'Error');
  });

  it('redactText hides auth headers and secret query parameters', () => {
    assert.equal(redactText('Authorization: Bearer eyJhbGciOi.x-y_z'), `Authorization: Bearer ${REDACTED}`);
    assert.equal(redactText('Basic Y2xpZW50OnNlY3JldA=='), `Basic ${REDACTED}`);
    assert.equal(redactText('/x?access_token=abc&b=1'), `/x?access_token=${REDACTED}&b=1`);
    assert.equal(
      redactText('grant_type=client_credentials&client_secret=zzz'),
      `grant_type=client_credentials&client_secret=${REDACTED}`,
    );
    assert.equal(redactText('nothing here', { secrets: [''] }), 'nothing here');
  });

  it('when the secrets change between calls, then the new ones are redacted (the compiled pattern is not stale)', () => {
    assert.equal(redactText('key one-secret', { secrets: ['one-secret'] }), `key ${REDACTED}`);
    assert.equal(redactText('key two-secret and one-secret', { secrets: ['two-secret'] }), `key ${REDACTED} and one-secret`);
    assert.deepEqual(redact({ a: 'x one-secret', b: 'two-secret' }, { secrets: ['one-secret', 'two-secret'] }), { a: `x ${REDACTED}`, b: REDACTED });
    assert.equal(redactText('key one-secret'), 'key one-secret');
  });

  it('a secret that contains another is replaced whole, whatever order they come in', () => {
    assert.equal(redactText('x abc-long y abc z', { secrets: ['abc', 'abc-long'] }), `x ${REDACTED} y ${REDACTED} z`);
    assert.equal(redactText('x abc-long y', { secrets: ['abc-long', 'abc'] }), `x ${REDACTED} y`);
  });

  it('survives cycles and keeps shared (non-cyclic) references', () => {
    const shared = { a: 1 };
    const node: Record<string, unknown> = { shared, again: shared };
    node['self'] = node;
    const out = redact(node) as Record<string, unknown>;
    assert.equal(out['self'], '[Circular]');
    assert.deepEqual(out['again'], { a: 1 });
  });

  it('a key is secret only when it names a secret whole: tokenRequests, token_type and monkey are kept', () => {
    const secret = [
      'authorization', 'Authorization', 'Proxy-Authorization', 'access_token', 'accessToken', 'refresh_token',
      'id_token', 'token', 'Token', 'client_secret', 'clientSecret', 'Client-Secret', 'secret', 'password',
      'passwd', 'apiKey', 'api_key', 'x-api-key', 'X-API-Key', 'cookie', 'Set-Cookie',
    ];
    const notSecret = [
      'tokenRequests', 'token_type', 'tokenType', 'expires_in', 'monkey', 'key', 'keys', 'keyboard', 'secretary',
      'passwordPolicy', 'credentialType', 'userName', 'clientId', 'Content-Type', 'tokens', 'apiKeyId',
    ];
    for (const key of secret) assert.equal(isSecretKey(key), true, key);
    for (const key of notSecret) assert.equal(isSecretKey(key), false, key);
    const out = redact(Object.fromEntries([...secret, ...notSecret].map((k) => [k, 'v'])), { marker: '*****' }) as Record<string, unknown>;
    for (const key of secret) assert.equal(out[key], '*****', key);
    for (const key of notSecret) assert.equal(out[key], 'v', key);
  });

  it('with a marker, every kind of redaction uses it (Genesys shows ***** in test output)', () => {
    const out = redact({ Authorization: 'Bearer abc', note: 'Bearer abc.def and my-long-secret', url: '/x?token=abc' }, { secrets: ['my-long-secret'], marker: '*****' });
    assert.deepEqual(out, { Authorization: '*****', note: 'Bearer ***** and *****', url: '/x?token=*****' });
    assert.equal(redactText('id my-long-secret', { secrets: ['my-long-secret'], marker: '#' }), 'id #');
  });

  it('given secrets too short to be secrets (under 3 characters) are not replaced in ordinary text', () => {
    assert.equal(redactText('a b ab abc', { secrets: ['a', 'ab'] }), 'a b ab abc');
    assert.equal(redactText('a b ab abc', { secrets: ['abc'] }), `a b ab ${REDACTED}`);
  });
});
