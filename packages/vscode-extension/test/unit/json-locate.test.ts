import * as assert from 'node:assert/strict';
import { locateJsonPointer, positionAt } from '../../src/model/json-locate.js';

const text = `{
  "scenarios": [
    {
      "name": "a",
      "expect": { "queue": "Billing", "transcript": { "contains": ["x", "y"] } }
    }
  ]
}`;

describe('locating a JSON pointer in a scenario file', () => {
  it('finds a property with its key', () => {
    const span = locateJsonPointer(text, '/scenarios/0/expect/queue');
    assert.equal(text.slice(span.offset, span.offset + span.length), '"queue": "Billing"');
    assert.deepEqual(positionAt(text, span.offset), { line: 4, character: 18 });
  });

  it('finds an array element', () => {
    const span = locateJsonPointer(text, '/scenarios/0/expect/transcript/contains/1');
    assert.equal(text.slice(span.offset, span.offset + span.length), '"y"');
  });

  it('falls back to the nearest existing ancestor', () => {
    const span = locateJsonPointer(text, '/scenarios/0/expect/priority');
    assert.ok(text.slice(span.offset, span.offset + span.length).startsWith('"expect": {'));
  });
});
