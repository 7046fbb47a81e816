import assert from 'node:assert/strict';
import { createBearerTokenIssuer } from '../src/auth/bearer-token.js';
import { parseBasicAuthorization } from '../src/auth/basic-auth.js';

describe('bearer tokens (User Defined (OAuth))', () => {
  const base = { clientId: 'client-a', clientSecret: 'secret-a-0123456789', ttlSeconds: 600 };

  it('when a token is issued, then it verifies until it expires (clock seam, no sleeping)', () => {
    let now = 1_700_000_000_000;
    const issuer = createBearerTokenIssuer({ ...base, now: () => now });
    const token = issuer.issue();
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.expires_in, 600);
    assert.equal(issuer.verify(token.access_token), true);
    now += 599_000;
    assert.equal(issuer.verify(token.access_token), true);
    now += 1_000;
    assert.equal(issuer.verify(token.access_token), false);
  });

  it('when another replica has the same configuration, then it accepts the token (stateless)', () => {
    const a = createBearerTokenIssuer(base);
    const b = createBearerTokenIssuer(base);
    assert.equal(b.verify(a.issue().access_token), true);
  });

  it('when the client secret was rotated, then old tokens are refused', () => {
    const token = createBearerTokenIssuer(base).issue().access_token;
    assert.equal(createBearerTokenIssuer({ ...base, clientSecret: 'rotated-secret-0123456' }).verify(token), false);
    assert.equal(createBearerTokenIssuer({ ...base, clientId: 'client-b' }).verify(token), false);
  });

  it('when a token is tampered with (payload, signature, format), then it is refused without throwing', () => {
    const issuer = createBearerTokenIssuer(base);
    const [prefix, payload, sig] = issuer.issue().access_token.split('.') as [string, string, string];
    const longer = Buffer.from(JSON.stringify({ sub: 'client-a', iat: 0, exp: 9_999_999_999 })).toString('base64url');
    for (const bad of [`${prefix}.${longer}.${sig}`, `${prefix}.${payload}.${sig.slice(0, -2)}AA`, `${prefix}.${payload}`, '', 'a.b.c', `x${prefix}.${payload}.${sig}`]) {
      assert.equal(issuer.verify(bad), false, bad);
    }
  });

  it('does not contain the client secret', () => {
    const token = createBearerTokenIssuer(base).issue().access_token;
    const decoded = Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8');
    assert.ok(!token.includes(base.clientSecret) && !decoded.includes(base.clientSecret));
  });
});

describe('parseBasicAuthorization', () => {
  it('parses user and password (the password may contain ":")', () => {
    const header = `Basic ${Buffer.from('user:pa:ss').toString('base64')}`;
    assert.deepEqual(parseBasicAuthorization(header), { user: 'user', password: 'pa:ss' });
  });
  it('returns undefined for anything else', () => {
    for (const h of [undefined, '', 'Bearer abc', 'Basic', `Basic ${Buffer.from('nocolon').toString('base64')}`, 'Basic !!!']) {
      assert.equal(parseBasicAuthorization(h), undefined, String(h));
    }
  });
});
