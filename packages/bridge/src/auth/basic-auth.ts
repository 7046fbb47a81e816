/**
 * The Basic Auth credential type of the Web Services Data Actions integration: Genesys sends
 * `Authorization: Basic base64(user:password)` with every action request
 * (docs/genesys-facts.md#data-action-credentials).
 */
export interface BasicCredentials {
  user: string;
  password: string;
}

/** Parses an `Authorization: Basic …` header; undefined when it is not one (never throws). */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic[ ]+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Parses an `Authorization: Bearer …` header; undefined when it is not one. */
export function parseBearerAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  return match?.[1];
}
