import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { createSandbox, type Sandbox } from '../../src/index.js';
import { routeTable, type RouteSpec } from '../../src/route-table.js';
import { MAX_REQUEST_BYTES } from '../../src/http/validation.js';
import { fetchToken } from '../helpers.js';
import { fuzzRuns, FUZZ_SEED, headerSafe } from './fuzz-config.js';

/**
 * Requests per route of the route table (and per group of the sandbox's own routes): modest by
 * default so the suite stays fast; BATON_SANDBOX_FUZZ_RUNS=5000 explores longer.
 */
const RUNS = fuzzRuns(process.env.BATON_SANDBOX_FUZZ_RUNS, 80);
const CONCURRENCY = 16;

interface Sample {
  method: string;
  /** Raw request target, as put on the wire. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send(agent: Agent, url: URL, sample: Sample): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const length = sample.body !== undefined ? { 'content-length': String(Buffer.byteLength(sample.body)) } : {};
    const req = httpRequest({ agent, host: url.hostname, port: url.port, path: sample.path, method: sample.method, headers: { ...sample.headers, ...length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(sample.body);
  });
}

/**
 * What is wrong with one answer ([] when nothing): never 5xx; a 4xx is Genesys's ErrorBody (message,
 * code, status equal to the HTTP status, contextId equal to ININ-Correlation-Id) and a 400 names
 * the bad field in `details[].fieldName`. Login answers in the OAuth shape instead
 * (docs/genesys-facts.md#oauth-client-credentials).
 */
function problemsOf(sample: Sample, answer: Answer): string[] {
  if (answer.status >= 500) return [`status ${answer.status}`];
  if (answer.status < 400 || sample.method === 'HEAD') return [];
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return ['4xx body is not JSON'];
  }
  if (typeof body !== 'object' || body === null) return ['4xx body is not an object'];
  if (typeof body.error === 'string' && sample.path.split('?')[0] === '/oauth/token') {
    return typeof body.error_description === 'string' && body.error_description !== '' ? [] : ['OAuth error without error_description'];
  }
  const problems: string[] = [];
  if (typeof body.message !== 'string' || body.message.trim() === '') problems.push('no message');
  if (typeof body.code !== 'string' || body.code === '') problems.push('no code');
  if (body.status !== answer.status) problems.push(`body.status ${String(body.status)}`);
  if (typeof body.contextId !== 'string' || body.contextId !== answer.headers['inin-correlation-id']) problems.push('contextId is not the correlation id');
  if (answer.status === 400) {
    const details = body.details as { fieldName?: unknown }[] | undefined;
    const named = Array.isArray(details) && details.length > 0 && details.every((d) => typeof d.fieldName === 'string' && d.fieldName !== '');
    // A state conflict (`conversation.not.in.queue` …) is about the resource, not a field.
    if (body.code === 'bad.request' && !named) problems.push('400 without a named field');
  }
  return problems;
}

/** A sample as a failure message shows it: long paths and bodies cut. */
const show = (s: Sample): string =>
  JSON.stringify({ ...s, path: s.path.length > 160 ? `${s.path.slice(0, 160)}…(${s.path.length})` : s.path, body: s.body && s.body.length > 160 ? `${s.body.slice(0, 160)}…(${s.body.length})` : s.body });

async function fire(agent: Agent, url: URL, samples: readonly Sample[]) {
  const failures: string[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const sample = samples[next++] as Sample;
      let answer: Answer;
      try {
        answer = await send(agent, url, sample);
      } catch (e) {
        // The sandbox dropping a connection without an answer is a failure too.
        failures.push(`no answer (${(e as Error).message}): ${show(sample)}`);
        continue;
      }
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const problems = problemsOf(sample, answer);
      if (problems.length > 0 && failures.length < 10) {
        failures.push(`${problems.join(', ')}: ${show(sample)} -> ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (process.env.FUZZ_VERBOSE) console.log(`      ${JSON.stringify(statuses)}`);
  return { failures, statuses };
}

/** Ids for path parameters: real ones mostly (so handlers run), and odd ones. */
function ids(real: readonly string[]): fc.Arbitrary<string> {
  const odd = fc.oneof(
    fc.constantFrom('', '.', '..', '%2e%2e', '%2F', 'a%2Fb', '%', '%E0%A4%A', '%00', '%ZZ', '%25', '%20', '+', '__proto__', 'constructor', '%C0%AF', '%FF', 'null', 'undefined', '-1', '1e309', '{conversationId}'),
    fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
    fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
    fc.string({ maxLength: 40 }).filter((s) => /^[\x21-\x7e]*$/.test(s) && !s.includes('?') && !s.includes('#') && !s.includes('/')),
    // Long ids: to a few kB (the request line stays under Node's 16 kB header limit).
    fc.integer({ min: 200, max: 6000 }).map((n) => 'x'.repeat(n)),
    fc.uuid(),
  );
  // Past the header limit now and then: Node's parser refuses it before Express runs.
  const overLimit = fc.constant('y'.repeat(17_000));
  return fc.oneof({ weight: 50, arbitrary: fc.constantFrom(...real) }, { weight: 30, arbitrary: odd }, { weight: 1, arbitrary: overLimit });
}

const QUERY_KEYS = ['pageSize', 'pageNumber', 'interval', 'after', 'sessionId', 'actionId', 'language', 'askActionResults', 'botResultCategories', 'endLanguage', 'name', 'id', 'sortOrder', 'useNormalizedMessage', 'session'];

const queryValue = fc.oneof(
  fc.constantFrom('1', '0', '-1', '25', '250', '251', '500', '501', '1e3', '1.5', 'NaN', 'Infinity', '', '99999999999999999999', '0x10', '%205', '+5', 'true', 'false', 'asc', 'desc', 'ASC', '*', '*Sup*', '%', '%E0%A4%A', '%00', 'a%26b', '2026-01-01T00:00:00Z/2027-01-01T00:00:00Z', '2027-01-01/2026-01-01', 'x/y/z', 'c1%3Aabc', 'YzE6bm9wZQ'),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.integer().map(String),
  fc.integer({ min: 100, max: 3000 }).map((n) => 'q'.repeat(n)),
);

const queryString: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...QUERY_KEYS) }, { weight: 1, arbitrary: fc.constantFrom('a[b]', 'pageSize[]', '__proto__', 'constructor[prototype]', '', '=') }), queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')));

function bodyOf(fields: readonly string[], realIds: readonly string[]): fc.Arbitrary<string> {
  const scalar = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(...realIds),
    fc.constantFrom('', '__proto__', '2026-01-01T00:00:00Z/2027-01-01T00:00:00Z', 'and', 'or', 'dimension', 'matches', 'asc', 'desc', 'Attended'),
  );
  const value = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 4 }) });
  const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
  const shaped = fc.dictionary(key, value, { maxKeys: fields.length + 2 });
  const deep = fc.integer({ min: 100, max: 20_000 }).chain((n) => fc.constantFrom('['.repeat(n) + ']'.repeat(n), '{"a":'.repeat(n) + '1' + '}'.repeat(n), `{"attributes":${'{"a":'.repeat(n)}"x"${'}'.repeat(n)}}`));
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...realIds), fc.string({ maxLength: 10 }), fc.integer()), { maxLength: 20 }).map((a) => JSON.stringify(a)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: shaped.map((b) => JSON.stringify(b).slice(0, -1)) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '[]', 'null', '"x"', '1', 'true', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '\u0000', '\ufeff{}') },
    { weight: 1, arbitrary: deep },
    // Huge strings up to and past the 512,000-byte cap (docs/genesys-facts.md#request-size-limit).
    { weight: 1, arbitrary: fc.constantFrom(MAX_REQUEST_BYTES - 200, MAX_REQUEST_BYTES + 1, MAX_REQUEST_BYTES * 2).map((n) => JSON.stringify({ [fields[0] ?? 'x']: 'z'.repeat(n) })) },
  );
}

const contentHeaders = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Record<string, string>>({ 'content-type': 'application/json' }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Record<string, string>>(
      {},
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'application/json; charset=latin1' },
      { 'content-type': 'application/json; charset=utf-16' },
      { 'content-type': 'application/*' },
      { 'content-type': ';;;' },
      { 'content-type': 'multipart/form-data; boundary=x' },
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      { 'content-type': 'application/json', 'content-encoding': 'deflate' },
      { 'content-type': 'application/json', 'content-encoding': 'br' },
      { 'content-type': 'application/json', 'content-encoding': 'compress' },
      { 'content-type': 'application/json', 'content-encoding': 'identity' },
    ),
  },
);

function authHeaders(valid: () => string, limited: () => string): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant(null).map(() => ({ authorization: `Bearer ${valid()}` })) },
    { weight: 2, arbitrary: fc.constant(null).map(() => ({ authorization: `Bearer ${limited()}` })) },
    { weight: 1, arbitrary: fc.constant<Record<string, string>>({}) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 60 }).filter(headerSafe).map((t) => ({ authorization: `Bearer ${t}` })),
        fc.string({ maxLength: 60 }).filter(headerSafe).map((t) => ({ authorization: t })),
        fc.base64String({ maxLength: 40 }).map((b) => ({ authorization: `Basic ${b}` })),
        fc.constantFrom<Record<string, string>>({ authorization: 'Bearer' }, { authorization: 'Bearer ' }, { authorization: 'bearer  x  y' }, { authorization: 'Basic \xe9\xff' }, { authorization: 'Negotiate abc' }),
      ),
    },
  );
}

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Requests for one route: its method mostly, its path with odd ids, any query, headers and body. */
function requests(spec: Pick<RouteSpec, 'method' | 'path'>, idsFor: (param: string) => fc.Arbitrary<string>, fields: readonly string[], auth: fc.Arbitrary<Record<string, string>>, realIds: readonly string[]): fc.Arbitrary<Sample> {
  const params = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  return fc
    .record({
      method: fc.oneof({ weight: 6, arbitrary: fc.constant(spec.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      values: fc.tuple(...params.map(idsFor)),
      query: fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 2, arbitrary: queryString }),
      auth,
      content: contentHeaders,
      body: bodyOf(fields, realIds),
      withBody: fc.boolean(),
    })
    .map(({ method, values, query, auth: a, content, body, withBody }) => {
      let path = spec.path;
      params.forEach((p, i) => (path = path.replace(`{${p}}`, values[i] ?? '')));
      // No body behind a request line past Node's header limit: the parser stops reading there and
      // closes the connection, so a body still being sent would end in a reset, not an answer.
      const hasBody = path.length < 16_000 && (method === 'POST' || method === 'PATCH' || method === 'PUT' || (withBody && method !== 'HEAD'));
      return { method, path: path + query, headers: { ...a, ...(hasBody ? content : {}) }, ...(hasBody ? { body } : {}) };
    });
}

/** Body field names per route (what its handler reads), so bodies are often nearly valid. */
const BODY_FIELDS: Record<string, readonly string[]> = {
  patchConversationsMessageParticipantAttributes: ['attributes'],
  postConversationParticipantReplaceQueue: ['queueId', 'queueName', 'transferType', 'keepInternalMessageAlive'],
  patchRoutingConversation: ['priority', 'skillIds', 'skillExpression', 'languageId', 'labelId', 'requestScoredAgents'],
  postAnalyticsConversationsDetailsQuery: ['interval', 'conversationFilters', 'segmentFilters', 'order', 'orderBy', 'paging'],
  postConversationsMessageCommunicationMessages: ['textBody', 'mediaIds', 'messagingTemplate'],
};

describe('fuzzing the sandbox org over HTTP (fast-check, every route of the route table)', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let agent: Agent;
  let url: URL;
  let token = '';
  let limitedToken = '';
  const real: Record<string, string[]> = {};

  before(async () => {
    // No rate limit to speak of: a 429 would hide what the handlers do with the request.
    sb = await createSandbox({ rateLimitPerMinute: 10_000_000, transferDelayMs: 0, analyticsLagMs: 0 });
    url = new URL(sb.url);
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    token = (await fetchToken(sb.url, sb.clientId, sb.clientSecret)).body.access_token;
    // A client with one permission, in no division: 403s of both kinds.
    const limited = sb.addClient({ permissions: ['routing:queue:view'], divisions: ['00000000-0000-4000-8000-000000000000'], rateLimitPerMinute: 10_000_000 });
    limitedToken = (await fetchToken(sb.url, limited.clientId, limited.clientSecret)).body.access_token;
    const conversations = sb.org.listConversations();
    const participants = conversations.flatMap((c) => c.participants);
    real.conversationId = conversations.map((c) => c.id);
    real.participantId = participants.map((p) => p.id);
    real.communicationId = participants.map((p) => p.communicationId);
    real.messageId = conversations.flatMap((c) => c.messages.map((m) => m.id)).slice(0, 200);
    real.queueId = sb.queues.map((q) => q.id);
    real.botFlowId = [sb.botFlowId];
  });
  after(async () => {
    agent?.destroy();
    await sb?.close();
  });

  const allReal = () => Object.values(real).flatMap((v) => v.slice(0, 20));
  const auth = () => authHeaders(() => token, () => limitedToken);

  for (const [name, spec] of Object.entries(routeTable)) {
    it(`${spec.method} ${spec.path} (${name}): ${RUNS} random requests, no 5xx, every 4xx an ErrorBody naming the bad field`, async () => {
      const samples = fc.sample(
        requests(spec, (p) => ids(real[p] ?? ['x']), BODY_FIELDS[name] ?? ['x'], auth(), allReal()),
        { numRuns: RUNS, seed: FUZZ_SEED + name.length },
      );
      const { failures, statuses } = await fire(agent, url, samples);
      assert.deepEqual(failures, [], `seed ${FUZZ_SEED}`);
      // The fuzzer reached the handler, not only the guard.
      assert.ok(Object.keys(statuses).some((s) => Number(s) < 300 || Number(s) === 400 || Number(s) === 404), JSON.stringify(statuses));
    });
  }

  it(`POST /oauth/token (postToken): ${RUNS} random bodies and Authorization headers, no 5xx, every refusal in the OAuth shape or an ErrorBody`, async () => {
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    const loginAuth = fc.oneof(
      { weight: 4, arbitrary: fc.constant({ authorization: basic(sb.clientId, sb.clientSecret) }) },
      { weight: 1, arbitrary: fc.constant<Record<string, string>>({}) },
      { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([i, s]) => ({ authorization: basic(i, s) })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter(headerSafe).map((a) => ({ authorization: a })) },
    );
    const form = fc.oneof(
      fc.constantFrom('grant_type=client_credentials', 'grant_type=password', 'grant_type=', '', '%', '%E0%A4%A', 'grant_type=client_credentials&grant_type=password', 'grant_type[]=client_credentials', '{"grant_type":"client_credentials"}'),
      fc.string({ maxLength: 100 }),
      fc.constant('grant_type=client_credentials&pad=' + 'p'.repeat(MAX_REQUEST_BYTES)),
    );
    const samples = fc.sample(
      fc.record({ auth: loginAuth, body: form, content: fc.oneof(fc.constant({ 'content-type': 'application/x-www-form-urlencoded' }), contentHeaders), method: fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }), query: fc.oneof(fc.constant(''), queryString) })
        .map(({ auth: a, body, content, method, query }): Sample => ({ method, path: `/oauth/token${query}`, headers: { ...a, ...content }, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) })),
      { numRuns: RUNS, seed: FUZZ_SEED + 1 },
    );
    const { failures, statuses } = await fire(agent, url, samples);
    assert.deepEqual(failures, [], `seed ${FUZZ_SEED}`);
    assert.ok((statuses[200] ?? 0) > 0 && (statuses[401] ?? 0) > 0, JSON.stringify(statuses));
  });

  it(`paths outside the route table: ${RUNS} random paths and methods, no 5xx, every 4xx an ErrorBody`, async () => {
    const segment = fc.oneof(fc.constantFrom('api', 'v2', 'conversations', 'messages', 'routing', 'queues', 'analytics', 'oauth', 'token', '..', '.', '', '%2F', '%', '%E0%A4%A', 'console', '__sandbox'), ids(allReal()));
    const samples = fc.sample(
      fc.record({ segments: fc.array(segment, { minLength: 0, maxLength: 8 }), query: queryString, method: fc.constantFrom(...METHODS), auth: auth(), content: contentHeaders, body: bodyOf(['x'], allReal()) })
        // Leaves out the console's event stream, which answers 200 and stays open by design.
        .filter(({ segments }) => !segments.join('/').startsWith('console/events'))
        .map(({ segments, query, method, auth: a, content, body }): Sample => ({ method, path: `/${segments.join('/')}${query}`, headers: { ...a, ...(method === 'POST' || method === 'PATCH' ? content : {}) }, ...(method === 'POST' || method === 'PATCH' ? { body } : {}) })),
      { numRuns: RUNS, seed: FUZZ_SEED + 2 },
    );
    const { failures } = await fire(agent, url, samples);
    assert.deepEqual(failures, [], `seed ${FUZZ_SEED}`);
  });

  it('afterwards the sandbox still answers: a new token, a conversation, the queue listing', async () => {
    const t = await fetchToken(sb.url, sb.clientId, sb.clientSecret);
    assert.equal(t.status, 200);
    const res = await fetch(`${sb.url}/api/v2/conversations/${sb.scenarios.lowConfidence}`, { headers: { authorization: `Bearer ${t.body.access_token}` } });
    assert.equal(res.status, 200);
    const queues = await fetch(`${sb.url}/api/v2/routing/queues`, { headers: { authorization: `Bearer ${t.body.access_token}` } });
    assert.equal(queues.status, 200);
  });
});

describe("fuzzing the sandbox's own routes (/__sandbox, /console)", function () {
  this.timeout(60_000);
  // A sandbox of their own: a random fault rule that validates would make this org answer 5xx by design.
  let sb: Sandbox;
  let agent: Agent;

  before(async () => {
    sb = await createSandbox({ conversations: 2 });
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  });
  after(async () => {
    agent?.destroy();
    await sb?.close();
  });

  it(`${RUNS * 2} random requests to the harness's routes, no 5xx, every 4xx an ErrorBody naming the bad field`, async () => {
    const realIds = [...Object.values(sb.scenarios), 'x', '%', '%E0%A4%A', ''];
    const routes: { method: string; path: string; fields: string[] }[] = [
      { method: 'POST', path: '/__sandbox/faults', fields: ['kind', 'route', 'status', 'times', 'probability', 'ms', 'jitterMs', 'retryAfterSeconds', 'clientId'] },
      { method: 'DELETE', path: '/__sandbox/faults/{id}', fields: [] },
      { method: 'POST', path: '/__sandbox/guest/faults', fields: ['kind', 'times', 'retryAfterSeconds'] },
      { method: 'GET', path: '/__sandbox/agents/{id}/view', fields: [] },
      { method: 'POST', path: '/__sandbox/agents/{id}/answer', fields: [] },
      { method: 'POST', path: '/__sandbox/agents/{id}/reply', fields: ['text'] },
      { method: 'POST', path: '/__sandbox/agents/{id}/disconnect', fields: [] },
      { method: 'GET', path: '/__sandbox/state/conversations/{id}', fields: [] },
      { method: 'POST', path: '/__sandbox/conversations', fields: ['customerName', 'startedAt', 'messages', 'participantData', 'botSession', 'state', 'queueId', 'listOrder', 'returned'] },
      { method: 'POST', path: '/__sandbox/tokens/revoke', fields: ['clientId'] },
      { method: 'GET', path: '/console/scenarios', fields: [] },
      { method: 'GET', path: '/console', fields: [] },
    ];
    const samples = fc.sample(
      fc.constantFrom(...routes).chain((r) => requests(r as Pick<RouteSpec, 'method' | 'path'>, () => ids(realIds), r.fields.length > 0 ? r.fields : ['x'], fc.constant({}), realIds)),
      { numRuns: RUNS * 2, seed: FUZZ_SEED + 3 },
    );
    const { failures } = await fire(agent, new URL(sb.url), samples);
    assert.deepEqual(failures, [], `seed ${FUZZ_SEED}`);
  });
});
