import { createHash } from 'node:crypto';

/**
 * Which Genesys OAuth client a token and its rate budget belong to: the login host it logs in at
 * and its client id. Two clients (or one client id in two orgs' regions) have different tokens and
 * different per-token budgets, so they must never share a key.
 */
export interface GenesysClientIdentity {
  /** The login base URL, e.g. `https://login.mypurecloud.com` (a sandbox's own URL). */
  loginBaseUrl: string;
  clientId: string;
}

/**
 * The key prefix of one Genesys client's token, refresh lock and pacer, inside a deployment's
 * prefix: `<prefix>genesys:<hash>:`. Scoping by client keeps two bridges with different OAuth
 * clients on one Redis and prefix from sending each other's token; replicas of one client get the
 * same hash and still share one token and one budget. The hash (SHA-256 of host and client id,
 * 16 hex digits) keeps the client id out of key listings; the secret is never part of it.
 */
export function genesysClientKeyPrefix(keyPrefix: string, client: GenesysClientIdentity): string {
  // URL normalises case and drops a default port, so `https://LOGIN.x.com:443` and `https://login.x.com` agree.
  const host = new URL(client.loginBaseUrl).host;
  const hash = createHash('sha256').update(`${host}\n${client.clientId}`).digest('hex').slice(0, 16);
  return `${keyPrefix}genesys:${hash}:`;
}
