import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { applyTranslationMap, flattenOutput, TranslationError } from '../src/index.js';

const body = {
  id: 'h1',
  queue: { name: 'Sales', priority: null },
  items: [{ id: 1 }, { id: 2 }],
  tags: ['a'],
};

describe('translation map (JSONPath)', () => {
  it('when a definite path resolves, then the value is JSON text (strings keep quotes, objects stay JSON)', () => {
    assert.deepEqual(
      applyTranslationMap(body, { id: '$.id', queue: '$.queue', name: "$['queue']['name']" }, {}),
      {
        id: '"h1"',
        queue: '{"name":"Sales","priority":null}',
        name: '"Sales"',
      },
    );
  });

  it('when a path resolves to null, then the result is null and the default is NOT used (docs/genesys-facts.md#translation-maps)', () => {
    assert.deepEqual(applyTranslationMap(body, { p: '$.queue.priority' }, { p: '5' }), { p: 'null' });
  });

  it('when a path fails to resolve, then the default literal is used', () => {
    assert.deepEqual(applyTranslationMap(body, { q: '$.queue.missing' }, { q: '"General"' }), {
      q: '"General"',
    });
  });

  it('when an indefinite path matches one element or none, then the result is still an array (no default)', () => {
    assert.deepEqual(
      applyTranslationMap(
        body,
        { ids: '$.items[*].id', first: '$.items[?(@.id==1)].id', none: '$..nope' },
        { none: '"x"' },
      ),
      {
        ids: '[1,2]',
        first: '[1]',
        none: '[]',
      },
    );
  });

  it('when a path fails to resolve and has no default, then a TranslationError names the key and path', () => {
    assert.throws(
      () => applyTranslationMap(body, { queueId: '$.queue.id' }, {}),
      (e: unknown) =>
        e instanceof TranslationError &&
        e.key === 'queueId' &&
        /\$\.queue\.id did not resolve/.test(e.message),
    );
  });
});

describe('flattenOutput (format UNCONFIRMED, documented choice)', () => {
  it('when the output is flat, then it is unchanged', () => {
    assert.deepEqual(flattenOutput({ a: 1, b: 'x', c: [1, 2] }), { a: 1, b: 'x', c: [1, 2] });
  });

  it('when objects nest, then keys are dotted; arrays of objects become parallel arrays', () => {
    assert.deepEqual(
      flattenOutput({ q: { name: 'S', x: { y: true } }, rows: [{ id: 1, n: 'a' }, { id: 2 }] }),
      {
        'q.name': 'S',
        'q.x.y': true,
        'rows.id': [1, 2],
        'rows.n': ['a', null],
      },
    );
  });
});
