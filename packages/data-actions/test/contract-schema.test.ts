import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { z } from 'zod';
import { actionContract, optionalInput, type ActionContract } from '@baton/core';
import { DataActionsError, generateActions, toInputSchema, toOutputSchema } from '../src/index.js';

type Props = Record<string, Record<string, unknown>>;

function contractWith(input: z.ZodType, output: z.ZodType = z.object({ ok: z.boolean() })): ActionContract {
  return {
    id: 'handoff',
    path: '/v1/test',
    title: 'Test',
    description: 'A test contract',
    input,
    output,
    writes: false,
  };
}

function assertUnsupported(fn: () => unknown, mentions: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DataActionsError);
    assert.equal(error.code, 'contract_unsupported');
    assert.match(error.message, mentions);
    return true;
  });
}

describe('contract schemas (zod → draft-04, Architect rules)', () => {
  it('when an action takes a mode, then its description labels api mode experimental and points the flow to waitMessage', () => {
    for (const id of ['handoff', 'hand-to-queue'] as const) {
      const mode = (toInputSchema(actionContract(id)).properties as Props).mode;
      assert.match(String(mode?.description), /'api' \(EXPERIMENTAL/, id);
      assert.match(String(mode?.description), /send waitMessage with the flow's own Send Response/, id);
    }
  });

  it('when an input is a union of boolean and "true"/"false", then the contract declares a boolean', () => {
    const props = toInputSchema(actionContract('transcript')).properties as Props;
    assert.deepEqual(props.mask?.type, 'boolean');
    assert.equal(props.mask?.anyOf, undefined);
  });

  it('when an input is optional, then "" is not refused by a pattern (optionalInput treats "" as absent)', () => {
    const schema = toInputSchema(actionContract('assess-intent'));
    const props = schema.properties as Props;
    assert.equal(typeof props.conversationId?.pattern, 'string', 'a required id keeps its pattern');
    assert.equal(props.botFlowId?.pattern, undefined);
    assert.deepEqual(schema.required, ['conversationId']);
    assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
  });

  it("when an output is an integer, then zod's ±MAX_SAFE_INTEGER bounds are dropped", () => {
    const props = toOutputSchema(actionContract('transcript')).properties as Props;
    assert.deepEqual(props.messageCount, { type: 'integer', description: 'Messages included' });
  });

  it('when an input is an array, then generation fails naming the input', () => {
    assertUnsupported(
      () => toInputSchema(contractWith(z.object({ ids: z.array(z.string()) }))),
      /input "ids".*flat scalars/,
    );
  });

  it('when an input is a nested object, then generation fails', () => {
    assertUnsupported(
      () => toInputSchema(contractWith(z.object({ who: z.object({ id: z.string() }) }))),
      /input "who"/,
    );
  });

  it('when an input name breaks the validator pattern or is reserved, then generation fails', () => {
    assertUnsupported(() => toInputSchema(contractWith(z.object({ '1st': z.string() }))), /input name "1st"/);
    assertUnsupported(() => toInputSchema(contractWith(z.object({ rawRequest: z.string() }))), /reserved/);
    assertUnsupported(() => toInputSchema(contractWith(z.object({ orgId: z.string() }))), /reserved/);
  });

  it('when an output nests an object or an array of arrays, then generation fails', () => {
    const input = z.object({ a: z.string() });
    assertUnsupported(
      () => toOutputSchema(contractWith(input, z.object({ queue: z.object({ id: z.string() }) }))),
      /output "queue"/,
    );
    assertUnsupported(
      () => toOutputSchema(contractWith(input, z.object({ grid: z.array(z.array(z.number())) }))),
      /output "grid"/,
    );
    assertUnsupported(
      () => toOutputSchema(contractWith(input, z.object({ rawResult: z.string() }))),
      /shadow/,
    );
  });

  it('when an output is an array of scalars, then it is kept (Architect collections)', () => {
    const schema = toOutputSchema(
      contractWith(z.object({ a: z.string() }), z.object({ tags: z.array(z.string()) })),
    );
    assert.deepEqual((schema.properties as Props).tags, { type: 'array', items: { type: 'string' } });
  });

  it('when a number input does not coerce text, then generation fails (templates send every input as a JSON string)', () => {
    const strict = contractWith(
      z.object({ conversationId: z.string(), priority: optionalInput(z.number()) }),
    );
    assert.throws(
      () => generateActions({ baseUrl: 'https://baton.example.com', auth: 'apikey', contracts: [strict] }),
      (e: unknown) =>
        e instanceof DataActionsError &&
        e.code === 'contract_unsupported' &&
        /priority.*z\.coerce/.test(e.message),
    );
  });
});
