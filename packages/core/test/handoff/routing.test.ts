import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { BatonError } from '../../src/errors.js';
import { chooseRoute, parseRoutingTable } from '../../src/handoff/routing.js';

const QUEUE = '0b7c8a4e-5f1d-4e2a-9c3b-6d8e7f9a1b2c';

const GOOD = `{
  "default": { "queueName": "General", "priority": 4 },
  "routes": [
    { "intent": "CancelOrder", "queueName": "Returns", "priority": 7 },
    { "intent": "Refund", "exitReason": "AgentRequestedByUser", "queueId": "${QUEUE}", "priority": 9 },
    { "exitReason": "RecognitionFailure", "queueName": "Support" }
  ]
}
`;

function problemOf(text: string): string {
  try {
    parseRoutingTable(text, 'routing.json');
  } catch (error) {
    assert.ok(error instanceof BatonError);
    assert.equal(error.code, 'configuration_invalid');
    return error.message;
  }
  assert.fail('expected the routing file to be refused');
}

describe('handoff/routing (the routing table)', () => {
  it('the first matching entry wins (intent case-insensitive, an entry naming both needs both); else the default', () => {
    const table = parseRoutingTable(GOOD, 'routing.json');
    const cancel = chooseRoute(table, { intent: 'cancelorder' });
    assert.deepEqual(cancel?.target.queue, { name: 'Returns' });
    assert.equal(cancel?.target.priority, 7);
    assert.equal(cancel?.target.where, 'routes/0 (line 4)');
    assert.equal(chooseRoute(table, { intent: 'Refund', exitReason: 'AgentRequestedByUser' })?.target.where, 'routes/1 (line 5)');
    const refundOnly = chooseRoute(table, { intent: 'Refund' });
    assert.deepEqual([refundOnly?.matched, refundOnly?.target.where], [false, 'default (line 2)']);
    assert.deepEqual(chooseRoute(table, { intent: 'NOT_SET', exitReason: 'RecognitionFailure' })?.target.queue, { name: 'Support' });
    assert.equal(chooseRoute(undefined, { intent: 'x' }), undefined);
  });

  it('a bad entry stops with its JSON pointer and line', () => {
    const text = GOOD.replace('"priority": 9', '"priority": 11').replace('"queueName": "Support"', '"queueName": "Support", "queueId": "' + QUEUE + '"');
    const message = problemOf(text);
    assert.match(message, /Invalid routing file routing\.json: /);
    assert.match(message, /\/routes\/1\/priority \(line 5\): /);
    assert.match(message, /\/routes\/2 \(line 6\): an entry needs exactly one of queueId and queueName/);
  });

  it('an entry without intent or exit reason, an unknown key, NOT_SET as an intent and a bad queue id are refused', () => {
    assert.match(problemOf('{"routes":[\n{"queueName":"A"}]}'), /\/routes\/0 \(line 2\): an entry needs an intent, an exitReason or both/);
    assert.match(problemOf('{"routes":[],\n"defualt":{}}'), /\(line 1\).*defualt/);
    assert.match(problemOf('{"routes":[\n\n{"intent":"NOT_SET","queueName":"A"}]}'), /\/routes\/0\/intent \(line 3\): NOT_SET is no intent/);
    assert.match(problemOf('{"routes":[{"intent":"a",\n"queueId":"not-a-uuid"}]}'), /\/routes\/0\/queueId \(line 2\)/);
  });

  it('text that is not JSON stops with the line of the syntax error', () => {
    assert.match(problemOf('{\n  "routes": [\n    { "intent": "a", }\n  ]\n}'), /line 3: not JSON/);
  });
});
