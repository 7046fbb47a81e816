import type { Models } from 'purecloud-platform-client-v2';
import { GenesysApiError, systemErrorCode, type GenesysErrorFacts } from '../errors.js';
import { ROUTE_PERMISSIONS } from './permissions.js';
import type { ApiRoute } from './routes.js';
import { describeTarget, type GenesysTarget } from './target.js';

/** A resource a call names by id, so a 404 can say which id was not found. */
export interface ResourceRef {
  /** In words: `conversation`, `participant`, `queue`, `bot flow`, ... */
  kind: string;
  id: string;
}

/** What the error builder knows about the call that failed. */
export interface FailedCall {
  route: ApiRoute;
  method: string;
  /** Path without the query string. */
  path: string;
  resources: readonly ResourceRef[];
  target: GenesysTarget;
  clientId: string;
}

/** What came back (or did not). */
export interface UpstreamAnswer {
  status: number;
  body?: Models.ErrorBody;
  contextId?: string;
  retryAfterSeconds?: number;
}

const MAX_QUOTED = 300;

/** Parses a Genesys ErrorBody; undefined when the text is not one. */
export function parseErrorBody(text: string): Models.ErrorBody | undefined {
  if (text.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Models.ErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns a failed Platform API answer into a GenesysApiError whose message tells the reader what
 * to fix: the seed's 400/401/403/404/429 table, with the facts Genesys gave. The upstream status
 * picks the code; which status the bridge answers with is the bridge's table (bridge errors.ts). `note` adds what
 * the client did about it (e.g. why it stopped retrying).
 */
export function errorFromAnswer(call: FailedCall, answer: UpstreamAnswer, note?: string): GenesysApiError {
  const body = answer.body;
  const genesysCode = typeof body?.code === 'string' ? body.code : undefined;
  const contextId = answer.contextId ?? (typeof body?.contextId === 'string' ? body.contextId : undefined);
  const facts: GenesysErrorFacts = { route: call.route, upstreamStatus: answer.status };
  if (genesysCode !== undefined) facts.genesysCode = genesysCode;
  if (contextId !== undefined) facts.contextId = contextId;
  if (answer.retryAfterSeconds !== undefined) facts.retryAfterSeconds = answer.retryAfterSeconds;

  const op = `${call.route} (${call.method} ${call.path})`;
  const said = genesysSaid(answer.status, genesysCode, body);
  const tail = note ? ` ${note}` : '';
  const s = answer.status;

  if (s === 400 || s === 413 || s === 415 || s === 422) {
    const field = fieldOf(body);
    const where = field ? ` on field "${field}"` : '';
    return new GenesysApiError('genesys_bad_request', `Genesys rejected ${op}${where}: ${said}.${tail}`, facts, {
      details: field ? { field } : {},
    });
  }
  if (s === 401) {
    return new GenesysApiError(
      'genesys_unauthorized',
      `Genesys refused the access token of OAuth client "${call.clientId}" for ${op} even after a fresh login (${said}). ` +
        `Check that the client is active and belongs to an org in ${describeTarget(call.target)}.${tail}`,
      facts,
    );
  }
  if (s === 403) {
    const permissions = ROUTE_PERMISSIONS[call.route];
    const fix =
      permissions.length > 0
        ? `give its role one of these permissions: ${permissions.join(', ')}`
        : 'the SDK docs list no permission for this call, so check that the role\'s divisions include this resource (division behaviour UNCONFIRMED)';
    return new GenesysApiError(
      'genesys_forbidden',
      `OAuth client "${call.clientId}" is not allowed to call ${op}: ${fix}. Genesys said: ${said}.${tail}`,
      facts,
      { details: { requiredPermissions: [...permissions] } },
    );
  }
  if (s === 404) {
    const missing = notFoundRef(call, body);
    return new GenesysApiError('genesys_not_found', `Genesys found no ${missing.text} (${call.route}).${tail}`, facts, {
      details: missing.ref ? { resource: missing.ref.kind, id: missing.ref.id } : {},
    });
  }
  if (s === 409) {
    return new GenesysApiError('genesys_conflict', `Genesys refused ${op} because of a conflict with the current state: ${said}.${tail}`, facts);
  }
  if (s === 429) {
    const wait = answer.retryAfterSeconds !== undefined ? `asked to wait ${answer.retryAfterSeconds} s (Retry-After)` : 'gave no Retry-After';
    return new GenesysApiError(
      'genesys_rate_limited',
      `Genesys rate limit reached for OAuth client "${call.clientId}" on ${op}: Genesys ${wait}.${tail}`,
      facts,
    );
  }
  if (s >= 400 && s < 500 && s !== 408) {
    return new GenesysApiError('genesys_bad_request', `Genesys rejected ${op}: ${said}.${tail}`, facts);
  }
  return new GenesysApiError('genesys_unavailable', `Genesys could not serve ${op}: ${said}.${tail}`, facts);
}

/** No answer at all: connection refused or reset, DNS, TLS. */
export function errorFromNetwork(call: FailedCall, cause: unknown, note?: string): GenesysApiError {
  const host = hostOf(call.target.apiBaseUrl);
  const why = networkReason(cause);
  return new GenesysApiError(
    'genesys_unavailable',
    `Could not reach Genesys at ${host} for ${call.route} (${call.method} ${call.path}): ${why}.${note ? ` ${note}` : ''}`,
    { route: call.route, upstreamStatus: 0 },
    { cause },
  );
}

/** A 2xx whose body is not the JSON the SDK model promises. */
export function badResponseError(call: FailedCall, status: number, contextId: string | undefined, cause: unknown): GenesysApiError {
  const facts: GenesysErrorFacts = { route: call.route, upstreamStatus: status };
  if (contextId !== undefined) facts.contextId = contextId;
  return new GenesysApiError(
    'genesys_bad_response',
    `Genesys answered ${call.route} (${call.method} ${call.path}) with ${status} but a body that is not valid JSON.`,
    facts,
    { cause },
  );
}

function genesysSaid(status: number, code: string | undefined, body: Models.ErrorBody | undefined): string {
  const message = typeof body?.message === 'string' && body.message.trim() !== '' ? quote(body.message) : 'no error body';
  return `${status}${code ? ` ${code}` : ''}: ${message}`;
}

function fieldOf(body: Models.ErrorBody | undefined): string | undefined {
  if (!body) return undefined;
  const fromDetails = (b: Models.ErrorBody): string | undefined =>
    b.details?.find((d) => typeof d.fieldName === 'string' && d.fieldName !== '')?.fieldName;
  const direct = fromDetails(body) ?? body.errors?.map(fromDetails).find((f) => f !== undefined);
  if (direct) return direct;
  // Some Genesys 400s name the field only in prose ("... field 'queueId' ...", "The property paging ...").
  const match = /\b(?:field|property|parameter)\s+['"`[]?([A-Za-z_][\w.[\]]*)/i.exec(body.message ?? '');
  return match?.[1];
}

function notFoundRef(call: FailedCall, body: Models.ErrorBody | undefined): { text: string; ref?: ResourceRef } {
  const entity = body?.details?.find((d) => typeof d.entityId === 'string' && d.entityId !== '');
  if (entity?.entityId) {
    const known = call.resources.find((r) => r.id === entity.entityId);
    const kind = known?.kind ?? entity.entityName ?? 'resource';
    return { text: `${kind} with id ${entity.entityId}`, ref: { kind, id: entity.entityId } };
  }
  const [first, ...rest] = call.resources;
  if (!first) return { text: `resource at ${call.path}` };
  if (rest.length === 0) return { text: `${first.kind} with id ${first.id}`, ref: first };
  // Genesys does not always say which id of a nested path was unknown.
  return { text: call.resources.map((r) => `${r.kind} with id ${r.id}`).join(' or '), ref: first };
}

/** Why no answer came, in a word: the system error code (`ECONNREFUSED`, `ENOTFOUND`, ...) when there is one. */
export function networkReason(cause: unknown): string {
  return systemErrorCode(cause) ?? (cause instanceof Error ? cause.message : 'network error');
}

function quote(text: string): string {
  // Trailing periods dropped: the message is embedded in our own sentence.
  const flat = text.replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
  return flat.length > MAX_QUOTED ? `${flat.slice(0, MAX_QUOTED)}…` : flat;
}

function hostOf(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return base;
  }
}

