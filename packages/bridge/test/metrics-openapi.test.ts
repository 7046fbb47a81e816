import assert from 'node:assert/strict';
import request from 'supertest';
import { actionContracts } from '@baton/core';
import { createMetrics } from '../src/metrics.js';
import { buildOpenApiDocument } from '../src/openapi.js';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

describe('GET /metrics', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('counts handoffs by outcome, upstream calls by route and status, and latencies', async () => {
    const sc = h.sandbox.scenarios;
    await request(h.url).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).send({ conversationId: sc.lowConfidence });
    await request(h.url).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).send({ conversationId: sc.highConfidence });
    await request(h.url).post('/v1/actions/handoff').set('X-API-Key', CREDS.apiKey).send({ conversationId: 'bad' });
    const res = await request(h.url).get('/metrics').set('X-API-Key', CREDS.apiKey);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type']!, /text\/plain/);
    assert.match(res.text, /baton_actions_total\{action="handoff",outcome="ready_for_transfer"\} 1/);
    assert.match(res.text, /baton_actions_total\{action="handoff",outcome="bot_keeps"\} 1/);
    assert.match(res.text, /baton_actions_total\{action="handoff",outcome="validation_failed"\} 1/);
    assert.match(res.text, /baton_upstream_calls_total\{route="getConversationsMessage",status="200"\} [1-9]/);
    assert.match(res.text, /baton_action_duration_seconds_bucket\{le="[^"]+",action="handoff",outcome="bot_keeps"\}/);
    assert.match(res.text, /baton_upstream_call_duration_seconds_count\{route="getConversationsMessage"\}/);
    assert.match(res.text, /baton_http_requests_total\{route="\/v1\/actions\/handoff",method="POST",status="200"\} 2/);
  });

  it('uses a registry per app: two bridges in one process do not share counters', () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.recordAction('handoff', 'bot_keeps', 0.1);
    assert.notEqual(a.registry, b.registry);
    return b.registry.getSingleMetricAsString('baton_actions_total').then((text) => assert.doesNotMatch(text, /bot_keeps/));
  });
});

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with one POST per action contract, generated from the zod contracts', () => {
    const doc = buildOpenApiDocument() as {
      openapi: string;
      paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }>;
      components: { schemas: Record<string, { properties: Record<string, { type?: string; enum?: string[] }>; required?: string[] }> };
    };
    assert.equal(doc.openapi, '3.1.0');
    for (const action of actionContracts) {
      const op = doc.paths[action.path]?.post;
      assert.ok(op, action.path);
      const ref = op.requestBody.content['application/json']!.schema.$ref.split('/').pop()!;
      const input = doc.components.schemas[ref]!;
      assert.deepEqual(Object.keys(input.properties).sort(), Object.keys(action.input.shape).sort());
      assert.ok(input.required?.includes('conversationId'));
    }
    const handoffOut = doc.components.schemas.HandoffOutput!;
    assert.deepEqual(handoffOut.properties.status!.enum, ['ready_for_transfer', 'transferred', 'transfer_unconfirmed', 'bot_keeps', 'already_handed_off']);
    // Request bodies use the input side: a coerced number is a number, an optional input is optional.
    assert.equal(doc.components.schemas.HandoffInput!.properties.priority!.type, 'integer');
    assert.ok(!doc.components.schemas.HandoffInput!.required!.includes('priority'));
    assert.ok(doc.paths['/oauth/token'] && doc.paths['/healthz'] && doc.paths['/readyz']);
  });

  it('is served behind auth', async () => {
    const h = await startHarness();
    try {
      const res = await request(h.url).get('/openapi.json').set('X-API-Key', CREDS.apiKey);
      assert.equal(res.status, 200);
      assert.equal(res.body.openapi, '3.1.0');
    } finally {
      await h.close();
    }
  });
});
