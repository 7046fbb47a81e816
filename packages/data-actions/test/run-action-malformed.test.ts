import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import fc from 'fast-check';
import { generateActions, operationNames, runDataAction, type DataActionDefinition, type TestExecutionResult } from '../src/index.js';
import { startTargetServer, type TargetServer } from './helpers/target-server.js';

/** Runs of the property below; modest by default (40), BATON_RUNTIME_FUZZ_RUNS=2000 explores longer. */
const RUNS = runs(process.env.BATON_RUNTIME_FUZZ_RUNS, 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);

function runs(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BATON_RUNTIME_FUZZ_RUNS: expected a whole number, got "${value.slice(0, 20)}"`);
  return n;
}

const conversationId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const apiKey = 'key-Sup3rSecret-value';
const credentials = { type: 'userDefined' as const, fields: { apiKey } };

/** A failed run names the field at fault in its failing operation's details. */
function failedField(result: TestExecutionResult): string | undefined {
  assert.equal(result.success, false, JSON.stringify(result).slice(0, 400));
  return result.error?.details?.[0]?.fieldName;
}

describe('runDataAction with malformed definitions, templates and inputs (a failed run naming the field, never an exception)', () => {
  let target: TargetServer;
  let base: DataActionDefinition;

  before(async () => {
    target = await startTargetServer();
    base = structuredClone(generateActions({ baseUrl: target.baseUrl, auth: 'apikey', allowInsecure: true }).actions.find((a) => a.id === 'handoff')!.definition);
    // The web service's answer as it is: the handoff's own translation map needs the bridge's whole output.
    base.config.response.translationMap = {};
    base.config.response.translationMapDefaults = {};
    base.config.response.successTemplate = '${rawResult}';
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.json({ status: 'bot_keeps', message: 'ok' });
    });
    // A web service answering JSON nested deeper than the stack can walk.
    target.on('POST', '/deep', (_req, res) => {
      res.type('application/json').send('['.repeat(20_000) + ']'.repeat(20_000));
    });
  });
  after(() => target.close());

  const withChanges = (change: (a: DataActionDefinition) => void): DataActionDefinition => {
    const action = structuredClone(base);
    change(action);
    return action;
  };

  it('when the web service answers JSON nested past the stack, then the run fails with a result, not a RangeError', async () => {
    const action = withChanges((a) => {
      a.config.request.requestUrlTemplate = `${target.baseUrl}/deep`;
    });
    const result = await runDataAction({ action, input: { conversationId }, credentials });
    assert.equal(result.success, false);
    assert.match(result.error!.message, /nested too deeply/);
    // Redaction still held: no operation result is reported unredacted.
    assert.ok(!JSON.stringify(result).includes(apiKey));
  });

  it('when the input is not a JSON object (null, an array), then "Validate input" fails naming the input (was a TypeError)', async () => {
    for (const input of [null, [conversationId], undefined]) {
      const result = await runDataAction({ action: base, input: input as unknown as Record<string, unknown>, credentials });
      assert.equal(failedField(result), 'input');
      assert.equal(result.operations.at(-1)!.name, operationNames.validateInput);
      assert.equal(target.received.filter((r) => r.path === '/v1/actions/handoff').length, 0);
    }
  });

  it('when a contract schema is not a valid draft-04 schema, then the failure names that contract field', async () => {
    const input = await runDataAction({ action: withChanges((a) => (a.contract.input.inputSchema = { type: 'nope' })), input: { conversationId }, credentials });
    assert.equal(failedField(input), 'contract.input.inputSchema');
    assert.match(input.error!.message, /^contract\.input\.inputSchema is not a valid JSON Schema/);
    const output = await runDataAction({ action: withChanges((a) => (a.contract.output.successSchema = { type: 5 })), input: { conversationId }, credentials });
    assert.equal(failedField(output), 'contract.output.successSchema');
  });

  it('when a template does not render or the success template is not JSON, then the failure names the template', async () => {
    const cases: [string, (a: DataActionDefinition) => void][] = [
      ['requestUrlTemplate', (a) => (a.config.request.requestUrlTemplate = '#if(')],
      ['requestUrlTemplate', (a) => (a.config.request.requestUrlTemplate = 'not a url')],
      ['requestTemplate', (a) => (a.config.request.requestTemplate = '#foreach(')],
      ['requestTemplate', (a) => (a.config.request.requestTemplate = '#macro(a)#a()#end#a()')],
      ['successTemplate', (a) => (a.config.response.successTemplate = '#end')],
      ['successTemplate', (a) => (a.config.response.successTemplate = 'nope')],
    ];
    for (const [field, change] of cases) {
      const result = await runDataAction({ action: withChanges(change), input: { conversationId }, credentials });
      assert.equal(failedField(result), field, result.error?.message);
      assert.match(result.error!.message, new RegExp(field));
    }
  });

  it(`${RUNS} random templates, translation maps and inputs: every run returns a result, a failure with a message and its operation`, async () => {
    const fragment = fc.constantFrom('$input.conversationId', '${input.x}', '$!input.y', '#if($input.a)', '#else', '#end', '#foreach($i in $input.list)$i#end', '#set($x = ', '$esc.jsonString($input.conversationId)', '$math.add(1,', '${', '}', '#', '$', '"', '{', '[', '\\', '$input.rawRequest', '#macro(m)#m()#end#m()', '$rawResult', '${queueId}');
    const template = fc.array(fc.oneof(fragment, fc.string({ maxLength: 10 })), { maxLength: 6 }).map((parts) => parts.join(''));
    const jsonPath = fc.oneof(fc.constantFrom('$.status', '$.message', '$..*', '$[?(@.a==', '$.a[', '$[*]', 'status', '', '$', '$.x.y.z'), fc.string({ maxLength: 12 }));
    const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const change = fc.record(
      {
        url: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: template.map((t) => `${target.baseUrl}/v1/actions/handoff${t}`) }, { weight: 1, arbitrary: template }),
        body: fc.oneof(fc.constant(undefined), template),
        header: fc.oneof(fc.constant(undefined), template),
        success: fc.oneof(fc.constant(undefined), template, fc.constant('{"status": ${status}}')),
        map: fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom('status', 'message', 'x', '__proto__'), jsonPath, { maxKeys: 3 })),
        defaults: fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom('status', 'x'), fc.string({ maxLength: 8 }), { maxKeys: 2 })),
        input: fc.oneof(fc.dictionary(fc.constantFrom('conversationId', 'x', 'list', 'a', 'confidence'), fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 })), { maxKeys: 5 }), fc.constant({ conversationId })),
      },
      { requiredKeys: ['input'] },
    );
    const samples = fc.sample(change, { numRuns: RUNS, seed: SEED });
    const problems: string[] = [];
    for (const c of samples) {
      const action = withChanges((a) => {
        if (c.url !== undefined) a.config.request.requestUrlTemplate = c.url;
        if (c.body !== undefined) a.config.request.requestTemplate = c.body;
        if (c.header !== undefined) a.config.request.headers['X-Fuzz'] = c.header;
        if (c.success !== undefined) a.config.response.successTemplate = c.success;
        if (c.map !== undefined) a.config.response.translationMap = c.map;
        if (c.defaults !== undefined) a.config.response.translationMapDefaults = c.defaults;
      });
      let result: TestExecutionResult;
      try {
        result = await runDataAction({ action, input: c.input as Record<string, unknown>, credentials });
      } catch (e) {
        problems.push(`threw ${String(e)}: ${JSON.stringify(c).slice(0, 300)}`);
        continue;
      }
      if (!result.success && (!result.error?.message || result.operations.at(-1)?.success !== false)) problems.push(`failure without message or failing operation: ${JSON.stringify(c).slice(0, 300)}`);
      if (JSON.stringify(result).includes(apiKey)) problems.push(`secret in result: ${JSON.stringify(c).slice(0, 300)}`);
    }
    assert.deepEqual(problems, [], `seed ${SEED}`);
  });
});
