import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  BatonError,
  DeadlineExceededError,
  GenesysApiError,
  RateBudgetExhaustedError,
  ValidationError,
  type BatonErrorCode,
} from '@baton/core';
import { HTTP_STATUS, httpStatusOf, mapError } from '../src/errors.js';
import { HttpError, TooManyAuthFailuresError, UnauthorizedError } from '../src/http-errors.js';

/** Codes the README's table does not list: a 500 is "see the bridge log", not something to act on. */
const UNDOCUMENTED_500 = new Set<string>(['internal_error', 'configuration_invalid']);
/** Codes in the README's table that are not errors of ours (the shutdown 408 is written by the server itself). */
const NOT_ERRORS = new Set<string>(['request_timeout']);

/** `status -> codes` from packages/bridge/README.md's error table (the rows under `| Status | \`code\` | When |`). */
async function readmeTable(): Promise<{ status: string; codes: string[] }[]> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('| Status | `code` | When |');
  assert.ok(start >= 0, 'the README has the error table');
  const rows = readme.slice(start).split('\n').slice(2);
  const table: { status: string; codes: string[] }[] = [];
  for (const row of rows) {
    if (!row.startsWith('|')) break;
    const [status, codes] = row.split('|').slice(1, 3).map((cell) => cell.trim());
    table.push({ status: status!, codes: [...codes!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!) });
  }
  return table;
}

describe('error codes -> HTTP status (the table at the bridge edge, as the README documents it)', () => {
  it('when an error code is in the README table, then HTTP_STATUS gives it the documented status, and every code is documented', async () => {
    const table = await readmeTable();
    const documented = new Set<string>();
    for (const { status, codes } of table) {
      for (const code of codes) {
        if (NOT_ERRORS.has(code)) continue;
        documented.add(code);
        assert.ok(Object.hasOwn(HTTP_STATUS, code), `README code ${code} is in HTTP_STATUS`);
        const expected = /^\d{3}$/.test(status) ? Number(status) : undefined;
        if (expected !== undefined) assert.equal(HTTP_STATUS[code as BatonErrorCode], expected, code);
        else assert.match(status, /^5xx/, `${code}: a non-numeric status is a 5xx`);
      }
    }
    for (const code of Object.keys(HTTP_STATUS)) {
      if (UNDOCUMENTED_500.has(code)) assert.equal(HTTP_STATUS[code as BatonErrorCode], 500, code);
      else assert.ok(documented.has(code), `${code} is in the README's error table`);
    }
  });

  it('when a handoff is incomplete, then its status is the failed part\'s 5xx, else 502 (never a 4xx: part was done)', () => {
    const incomplete = (cause: unknown) => new BatonError('handoff_incomplete', 'Handoff incomplete', { cause });
    const genesys = (code: BatonErrorCode, upstreamStatus: number) => new GenesysApiError(code, 'x', { route: 'r', upstreamStatus });
    assert.equal(httpStatusOf(incomplete(new DeadlineExceededError('late'))), 504);
    assert.equal(httpStatusOf(incomplete(new RateBudgetExhaustedError('budget'))), 503);
    assert.equal(httpStatusOf(incomplete(genesys('genesys_rate_limited', 429))), 503);
    assert.equal(httpStatusOf(incomplete(genesys('genesys_not_found', 404))), 502);
    assert.equal(httpStatusOf(incomplete(genesys('genesys_conflict', 409))), 502);
    assert.equal(httpStatusOf(incomplete(new BatonError('internal_error', 'bug'))), 500);
    assert.equal(httpStatusOf(incomplete(new TypeError('fetch failed'))), 502);
    assert.equal(mapError(incomplete(new DeadlineExceededError('late'))).status, 504);
  });

  it('when the HTTP layer fails, then its HttpError is a BatonError and answers with the table\'s status, its headers and the same body shape', () => {
    const unauthorized = new UnauthorizedError();
    assert.ok(unauthorized instanceof BatonError);
    assert.deepEqual(mapError(unauthorized), {
      status: 401,
      body: { code: 'unauthorized', message: unauthorized.message },
      headers: {},
      unexpected: false,
    });
    const throttled = mapError(new TooManyAuthFailuresError(30));
    assert.deepEqual([throttled.status, throttled.body.code, throttled.headers], [429, 'too_many_requests', { 'Retry-After': '30' }]);
    assert.deepEqual([mapError(new HttpError('method_not_allowed', 'Use POST.')).status, mapError(new HttpError('not_found', 'No route.')).status], [405, 404]);
  });

  it('when a step fails, then the body carries its issues or Genesys contextId, the Retry-After header, and never a secret', () => {
    const invalid = mapError(new ValidationError([{ field: 'priority', problem: 'must be 0..10' }]));
    assert.deepEqual(invalid, {
      status: 400,
      body: { code: 'validation_failed', message: 'Invalid request: priority: must be 0..10', issues: [{ field: 'priority', problem: 'must be 0..10' }] },
      headers: {},
      unexpected: false,
    });
    const limited = mapError(
      new GenesysApiError('genesys_rate_limited', 'Rate limit for client with secret s3cret-value', { route: 'r', upstreamStatus: 429, contextId: 'ctx-9', retryAfterSeconds: 41.5 }),
      { secrets: ['s3cret-value'] },
    );
    assert.deepEqual(limited, {
      status: 503,
      body: { code: 'genesys_rate_limited', message: 'Rate limit for client with secret [REDACTED]', contextId: 'ctx-9' },
      headers: { 'Retry-After': '42' },
      unexpected: false,
    });
    const bug = mapError(new Error('undefined is not a function'), { requestId: 'req-1' });
    assert.deepEqual([bug.status, bug.body.code, bug.unexpected], [500, 'internal_error', true]);
    assert.doesNotMatch(bug.body.message, /undefined is not/);
  });
});
