import type { OAuthClientRecord } from '../auth/client-registry.js';
import { ApiError } from './api-error.js';

/**
 * Division-scoped access (docs/genesys-facts.md#divisions): a client-credentials client's role is
 * granted per division. Listings leave out what lies outside the granted divisions; a call on one
 * object there is refused with 403 `missing.division.permission` (the status and code are
 * UNCONFIRMED: no source shows what Genesys answers, see the facts file).
 */
export function inGrantedDivision(client: OAuthClientRecord, divisionIds: readonly string[] | (() => readonly string[])): boolean {
  if (client.divisions === '*') return true;
  const granted = client.divisions;
  // A conversation belongs to several divisions; a grant in any of them is enough (UNCONFIRMED).
  return (typeof divisionIds === 'function' ? divisionIds() : divisionIds).some((id) => granted.has(id));
}

export function requireGrantedDivision(client: OAuthClientRecord, divisionIds: readonly string[] | (() => readonly string[]), what: string): void {
  if (inGrantedDivision(client, divisionIds)) return;
  throw new ApiError(403, 'missing.division.permission', `Unable to perform the requested action. ${what} is in a division your role is not granted in.`, {
    messageWithParams: 'Unable to perform the requested action. {object} is in a division your role is not granted in.',
    messageParams: { object: what },
  });
}
