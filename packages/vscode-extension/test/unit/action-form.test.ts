import * as assert from 'node:assert/strict';
import { actionContract } from '@baton/core';
import { generateActions } from '@baton/data-actions';
import { actionInputFields, parseFieldValue } from '../../src/model/action-form.js';

describe('data action input form', () => {
  const generated = generateActions({ baseUrl: 'https://bridge.example.com', auth: 'basic' }).actions;
  const handoff = generated.find((a) => a.id === 'handoff')!.definition;

  it('offers one field per input of the contract generated from core', () => {
    const fields = actionInputFields(handoff);
    const contractKeys = Object.keys(actionContract('handoff').input.shape).sort();
    assert.deepEqual(fields.map((f) => f.name).sort(), contractKeys);
    assert.equal(fields.find((f) => f.name === 'conversationId')?.required, true);
  });

  it('parses typed values and treats empty optional fields as not set', () => {
    const field = { name: 'priority', type: 'integer' as const, required: false, description: '' };
    assert.deepEqual(parseFieldValue(field, '7'), { value: 7 });
    assert.deepEqual(parseFieldValue(field, ''), { unset: true });
    assert.ok('error' in parseFieldValue(field, '7.5'));
    assert.ok('error' in parseFieldValue({ ...field, required: true }, ' '));
    assert.deepEqual(parseFieldValue({ ...field, type: 'boolean' }, 'true'), { value: true });
    assert.ok('error' in parseFieldValue({ ...field, type: 'string', enum: ['flow', 'api'] }, 'x'));
  });
});
