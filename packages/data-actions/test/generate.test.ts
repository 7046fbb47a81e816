import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { z } from 'zod';
import { actionContracts } from '@baton/core';
import {
  authModes,
  createVelocityTools,
  DataActionsError,
  generateActions,
  inputNamePattern,
  renderTemplate,
  reservedInputNames,
  type JsonSchema,
} from '../src/index.js';
import { newDraft04Ajv } from './helpers/draft04.js';

const baseUrl = 'https://baton.example.com';
const scalar = new Set(['string', 'integer', 'number', 'boolean']);
type Props = Record<string, JsonSchema>;

/** A value of the right type, full of characters that break unescaped JSON. */
function trickyValue(name: string, prop: JsonSchema): unknown {
  if (name === 'conversationId' || name === 'queueId' || name === 'botFlowId')
    return '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
  // The slots are name=value pairs as text: tricky characters inside one of its values.
  if (name === 'slots') return 'note=He said "hi"\\ \n\ttab ${input.x} $esc #set é%3B;n=1';
  if (prop.type === 'boolean') return true;
  if (prop.type === 'integer') return (prop.minimum as number | undefined) ?? 3;
  if (prop.type === 'number') return 0.5;
  if (Array.isArray(prop.enum)) return prop.enum[prop.enum.length - 1];
  return 'He said "hi"\\ \n\ttab ${input.x} $esc #set é';
}

describe('generateActions', () => {
  for (const auth of authModes) {
    describe(`auth ${auth}`, () => {
      const generated = generateActions({ baseUrl, auth });

      it('when generated, then there is one custom action per bridge endpoint, with a stable file name', () => {
        assert.deepEqual(
          generated.actions.map((a) => [a.id, a.fileName, a.definition.config.request.requestUrlTemplate]),
          actionContracts.map((c) => [c.id, `baton-${c.id}.custom.json`, `${baseUrl}${c.path}`]),
        );
        for (const { definition } of generated.actions) {
          assert.equal(definition.integrationType, 'custom-rest-actions');
          assert.equal(definition.actionType, 'custom');
          assert.equal(definition.config.request.requestType, 'POST');
          assert.equal(definition.config.timeoutSeconds, undefined);
        }
      });

      it('when generated, then every contract is draft-04 that ajv-draft-04 accepts, inputs are flat scalars with valid names, outputs flat', () => {
        const ajv = newDraft04Ajv();
        for (const { id, definition } of generated.actions) {
          const { inputSchema } = definition.contract.input;
          const { successSchema } = definition.contract.output;
          for (const schema of [inputSchema, successSchema]) {
            assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#', id);
            assert.equal(ajv.validateSchema(schema), true, `${id}: ${ajv.errorsText(ajv.errors)}`);
            ajv.compile(schema);
          }
          for (const [name, prop] of Object.entries(inputSchema.properties as Props)) {
            assert.match(name, inputNamePattern, `${id}.${name}`);
            assert.ok(!reservedInputNames.includes(name));
            assert.ok(scalar.has(prop.type as string), `${id} input ${name} is ${String(prop.type)}`);
          }
          for (const [name, prop] of Object.entries(successSchema.properties as Props)) {
            const items = prop.items as JsonSchema | undefined;
            assert.ok(
              scalar.has(prop.type as string) || (prop.type === 'array' && scalar.has(items?.type as string)),
              `${id} output ${name}`,
            );
          }
        }
      });

      it('when the request template renders tricky inputs, then the body is JSON that the core contract parses back to the same values', () => {
        for (const contract of actionContracts) {
          const { definition } = generated.actions.find((a) => a.id === contract.id)!;
          const props = definition.contract.input.inputSchema.properties as Props;
          // Optional enums are plain strings in the data-action contract ("" means unset), so the
          // allowed values come from the zod schema itself.
          const zodProps = (z.toJSONSchema(contract.input, { io: 'input' }) as { properties: Props })
            .properties;
          const input = Object.fromEntries(
            Object.entries(props).map(([k, p]) => [k, trickyValue(k, { ...p, enum: zodProps[k]?.enum })]),
          );
          const body = renderTemplate(definition.config.request.requestTemplate, {
            ...createVelocityTools(),
            input,
          });
          const parsed = contract.input.parse(JSON.parse(body));
          assert.deepEqual(parsed, input, contract.id);
        }
      });

      it('when optional inputs are unset, then the body still parses and they come out absent', () => {
        for (const contract of actionContracts) {
          const { definition } = generated.actions.find((a) => a.id === contract.id)!;
          const input = { conversationId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' };
          const body = renderTemplate(definition.config.request.requestTemplate, {
            ...createVelocityTools(),
            input,
          });
          const parsed = contract.input.parse(JSON.parse(body)) as Record<string, unknown>;
          const present = Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined));
          assert.deepEqual(present, input, contract.id);
        }
      });

      it("when a translation default is used, then it is a JSON literal of the output's type, and enums have none", () => {
        const ajv = newDraft04Ajv();
        for (const { id, definition } of generated.actions) {
          const props = definition.contract.output.successSchema.properties as Props;
          const { translationMap, translationMapDefaults, successTemplate } = definition.config.response;
          assert.deepEqual(Object.keys(translationMap), Object.keys(props), id);
          for (const [key, literal] of Object.entries(translationMapDefaults)) {
            const prop = props[key] as JsonSchema;
            assert.equal(prop.enum, undefined, `${id}.${key} is an enum`);
            assert.equal(ajv.validate(prop, JSON.parse(literal)), true, `${id}.${key} default ${literal}`);
          }
          for (const key of Object.keys(props))
            assert.ok(successTemplate.includes(`"${key}": \${${key}}`), `${id}.${key}`);
        }
      });

      it('when the mode needs auth headers, then each action templates exactly those', () => {
        const expected: Record<string, Record<string, string>> = {
          basic: {},
          apikey: { 'X-API-Key': '${credentials.apiKey}' },
          oauth: { Authorization: 'Bearer ${authResponse.access_token}' },
        };
        for (const { definition } of generated.actions) {
          assert.deepEqual(definition.config.request.headers, {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            ...expected[auth],
          });
        }
      });

      it(`when the mode is ${auth}, then a custom auth action exists only for oauth`, () => {
        if (auth !== 'oauth') {
          assert.equal(generated.customAuth, undefined);
          return;
        }
        const customAuth = generated.customAuth!;
        assert.equal(customAuth.fileName, 'baton-oauth.customAuth.json');
        assert.equal(customAuth.definition.actionType, 'customAuth');
        assert.equal(
          customAuth.definition.config.timeoutSeconds,
          undefined,
          'timeoutSeconds is invalid on custom auth actions',
        );
        assert.equal(customAuth.definition.config.request.requestUrlTemplate, `${baseUrl}/oauth/token`);
        assert.equal(customAuth.definition.config.request.requestTemplate, 'grant_type=client_credentials');
        assert.equal(
          customAuth.definition.config.request.headers.Authorization,
          'Basic $encoding.base64("${credentials.clientId}:${credentials.clientSecret}")',
        );
        assert.equal(customAuth.definition.config.response.successTemplate, '${rawResult}');
      });
    });
  }

  it('when the base URL is not https, then generation fails unless allowInsecure', () => {
    for (const bad of [
      'http://baton.example.com',
      'ftp://x.example.com',
      'not a url',
      'https://u:p@baton.example.com',
      'https://x.example.com/?a=1',
      'https://x.example.com/$x',
    ]) {
      assert.throws(
        () => generateActions({ baseUrl: bad, auth: 'apikey' }),
        (e: unknown) => e instanceof DataActionsError && e.code === 'base_url_invalid',
        bad,
      );
    }
    const local = generateActions({ baseUrl: 'http://127.0.0.1:8080/', auth: 'apikey', allowInsecure: true });
    assert.equal(local.baseUrl, 'http://127.0.0.1:8080');
  });

  it('when a timeout is given, then it is written, and out-of-range timeouts are refused', () => {
    const g = generateActions({ baseUrl, auth: 'basic', timeoutSeconds: 20 });
    assert.ok(g.actions.every((a) => a.definition.config.timeoutSeconds === 20));
    for (const bad of [0, 61, 1.5]) {
      assert.throws(
        () => generateActions({ baseUrl, auth: 'basic', timeoutSeconds: bad }),
        (e: unknown) => e instanceof DataActionsError && e.code === 'options_invalid',
      );
    }
  });
});
