import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'mocha';
import {
  authModes,
  generateActions,
  actionResourceName,
  DataActionsError,
  hclString,
  parseHcl,
  readTerraformActions,
  renderTerraform,
  type DataActionDefinition,
  type HclBlock,
  type HclCall,
} from '../src/index.js';

const baseUrl = 'https://baton.example.com/handoff';

function block(blocks: HclBlock[], type: string, ...labels: string[]): HclBlock {
  const found = blocks.find((b) => b.type === type && labels.every((l, i) => b.labels[i] === l));
  assert.ok(found, `${type} ${labels.join(' ')} not found`);
  return found;
}

/** The JSON definition's request/response as the HCL blocks should hold them. */
function requestResponse(blocks: HclBlock[]): { request: unknown; response: unknown } {
  const request = block(blocks, 'config_request').attributes;
  const response = block(blocks, 'config_response').attributes;
  return {
    request: {
      requestUrlTemplate: request.request_url_template,
      requestType: request.request_type,
      headers: request.headers,
      requestTemplate: request.request_template,
    },
    response: {
      translationMap: response.translation_map,
      translationMapDefaults: response.translation_map_defaults,
      successTemplate: response.success_template,
    },
  };
}

function expected(d: DataActionDefinition): { request: unknown; response: unknown } {
  return { request: d.config.request, response: d.config.response };
}

describe('renderTerraform (CX as Code)', () => {
  it('when a string holds Velocity references, then ${ becomes $${ and %{ becomes %%{', () => {
    assert.equal(hclString('a ${x} %{if} $${y}'), '"a $${x} %%{if} $$${y}"');
    assert.equal(hclString('q"\\\n\b'), '"q\\"\\\\\\n\\u0008"');
  });

  for (const auth of authModes) {
    it(`when parsed back (auth ${auth}), then every action's request, response and contracts equal the JSON form`, () => {
      const generated = generateActions({ baseUrl, auth, timeoutSeconds: 25 });
      const text = renderTerraform(generated);
      const blocks = parseHcl(text, { baton_base_url: baseUrl, baton_integration_name: 'Baton Bridge' });

      const actions = blocks.filter(
        (b) => b.type === 'resource' && b.labels[0] === 'genesyscloud_integration_action',
      );
      assert.equal(actions.length, generated.actions.length);
      for (const action of generated.actions) {
        const resource = block(
          blocks,
          'resource',
          'genesyscloud_integration_action',
          `baton_${action.id.replace(/-/g, '_')}`,
        );
        const d = action.definition;
        assert.equal(resource.attributes.name, d.name);
        assert.equal(resource.attributes.category, 'Baton');
        assert.deepEqual(resource.attributes.integration_id, { ref: 'genesyscloud_integration.baton.id' });
        assert.equal(resource.attributes.secure, false);
        assert.equal(resource.attributes.config_timeout_seconds, 25);
        assert.deepEqual(requestResponse(resource.blocks), expected(d), action.id);
        const input = resource.attributes.contract_input as HclCall;
        const output = resource.attributes.contract_output as HclCall;
        assert.equal(input.fn, 'jsonencode');
        assert.deepEqual(input.args[0], d.contract.input.inputSchema);
        assert.deepEqual(output.args[0], d.contract.output.successSchema);
      }

      const credential = block(blocks, 'resource', 'genesyscloud_integration_credential', 'baton');
      const credentialType = { basic: 'basicAuth', apikey: 'userDefined', oauth: 'userDefinedOAuth' }[auth];
      assert.equal(credential.attributes.credential_type_name, credentialType);
      const fields = credential.attributes.fields as Record<string, { ref: string }>;
      for (const value of Object.values(fields))
        assert.match(value.ref, /^var\.baton_/, 'secrets come from variables');

      const integration = block(blocks, 'resource', 'genesyscloud_integration', 'baton');
      assert.equal(integration.attributes.integration_type, 'custom-rest-actions');
      assert.deepEqual(
        (block(integration.blocks, 'config').attributes.credentials as Record<string, unknown>).basicAuth,
        {
          ref: 'genesyscloud_integration_credential.baton.id',
        },
      );

      const customAuth = blocks.filter((b) => b.labels[0] === 'genesyscloud_integration_custom_auth_action');
      if (auth === 'oauth') {
        assert.equal(customAuth.length, 1);
        assert.deepEqual(requestResponse(customAuth[0]!.blocks), expected(generated.customAuth!.definition));
        assert.equal(customAuth[0]!.attributes.config_timeout_seconds, undefined);
      } else {
        assert.equal(customAuth.length, 0);
      }

      const secretVariables = blocks.filter((b) => b.type === 'variable' && b.attributes.sensitive === true);
      assert.ok(secretVariables.length >= 1);
      for (const v of secretVariables)
        assert.equal(v.attributes.default, undefined, `${v.labels[0]} has no default`);
      assert.doesNotMatch(
        text,
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i,
        'no org-specific ids',
      );
    });
  }

  for (const auth of authModes) {
    it(`when read back with readTerraformActions (auth ${auth}), then every definition equals the JSON one, with the base URL substituted`, () => {
      const generated = generateActions({ baseUrl, auth, timeoutSeconds: 25 });
      const text = renderTerraform(generated);
      const same = readTerraformActions(text, { baseUrl });
      assert.deepEqual(
        same.actions.map((a) => a.resourceName),
        generated.actions.map((a) => actionResourceName(a.id)),
      );
      same.actions.forEach((a, i) => assert.deepEqual(a.definition, generated.actions[i]!.definition));
      assert.deepEqual(same.customAuth, generated.customAuth?.definition);

      const elsewhere = 'http://127.0.0.1:4321/prefix';
      const moved = readTerraformActions(text, { baseUrl: elsewhere });
      const relocated = generateActions({ baseUrl: elsewhere, auth, timeoutSeconds: 25, allowInsecure: true });
      moved.actions.forEach((a, i) => assert.deepEqual(a.definition, relocated.actions[i]!.definition));
      assert.deepEqual(moved.customAuth, relocated.customAuth?.definition);
    });
  }

  it('when the Terraform is not what renderTerraform writes, then readTerraformActions refuses it (definition_invalid)', () => {
    const text = renderTerraform(generateActions({ baseUrl, auth: 'oauth' }));
    const refuses = (hcl: string, pattern: RegExp) =>
      assert.throws(
        () => readTerraformActions(hcl, { baseUrl }),
        (e: unknown) => e instanceof DataActionsError && e.code === 'definition_invalid' && pattern.test(e.message),
      );
    refuses(text.replace('$${authResponse', '${authResponse'), /unexpected interpolation \$\{authResponse\.access_token\}/);
    refuses(text.replace('${var.baton_base_url}', '${var.nope}'), /unexpected interpolation \$\{var\.nope\}/);
    refuses(text.replace(/ {2}config_response \{[\s\S]*?\n {2}\}\n/, ''), /exactly one config_response/);
    refuses(text.replace('request_type         = "POST"', 'request_type         = "FETCH"'), /requestType/);
    refuses(text.replace(/contract_input {2}= jsonencode\(/, 'contract_input  = tostring('), /contract_input must be jsonencode/);
  });

  it('when a Velocity reference is left unescaped, then the strict parser refuses it (the round trip is not vacuous)', () => {
    assert.throws(() => parseHcl('x = "Bearer ${authResponse.access_token}"'), /unexpected interpolation/);
  });

  it('when terraform is installed, then `terraform fmt` accepts the file', function () {
    const version = spawnSync('terraform', ['version'], { encoding: 'utf8' });
    if (version.status !== 0) this.skip();
    for (const auth of authModes) {
      const text = renderTerraform(generateActions({ baseUrl, auth }));
      const fmt = spawnSync('terraform', ['fmt', '-'], { input: text, encoding: 'utf8' });
      assert.equal(fmt.status, 0, fmt.stderr);
    }
  });
});
