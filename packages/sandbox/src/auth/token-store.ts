import { createHash, randomBytes } from 'node:crypto';

export interface TokenRecord {
  readonly accessToken: string;
  readonly clientId: string;
  readonly expiresAt: number;
  revoked: boolean;
}

export type TokenCheck =
  | { ok: true; token: TokenRecord }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked'; clientId?: string };

/**
 * Issued access tokens. Tokens are opaque random strings, as Genesys's are to a client
 * (docs/genesys-facts.md#oauth-client-credentials: the access token is opaque).
 */
export interface TokenStore {
  issue(clientId: string, lifetimeSeconds: number): TokenRecord;
  check(accessToken: string): TokenCheck;
  /** The client a token was issued to, valid or not (fault rules match on it). */
  clientOf(accessToken: string): string | undefined;
  /** Revokes matching tokens (all when no filter); returns how many were live and got revoked. */
  revoke(filter?: { clientId?: string; accessToken?: string }): number;
}

/** A short, non-secret fingerprint of a token for counters and logs (never the token). */
export function tokenFingerprint(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex').slice(0, 12);
}

export function createTokenStore(now: () => number): TokenStore {
  const tokens = new Map<string, TokenRecord>();
  return {
    issue(clientId, lifetimeSeconds) {
      const record: TokenRecord = {
        accessToken: randomBytes(32).toString('base64url'),
        clientId,
        expiresAt: now() + lifetimeSeconds * 1000,
        revoked: false,
      };
      tokens.set(record.accessToken, record);
      return record;
    },
    check(accessToken) {
      const token = tokens.get(accessToken);
      if (!token) return { ok: false, reason: 'unknown' };
      if (token.revoked) return { ok: false, reason: 'revoked', clientId: token.clientId };
      if (now() >= token.expiresAt) return { ok: false, reason: 'expired', clientId: token.clientId };
      return { ok: true, token };
    },
    clientOf(accessToken) {
      return tokens.get(accessToken)?.clientId;
    },
    revoke(filter = {}) {
      let count = 0;
      for (const token of tokens.values()) {
        if (token.revoked) continue;
        if (filter.clientId !== undefined && token.clientId !== filter.clientId) continue;
        if (filter.accessToken !== undefined && token.accessToken !== filter.accessToken) continue;
        token.revoked = true;
        count += 1;
      }
      return count;
    },
  };
}
