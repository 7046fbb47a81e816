import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { BatonError, causeChain, describeError, GenesysApiError, systemErrorCode } from '../src/errors.js';

describe('errors', () => {
  it('describeError: code and message, with the Genesys contextId when there is one; plain errors as they are', () => {
    assert.equal(describeError(new BatonError('state_unavailable', 'Redis is down.')), 'state_unavailable: Redis is down.');
    assert.equal(
      describeError(new GenesysApiError('genesys_conflict', 'Refused.', { route: 'r', upstreamStatus: 409, contextId: 'ctx-1' })),
      'genesys_conflict: Refused. (Genesys contextId ctx-1)',
    );
    assert.equal(
      describeError(new BatonError('handoff_incomplete', 'Half done.', { details: { contextId: 'ctx-2' } })),
      'handoff_incomplete: Half done. (Genesys contextId ctx-2)',
    );
    assert.equal(describeError(Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED: connect refused');
    assert.equal(describeError(new TypeError('x is not a function')), 'x is not a function');
    assert.equal(describeError('thrown text'), 'thrown text');
  });

  it('causeChain walks error -> cause -> cause, and ends at a non-error, a cycle or 8 links', () => {
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const fetchFailed = new TypeError('fetch failed', { cause: root });
    const wrapped = new BatonError('genesys_unavailable', 'Could not reach Genesys', { cause: fetchFailed });
    assert.deepEqual([...causeChain(wrapped)], [wrapped, fetchFailed, root]);
    assert.deepEqual([...causeChain('not an error')], []);

    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    assert.deepEqual([...causeChain(a)], [a, b]);

    let deep: Error = new Error('0');
    for (let i = 1; i < 20; i += 1) deep = new Error(String(i), { cause: deep });
    assert.equal([...causeChain(deep)].length, 8);
  });

  it('systemErrorCode finds the system code fetch hides in its cause, and ignores our own lower-case codes', () => {
    const fetchFailed = new TypeError('fetch failed', { cause: Object.assign(new Error('timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) });
    assert.equal(systemErrorCode(new BatonError('genesys_unavailable', 'x', { cause: fetchFailed })), 'UND_ERR_CONNECT_TIMEOUT');
    assert.equal(systemErrorCode(new Error('plain')), undefined);
  });
});
