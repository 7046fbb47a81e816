import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface OAuthClientRecord {
  readonly clientId: string;
  /** Never logged, never put in errors or counters. */
  readonly clientSecret: string;
  /** `'*'` grants every permission (a role with all of them). */
  readonly permissions: ReadonlySet<string> | '*';
  readonly rateLimitPerMinute: number | undefined;
  /**
   * The divisions its role is granted in (`'*'`: all of them). A client-credentials client's role is
   * granted per division (docs/genesys-facts.md#divisions).
   */
  readonly divisions: ReadonlySet<string> | '*';
}

export interface AddClientOptions {
  clientId?: string;
  clientSecret?: string;
  permissions: string[] | '*';
  rateLimitPerMinute?: number;
  /** Division ids the client's role is granted in; default `'*'` (every division). */
  divisions?: string[] | '*';
}

/**
 * The org's OAuth clients. Genesys client-credentials clients carry roles, not scopes (docs/genesys-facts.md#permissions),
 * so a client here is simply a set of permissions.
 */
export interface ClientRegistry {
  add(opts: AddClientOptions, newId: () => string): OAuthClientRecord;
  get(clientId: string): OAuthClientRecord | undefined;
  /** The client when id and secret match, else undefined (constant-time secret comparison). */
  authenticate(clientId: string, clientSecret: string): OAuthClientRecord | undefined;
}

export function createClientRegistry(): ClientRegistry {
  const clients = new Map<string, OAuthClientRecord>();
  return {
    add(opts, newId) {
      const record: OAuthClientRecord = {
        clientId: opts.clientId ?? newId(),
        clientSecret: opts.clientSecret ?? randomBytes(24).toString('base64url'),
        permissions: opts.permissions === '*' ? '*' : new Set(opts.permissions),
        rateLimitPerMinute: opts.rateLimitPerMinute,
        divisions: opts.divisions === undefined || opts.divisions === '*' ? '*' : new Set(opts.divisions),
      };
      clients.set(record.clientId, record);
      return record;
    },
    get(clientId) {
      return clients.get(clientId);
    },
    authenticate(clientId, clientSecret) {
      const client = clients.get(clientId);
      if (!client) return undefined;
      const a = Buffer.from(client.clientSecret);
      const b = Buffer.from(clientSecret);
      return a.length === b.length && timingSafeEqual(a, b) ? client : undefined;
    },
  };
}
