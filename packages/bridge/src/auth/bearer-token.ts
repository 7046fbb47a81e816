import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Stateless bearer tokens for the User Defined (OAuth) credential type: the integration's custom
 * auth action calls `POST /oauth/token`, and custom actions send `Authorization: Bearer <token>`.
 *
 * Several replicas run behind a load balancer and any of them may receive the token, so a token
 * carries its own expiry and an HMAC-SHA256 signature under a key derived (HKDF) from the configured
 * client id and secret: every replica with the same configuration verifies every token, with no
 * shared store. Rotating the client secret revokes all tokens.
 *
 * Format: `btn1.<base64url(JSON {sub, iat, exp, jti})>.<base64url(HMAC)>`.
 */
export interface TokenIssuerOptions {
  clientId: string;
  clientSecret: string;
  ttlSeconds: number;
  /** Clock seam (epoch ms). */
  now?: () => number;
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface BearerTokenIssuer {
  issue(): IssuedToken;
  /** True only for an unexpired token signed for this client id. Never throws. */
  verify(token: string): boolean;
}

const PREFIX = 'btn1';

export function createBearerTokenIssuer(options: TokenIssuerOptions): BearerTokenIssuer {
  const now = options.now ?? Date.now;
  const key = Buffer.from(
    hkdfSync('sha256', Buffer.from(options.clientSecret, 'utf8'), Buffer.from('baton-bridge/oauth-token/v1', 'utf8'), Buffer.from(options.clientId, 'utf8'), 32),
  );
  const sign = (data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

  return {
    issue() {
      const iat = Math.floor(now() / 1000);
      const payload = { sub: options.clientId, iat, exp: iat + options.ttlSeconds, jti: randomBytes(9).toString('base64url') };
      const body = `${PREFIX}.${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}`;
      return { access_token: `${body}.${sign(body).toString('base64url')}`, token_type: 'Bearer', expires_in: options.ttlSeconds };
    },
    verify(token) {
      const parts = token.split('.');
      if (parts.length !== 3 || parts[0] !== PREFIX || !parts[1] || !parts[2]) return false;
      const body = `${parts[0]}.${parts[1]}`;
      const expected = sign(body);
      const presented = Buffer.from(parts[2], 'base64url');
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return false;
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      } catch {
        return false;
      }
      if (!payload || typeof payload !== 'object') return false;
      const { sub, exp } = payload as { sub?: unknown; exp?: unknown };
      return sub === options.clientId && typeof exp === 'number' && exp * 1000 > now();
    },
  };
}
