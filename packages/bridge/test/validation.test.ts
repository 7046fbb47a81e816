import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

describe('request validation (no body shape produces a 5xx)', () => {
  let h: Harness;
  let conversationId: string;
  const post = (path: string) => request(h.url).post(path).set('X-API-Key', CREDS.apiKey);

  before(async () => {
    h = await startHarness({ env: { BATON_MAX_BODY_BYTES: '2048' } });
    conversationId = h.sandbox.scenarios.highConfidence;
  });
  after(() => h.close());

  it('when a required field is missing, then 400 validation_failed naming it', async () => {
    const res = await post('/v1/actions/handoff').send({});
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'validation_failed');
    assert.deepEqual(res.body.issues.map((i: { field: string }) => i.field), ['conversationId']);
    assert.match(res.body.message, /conversationId/);
  });

  it('when fields have the wrong type or range, then each is named with what was expected', async () => {
    const res = await post('/v1/actions/handoff').send({ conversationId: 'not-a-uuid', priority: '11', mode: 'queue', confidence: 'high' });
    assert.equal(res.status, 400);
    const fields = res.body.issues.map((i: { field: string }) => i.field).sort();
    assert.deepEqual(fields, ['confidence', 'conversationId', 'mode', 'priority']);
    const conv = res.body.issues.find((i: { field: string }) => i.field === 'conversationId');
    assert.match(conv.problem, /UUID/);
  });

  it('when numbers and booleans come as strings and optional fields as "" (Genesys templates), then they are accepted', async () => {
    const res = await post('/v1/actions/assess-intent').send({ conversationId, confidence: '0.42', intent: 'X', threshold: '', botFlowId: '' });
    assert.equal(res.status, 200);
    assert.equal(res.body.confidence, 0.42);
    assert.equal(res.body.threshold, 0.7);
  });

  it('when the body is not valid JSON, then 400 naming the body', async () => {
    const res = await post('/v1/actions/handoff').set('Content-Type', 'application/json').send('{"conversationId": ');
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'validation_failed');
    assert.equal(res.body.issues[0].field, '(body)');
    assert.match(res.body.message, /not valid JSON/);
    assert.ok(!res.text.includes('conversationId'), 'the answer does not echo the body');
  });

  it('when the body is a JSON array or a scalar, then 400 expecting an object', async () => {
    for (const body of ['[1,2]', '"text"', '42', 'null']) {
      const res = await post('/v1/actions/transcript').set('Content-Type', 'application/json').send(body);
      assert.equal(res.status, 400, body);
      assert.equal(res.body.issues[0].field, '(body)', body);
    }
  });

  it('when there is no body at all, then 400 naming the required field rather than a crash', async () => {
    const res = await post('/v1/actions/transcript');
    assert.equal(res.status, 400);
    assert.equal(res.body.issues[0].field, 'conversationId');
  });

  it('when a field is a nested object or array (Architect inputs are flat scalars), then 400 naming it', async () => {
    const res = await post('/v1/actions/handoff').send({ conversationId, intent: { name: 'x' }, priority: [1] });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.issues.map((i: { field: string }) => i.field).sort(), ['intent', 'priority']);
  });

  it('when the Content-Type is declared and not JSON, then 415', async () => {
    const res = await post('/v1/actions/handoff').set('Content-Type', 'text/plain').send('conversationId=1');
    assert.equal(res.status, 415);
    assert.equal(res.body.code, 'unsupported_media_type');
  });

  it('when the body is larger than BATON_MAX_BODY_BYTES, then 413', async () => {
    const res = await post('/v1/actions/handoff').send({ conversationId, intent: 'x'.repeat(5000) });
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 'payload_too_large');
  });

  it('when unknown fields are sent, then they are ignored and their names logged', async () => {
    const res = await post('/v1/actions/assess-intent').send({ conversationId, intent: 'X', confidence: 0.9, extra: 'value', rawRequest: 1 });
    assert.equal(res.status, 200);
    assert.ok(!('extra' in res.body));
    const line = h.logs.lines().findLast((l) => l.msg === 'request' && l.action === 'assess-intent');
    assert.deepEqual(line?.ignoredFields, ['extra', 'rawRequest']);
  });

  it('when the body carries __proto__ / constructor keys, then they are ignored and pollute nothing', async () => {
    const res = await post('/v1/actions/assess-intent')
      .set('Content-Type', 'application/json')
      .send(`{"conversationId":"${conversationId}","intent":"X","confidence":0.9,"__proto__":{"polluted":true,"threshold":0},"constructor":{"prototype":{"polluted":true}}}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.threshold, 0.7);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('when an action is called with GET, then 405 with Allow: POST', async () => {
    const res = await request(h.url).get('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey);
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'POST');
    assert.equal(res.body.code, 'method_not_allowed');
  });

  it('when the route does not exist, then a JSON 404 (after authentication)', async () => {
    const res = await request(h.url).post('/v1/actions/nope').set('X-API-Key', CREDS.apiKey).send({});
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
    const anonymous = await request(h.url).post('/v1/actions/nope').send({});
    assert.equal(anonymous.status, 401);
  });

  it('property: for any JSON body on any action, the answer is never a 5xx', async () => {
    const scalar = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(''), fc.constantFrom(conversationId, '0.5', 'api', 'flow', 'true'));
    const field = fc.constantFrom('conversationId', 'intent', 'confidence', 'threshold', 'queueId', 'priority', 'mode', 'maxChars', 'mask', 'budgetMs', 'transcript', '__proto__', 'x');
    const body = fc.oneof(
      fc.dictionary(field, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.dictionary(fc.string(), scalar, { maxKeys: 2 }))),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const path = fc.constantFrom('/v1/actions/assess-intent', '/v1/actions/transcript', '/v1/actions/hand-to-queue', '/v1/actions/handoff');
    await fc.assert(
      fc.asyncProperty(path, body, async (p, b) => {
        const res = await post(p).set('Content-Type', 'application/json').send(JSON.stringify(b));
        assert.ok(res.status < 500, `${p} ${JSON.stringify(b)} -> ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(typeof res.body, 'object');
      }),
      { numRuns: 120 },
    );
  });
});
