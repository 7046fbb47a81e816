import assert from 'node:assert/strict';
import { errorFromAnswer, errorFromNetwork, type FailedCall } from '../../src/genesys/genesys-error.js';
import { resolveTarget } from '../../src/genesys/target.js';

const call = (over: Partial<FailedCall> = {}): FailedCall => ({
  route: 'getRoutingQueue',
  method: 'GET',
  path: '/api/v2/routing/queues/q-1',
  resources: [{ kind: 'queue', id: 'q-1' }],
  target: resolveTarget({ region: 'eu_west_1' }),
  clientId: 'client-123',
  ...over,
});

describe('Genesys error bodies become typed errors', () => {
  it('400 names the field from ErrorBody.details[].fieldName', () => {
    const e = errorFromAnswer(call({ route: 'postConversationParticipantReplaceQueue', method: 'POST' }), {
      status: 400,
      body: { code: 'bad.request', message: 'Invalid value', details: [{ errorCode: 'invalid', fieldName: 'queueId' }] },
      contextId: 'ctx-1',
    });
    assert.equal(e.code, 'genesys_bad_request');
    assert.match(e.message, /field "queueId"/);
    assert.deepEqual(e.facts, { route: 'postConversationParticipantReplaceQueue', upstreamStatus: 400, genesysCode: 'bad.request', contextId: 'ctx-1' });
  });

  it('400 names the field from the message when details do not', () => {
    const e = errorFromAnswer(call(), { status: 400, body: { message: "The field 'paging.pageSize' must be at most 100" } });
    assert.match(e.message, /field "paging\.pageSize"/);
  });

  it('401 points at the credentials and the region', () => {
    const e = errorFromAnswer(call(), { status: 401, body: { code: 'bad.credentials', message: 'Invalid login credentials.' } });
    assert.equal(e.code, 'genesys_unauthorized');
    assert.match(e.message, /client-123/);
    assert.match(e.message, /eu_west_1/);
  });

  it('403 lists the permissions the call needs', () => {
    const e = errorFromAnswer(call({ route: 'postConversationParticipantReplaceQueue', method: 'POST' }), {
      status: 403,
      body: { code: 'missing.any.permissions', message: 'Unable to perform the requested action.' },
    });
    assert.equal(e.code, 'genesys_forbidden');
    assert.match(e.message, /conversation:communication:blindTransferQueue/);
    assert.match(e.message, /conversation:communication:blindTransfer\b/);
  });

  it('404 names the resource and id (the caller\'s id was wrong)', () => {
    const e = errorFromAnswer(call(), { status: 404, body: { code: 'not.found', message: 'The requested operation failed with status 404' } });
    assert.equal(e.code, 'genesys_not_found');
    assert.match(e.message, /queue with id q-1/);
  });

  it('404 prefers the entity Genesys names among several ids', () => {
    const e = errorFromAnswer(
      call({ resources: [{ kind: 'conversation', id: 'c-1' }, { kind: 'participant', id: 'p-1' }] }),
      { status: 404, body: { code: 'not.found', details: [{ entityId: 'p-1' }] } },
    );
    assert.match(e.message, /participant with id p-1/);
    assert.doesNotMatch(e.message, /c-1/);
  });

  it('429 says how long Genesys asked to wait', () => {
    const e = errorFromAnswer(call(), { status: 429, retryAfterSeconds: 42, body: { code: 'too.many.requests.retry.after' } }, 'Not retried: the wait is longer than the 30 s cap.');
    assert.equal(e.code, 'genesys_rate_limited');
    assert.match(e.message, /42 s/);
    assert.equal(e.facts.retryAfterSeconds, 42);
  });

  it('409 is a conflict; 5xx and network errors are unavailable', () => {
    assert.equal(errorFromAnswer(call(), { status: 409 }).code, 'genesys_conflict');
    assert.equal(errorFromAnswer(call(), { status: 503 }).code, 'genesys_unavailable');
    const net = errorFromNetwork(call(), Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }));
    assert.equal(net.code, 'genesys_unavailable');
    assert.equal(net.facts.upstreamStatus, 0);
    assert.match(net.message, /ECONNRESET/);
  });
});
