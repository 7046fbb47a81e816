import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { actionContracts } from '@baton/core';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { deletePrefix, requireSharedRedis, SHARED_REDIS_URL, uniquePrefix } from '../redis/helpers.js';
import { API_KEY, startReplicaSet, type ReplicaSet } from './replicas.js';

/**
 * Runs per action endpoint: 10,000 unless BATON_FUZZ_RUNS says otherwise (issue #11: a quick run
 * on a small machine, a long one to explore). Read here only: it configures this test, not the bridge.
 */
const RUNS_PER_ENDPOINT = fuzzRuns(process.env.BATON_FUZZ_RUNS, 10_000);
/** The bridge's own token endpoint and the two authenticated GETs: fewer runs, smaller surface. */
const RUNS_OAUTH = Math.min(2_000, RUNS_PER_ENDPOINT);
const RUNS_PER_GET = Math.min(500, RUNS_PER_ENDPOINT);

function fuzzRuns(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const runs = Number(value);
  // Fewer than ~100 samples may not reach every outcome the assertions below expect to see.
  if (!Number.isInteger(runs) || runs < 100) throw new Error(`BATON_FUZZ_RUNS: expected a whole number of at least 100, got "${value.slice(0, 20)}"`);
  return runs;
}
const OAUTH_CLIENT = { id: 'fuzz-oauth-client', secret: 'fuzz-oauth-secret-0123456789' };
const BASIC_USER = { user: 'fuzz-basic-user', password: 'fuzz-basic-password-0123456789' };
const CONCURRENCY = 24;
/** Fixed so a failure reproduces; override with FUZZ_SEED to explore. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);

interface Sample {
  headers: Record<string, string>;
  /** Raw bytes on the wire: usually JSON, sometimes not. None for a GET. */
  body?: string;
}

interface Answer {
  status: number;
  body: unknown;
  type?: string;
}

/** One request over a shared keep-alive agent; the raw body is sent as is. */
function send(agent: Agent, url: URL, path: string, sample: Sample, method: 'POST' | 'GET' = 'POST'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const length: Record<string, number> = sample.body !== undefined ? { 'content-length': Buffer.byteLength(sample.body) } : {};
    const req = httpRequest(
      { agent, host: url.hostname, port: url.port, path, method, headers: { ...sample.headers, ...length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Kept as text: the assertion below reports it.
          }
          resolve({ status: res.statusCode ?? 0, body, ...(res.headers['content-type'] ? { type: res.headers['content-type'] } : {}) });
        });
      },
    );
    req.on('error', reject);
    req.end(sample.body);
  });
}

/** Bodies from wild to almost valid, for one contract's fields. */
function bodies(fields: string[], conversationIds: string[]): fc.Arbitrary<string> {
  const uuid = fc.uuid();
  const scalar = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(''),
    uuid,
    fc.constantFrom(...conversationIds),
    fc.constantFrom('flow', 'api', 'NaN', '1e309', '-0', '0.5', '11', '__proto__'),
  );
  const value = fc.oneof({ weight: 6, arbitrary: scalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
  const fieldName = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
  const shaped = fc.dictionary(fieldName, value, { maxKeys: fields.length + 2 });
  // Valid-looking: a real or random conversation id, plus a few fields with whatever values.
  const nearlyValid = fc
    .record({ conversationId: fc.oneof(fc.constantFrom(...conversationIds), uuid), rest: shaped })
    .map(({ conversationId, rest }) => ({ ...rest, conversationId }));
  return fc.oneof(
    { weight: 4, arbitrary: nearlyValid.map((b) => JSON.stringify(b)) },
    { weight: 3, arbitrary: shaped.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: shaped.map((b) => JSON.stringify(b).slice(0, -1)) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '[]', 'null', '"x"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}') },
  );
}

const authHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ 'x-api-key': API_KEY }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter((s) => /^[\x21-\x7e]*$/.test(s)).map((k) => ({ 'x-api-key': k })) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 40 }).map((b) => ({ authorization: `Basic ${b}` })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter((s) => /^[\x21-\x7e]*$/.test(s)).map((t) => ({ authorization: `Bearer ${t}` })) },
  { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({}, { authorization: 'Basic' }, { authorization: 'Negotiate abc' }, { 'x-api-key': '' }) },
);

/**
 * A declared Content-Encoding the (uncompressed) body does not match, or one body-parser does not
 * know: a broken gzip stream once answered 500 with a stack in the log.
 */
const contentEncodings = fc.constantFrom<Record<string, string>>(
  { 'content-encoding': 'gzip' },
  { 'content-encoding': 'deflate' },
  { 'content-encoding': 'br' },
  { 'content-encoding': 'GZIP' },
  { 'content-encoding': 'identity' },
  { 'content-encoding': 'x-gzip' },
  { 'content-encoding': 'compress' },
  { 'content-encoding': 'gzip, br' },
  { 'content-encoding': '' },
);

const contentTypes = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Record<string, string>>({ 'content-type': 'application/json' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>({}, { 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'application/json; charset=latin1' }),
  },
  { weight: 1, arbitrary: contentEncodings.map((e) => ({ 'content-type': 'application/json', ...e })) },
);

const headerSafe = (s: string) => /^[\x21-\x7e]*$/.test(s);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/**
 * Authorization headers for `POST /oauth/token`: the right client by Basic, wrong ids or secrets,
 * Basic that is not base64 or has no colon, other schemes, garbage, none.
 */
const oauthAuthorization: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ authorization: basic(OAUTH_CLIENT.id, OAUTH_CLIENT.secret) }) },
  { weight: 3, arbitrary: fc.constant<Record<string, string>>({}) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(fc.constant(OAUTH_CLIENT.id), fc.string({ maxLength: 30 })), fc.oneof(fc.constant(OAUTH_CLIENT.secret), fc.string({ maxLength: 30 })))
      .map(([user, password]) => ({ authorization: basic(user, password) })),
  },
  { weight: 1, arbitrary: fc.constant({ authorization: basic(BASIC_USER.user, BASIC_USER.password) }) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 60 }).map((b) => ({ authorization: `Basic ${b}` })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).filter(headerSafe).map((b) => ({ authorization: `Basic ${b}` })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).filter(headerSafe).map((b) => ({ authorization: b })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { authorization: 'Basic' },
      { authorization: 'Basic ' },
      { authorization: 'basic ' + Buffer.from(`${OAUTH_CLIENT.id}:${OAUTH_CLIENT.secret}`).toString('base64') },
      { authorization: 'Basic ' + Buffer.from(OAUTH_CLIENT.id).toString('base64') },
      { authorization: 'Basic ' + Buffer.from(`${OAUTH_CLIENT.id}:${OAUTH_CLIENT.secret}`).toString('base64url') },
      { authorization: 'Basic ' + Buffer.from(`${OAUTH_CLIENT.id}:${OAUTH_CLIENT.secret}`).toString('base64') + '====' },
      { authorization: 'Basic =' },
      { authorization: 'Basic ****' },
      { authorization: 'Basic \xe9\xff' },
      { authorization: 'Bearer x' },
      { authorization: 'Digest username="x"' },
      { 'x-api-key': API_KEY },
    ),
  },
);

/** Fields of a token request: the right values, wrong ones, odd types. */
const oauthFields = (): fc.Arbitrary<Record<string, unknown>> => {
  const grant = fc.oneof(
    { weight: 6, arbitrary: fc.constant<unknown>('client_credentials') },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('password', 'authorization_code', 'refresh_token', 'CLIENT_CREDENTIALS', '', ' client_credentials', null, 1, true, ['client_credentials'], { x: 1 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  );
  const id = fc.oneof({ weight: 3, arbitrary: fc.constant<unknown>(OAUTH_CLIENT.id) }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null), fc.array(fc.constant(OAUTH_CLIENT.id), { maxLength: 2 })) });
  const secret = fc.oneof({ weight: 3, arbitrary: fc.constant<unknown>(OAUTH_CLIENT.secret) }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null), fc.constant({ '': '' })) });
  return fc
    .record(
      { grant_type: grant, client_id: id, client_secret: secret, scope: fc.string({ maxLength: 20 }), extra: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }) },
      { requiredKeys: [] },
    )
    .map(({ extra, ...fields }) => ({ ...(extra ?? {}), ...fields }));
};

/** Form encoding of `fields` as a client would send it (arrays repeated, objects as bracket keys). */
const toForm = (fields: Record<string, unknown>): string => {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const v of value) form.append(key, String(v));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) form.append(`${key}[${k}]`, String(v));
    else form.append(key, String(value));
  }
  return form.toString();
};

/** Bodies of a token request, form or JSON, well formed or not, with or without the content type that matches. */
const oauthRequests: fc.Arbitrary<Sample> = fc
  .record({
    auth: oauthAuthorization,
    fields: oauthFields(),
    shape: fc.constantFrom('form', 'form', 'form', 'json', 'json', 'wild'),
    wild: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom(
        '',
        '{',
        'null',
        '[]',
        '"client_credentials"',
        'grant_type',
        'grant_type=',
        '=&=&&',
        '%',
        '%E0%A4%A',
        'grant_type=client_credentials&grant_type=password',
        'grant_type[]=client_credentials',
        'grant_type[a]=client_credentials',
        '{"grant_type":"client_credentials","__proto__":{"x":1}}',
        '{"constructor":{"prototype":{"grant_type":"client_credentials"}}}',
        // Past the route's limits: 4 kB, 20 form parameters.
        'grant_type=client_credentials&pad=' + 'x'.repeat(5000),
        JSON.stringify({ grant_type: 'client_credentials', pad: 'x'.repeat(5000) }),
        Array.from({ length: 30 }, (_, i) => `p${i}=${i}`).join('&'),
      ),
    ),
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constant('match') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'none',
          'text/plain',
          'application/octet-stream',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded; charset=utf-16',
          'application/x-www-form-urlencoded; charset=latin1',
          'application/json; charset=latin1',
          'application/json; charset=utf-8',
          'application/*',
          '*/*',
          'application/x-www-form-urlencoded, application/json',
          ';;;',
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded') },
    ),
    encoding: fc.oneof({ weight: 10, arbitrary: fc.constant<Record<string, string>>({}) }, { weight: 1, arbitrary: contentEncodings }),
  })
  .map(({ auth, fields, shape, wild, type, encoding }) => {
    const body = shape === 'form' ? toForm(fields) : shape === 'json' ? JSON.stringify(fields) : wild;
    const matching = shape === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
    const contentType = type === 'match' ? matching : type;
    return { headers: { ...auth, ...encoding, ...(contentType === 'none' ? {} : { 'content-type': contentType }) }, body };
  });

/** Auth headers for the GETs: every credential type, right or wrong, and garbage. `bearer` is a token the bridge issued. */
const getAuthHeaders = (bearer: () => string): fc.Arbitrary<Record<string, string>> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({ 'x-api-key': API_KEY }) },
    { weight: 1, arbitrary: fc.constant({ authorization: basic(BASIC_USER.user, BASIC_USER.password) }) },
    // A function: the token is fetched in before(), after the samples' arbitraries are built.
    { weight: 1, arbitrary: fc.constant(null).map(() => ({ authorization: `Bearer ${bearer()}` })) },
    { weight: 3, arbitrary: authHeaders },
    { weight: 1, arbitrary: oauthAuthorization },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).filter(headerSafe).map((t) => ({ authorization: `Bearer ${t}` })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.oneof(fc.constant(BASIC_USER.user), fc.string({ maxLength: 20 })), fc.oneof(fc.constant(BASIC_USER.password), fc.string({ maxLength: 20 })))
        .map(([user, password]) => ({ authorization: basic(user, password) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ key: fc.string({ maxLength: 40 }).filter(headerSafe), authorization: fc.string({ maxLength: 60 }).filter(headerSafe) }, { requiredKeys: [] })
        .map(({ key, authorization }) => ({ ...(key !== undefined ? { 'x-api-key': key } : {}), ...(authorization !== undefined ? { authorization } : {}) })),
    },
  );

/** Problems with one answer, or [] when it is fine: never 5xx, and a 4xx says what is wrong. */
function problemsOf(answer: Answer): string[] {
  if (answer.status >= 500) return [`status ${answer.status}`];
  if (answer.status < 400) return [];
  const body = answer.body as { code?: unknown; message?: unknown; issues?: { field?: unknown; problem?: unknown }[] } | string;
  if (typeof body !== 'object' || body === null) return ['4xx body is not JSON'];
  const problems: string[] = [];
  if (typeof body.code !== 'string' || body.code === '') problems.push('4xx without a code');
  if (typeof body.message !== 'string' || body.message.trim() === '') problems.push('4xx without a message');
  if (body.code === 'validation_failed') {
    if (!Array.isArray(body.issues) || body.issues.length === 0) problems.push('validation_failed without issues');
    for (const issue of body.issues ?? []) {
      if (typeof issue.field !== 'string' || typeof issue.problem !== 'string' || issue.problem === '') problems.push('an issue without field or problem');
      else if (typeof body.message === 'string' && !body.message.includes(issue.field)) problems.push(`message does not name ${issue.field}`);
    }
  }
  return problems;
}

/** Sends every sample (CONCURRENCY at a time) and checks each answer; returns the statuses seen and the first failures. */
async function fire(agent: Agent, url: URL, path: string, samples: readonly Sample[], method: 'POST' | 'GET' = 'POST', check?: (answer: Answer) => string[]) {
  const failures: string[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const sample = samples[next++]!;
      const answer = await send(agent, url, path, sample, method);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const problems = [...problemsOf(answer), ...(check?.(answer) ?? [])];
      if (problems.length > 0 && failures.length < 10) {
        failures.push(`${problems.join(', ')}: ${JSON.stringify(sample).slice(0, 600)} -> ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  console.log(`      ${method} ${path}: ${JSON.stringify(statuses)}`);
  return { failures, statuses };
}

describe('fuzzing the endpoints (fast-check, real HTTP, core on the sandbox)', function () {
  this.timeout(120_000);
  let admin: Redis;
  let set: ReplicaSet;
  let agent: Agent;
  let url: URL;
  let conversationIds: string[];
  let bearer = '';

  before(async () => {
    admin = await requireSharedRedis();
    set = await startReplicaSet({
      count: 1,
      redisUrl: SHARED_REDIS_URL,
      keyPrefix: uniquePrefix('fuzz'),
      deadlineMs: 10_000,
      // Every credential type, so that /oauth/token exists and each kind of header can be right.
      auth: { basic: BASIC_USER, oauth: { clientId: OAUTH_CLIENT.id, clientSecret: OAUTH_CLIENT.secret, tokenTtlSeconds: 900 } },
    });
    // Many conversations: valid bodies for one conversation serialise on its idempotency key.
    conversationIds = [...Object.values(set.sandbox.scenarios), ...Array.from({ length: 300 }, () => set.newConversation())];
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    url = new URL(set.replicas[0]!.url);
    const issued = await send(agent, url, '/oauth/token', {
      headers: { authorization: basic(OAUTH_CLIENT.id, OAUTH_CLIENT.secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    bearer = String((issued.body as { access_token?: unknown }).access_token);
  });
  after(async () => {
    agent?.destroy();
    await set?.close();
    if (set) await deletePrefix(admin, set.keyPrefix);
    admin?.disconnect();
  });

  for (const contract of actionContracts) {
    it(`POST ${contract.path}: ${RUNS_PER_ENDPOINT} random bodies and auth headers, no 5xx, every 4xx names the problem`, async () => {
      const fields = Object.keys((contract.input as unknown as z.ZodObject).shape);
      const samples = fc.sample(
        fc.record({ auth: authHeaders, type: contentTypes, body: bodies(fields, conversationIds) }).map((s): Sample => ({ headers: { ...s.auth, ...s.type }, body: s.body })),
        { numRuns: RUNS_PER_ENDPOINT, seed: SEED + contract.path.length },
      );
      const { failures, statuses } = await fire(agent, url, contract.path, samples);
      assert.deepEqual(failures, [], `seed ${SEED}`);
      // The fuzzer reached core, not only the validator.
      assert.ok((statuses[200] ?? 0) > 0, 'some bodies validated and ran');
    });
  }

  it(`POST /oauth/token: ${RUNS_OAUTH} random form/JSON bodies, content types and Authorization headers, no 5xx, every 4xx names the problem`, async () => {
    const samples = fc.sample(oauthRequests, { numRuns: RUNS_OAUTH, seed: SEED + 1 });
    const { failures, statuses } = await fire(agent, url, '/oauth/token', samples, 'POST', (answer) => {
      if (answer.status !== 200) return [];
      const token = answer.body as { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
      return typeof token.access_token === 'string' && token.access_token.length > 0 && typeof token.token_type === 'string' && typeof token.expires_in === 'number'
        ? []
        : ['200 without access_token, token_type and expires_in'];
    });
    assert.deepEqual(failures, [], `seed ${SEED}`);
    // Each outcome was reached: tokens issued, clients refused, grants refused.
    assert.ok((statuses[200] ?? 0) > 0, 'some requests got a token');
    // Refused: 401, or 429 once the fuzzer's address is past BATON_AUTH_FAILURE_LIMIT.
    assert.ok((statuses[401] ?? 0) + (statuses[429] ?? 0) > 0, 'some clients were refused');
    assert.ok((statuses[400] ?? 0) > 0, 'some grants or bodies were refused');
  });

  for (const path of ['/metrics', '/openapi.json']) {
    it(`GET ${path}: ${RUNS_PER_GET} random auth headers, no 5xx, every 4xx names the problem`, async () => {
      const samples = fc.sample(getAuthHeaders(() => bearer).map((headers): Sample => ({ headers })), { numRuns: RUNS_PER_GET, seed: SEED + path.length });
      const { failures, statuses } = await fire(agent, url, path, samples, 'GET', (answer) =>
        answer.status === 200 && (path === '/openapi.json' ? typeof (answer.body as { openapi?: unknown }).openapi !== 'string' : !answer.type?.startsWith('text/plain')) ? [`200 without the ${path} document`] : [],
      );
      assert.deepEqual(failures, [], `seed ${SEED}`);
      assert.ok((statuses[200] ?? 0) > 0, 'some requests were let in');
      assert.ok((statuses[401] ?? 0) + (statuses[429] ?? 0) > 0, 'some requests were refused');
    });
  }
});
