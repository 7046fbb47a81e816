import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { actionContracts } from '@baton/core';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { deletePrefix, requireSharedRedis, SHARED_REDIS_URL, uniquePrefix } from '../redis/helpers.js';
import { API_KEY, startReplicaSet, type ReplicaSet } from './replicas.js';

const RUNS_PER_ENDPOINT = 10_000;
const CONCURRENCY = 24;
/** Fixed so a failure reproduces; override with FUZZ_SEED to explore. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);

interface Sample {
  headers: Record<string, string>;
  /** Raw bytes on the wire: usually JSON, sometimes not. */
  body: string;
}

interface Answer {
  status: number;
  body: unknown;
}

/** One request over a shared keep-alive agent; the raw body is sent as is. */
function send(agent: Agent, url: URL, path: string, sample: Sample): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { ...sample.headers, 'content-length': Buffer.byteLength(sample.body) } },
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
          resolve({ status: res.statusCode ?? 0, body });
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

const contentTypes = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Record<string, string>>({ 'content-type': 'application/json' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>({}, { 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'application/json; charset=latin1' }),
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

describe('fuzzing the action endpoints (fast-check, real HTTP, core on the sandbox)', function () {
  this.timeout(120_000);
  let admin: Redis;
  let set: ReplicaSet;
  let agent: Agent;
  let conversationIds: string[];

  before(async () => {
    admin = await requireSharedRedis();
    set = await startReplicaSet({ count: 1, redisUrl: SHARED_REDIS_URL, keyPrefix: uniquePrefix('fuzz'), deadlineMs: 10_000 });
    // Many conversations: valid bodies for one conversation serialise on its idempotency key.
    conversationIds = [...Object.values(set.sandbox.scenarios), ...Array.from({ length: 300 }, () => set.newConversation())];
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
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
      const url = new URL(set.replicas[0]!.url);
      const failures: string[] = [];
      const statuses: Record<number, number> = {};
      let next = 0;
      const worker = async () => {
        while (next < samples.length) {
          const sample = samples[next++]!;
          const answer = await send(agent, url, contract.path, sample);
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          const problems = problemsOf(answer);
          if (problems.length > 0 && failures.length < 10) {
            failures.push(`${problems.join(', ')}: ${JSON.stringify(sample)} -> ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      console.log(`      ${contract.path}: ${JSON.stringify(statuses)}`);
      assert.deepEqual(failures, [], `seed ${SEED}`);
      // The fuzzer reached core, not only the validator.
      assert.ok((statuses[200] ?? 0) > 0, 'some bodies validated and ran');
    });
  }
});
