import assert from 'node:assert/strict';
import { actionContracts, type ActionId } from '@baton/core';
import {
  actionResourceName,
  authModes,
  coerceInputText,
  generateActions,
  readTerraformActions,
  renderTerraform,
  runDataAction,
  type AuthMode,
  type DataActionCredentials,
  type DataActionDefinition,
} from '@baton/data-actions';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

type Form = 'json' | 'terraform';
const forms: readonly Form[] = ['json', 'terraform'];

/**
 * The proof that the bridge is what Genesys can call: every generated data action, for every
 * credential type, run through the local data-action runtime (request template, HTTP, translation
 * map, output contract) against the real bridge and the sandbox org — once as the JSON definitions
 * and once as the Terraform form's request/response blocks, read back out of `renderTerraform`'s
 * text by `readTerraformActions` (the real `$${` un-escaping, `var.baton_base_url` set to the
 * bridge's URL).
 */
describe('data actions end to end (generateActions [→ renderTerraform → readTerraformActions] → runDataAction → bridge → sandbox)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const credentialsFor = (auth: AuthMode): DataActionCredentials => {
    if (auth === 'basic') return { type: 'basic', userName: CREDS.basicUser, password: CREDS.basicPassword };
    if (auth === 'apikey') return { type: 'userDefined', fields: { apiKey: CREDS.apiKey } };
    return { type: 'userDefinedOAuth', fields: { clientId: CREDS.oauthClientId, clientSecret: CREDS.oauthClientSecret } };
  };

  const inputs = (): Record<ActionId, Record<string, string>> => {
    const sc = h.sandbox.scenarios;
    return {
      'assess-intent': { conversationId: sc.highConfidence, threshold: '0.8' },
      transcript: { conversationId: sc.withPii, mask: 'true', maxChars: '1000' },
      'hand-to-queue': { conversationId: sc.outOfOrder, priority: '3', reason: 'e2e' },
      handoff: { conversationId: sc.lowConfidence, mode: 'flow' },
    };
  };
  const expectedStatus: Record<ActionId, string> = {
    'assess-intent': 'bot_keeps',
    transcript: 'ok',
    'hand-to-queue': 'ready_for_transfer',
    handoff: 'ready_for_transfer',
  };

  /**
   * The definitions of one auth mode in one form. The Terraform is rendered for a base URL that
   * does not resolve, so only the substituted `var.baton_base_url` can reach the bridge.
   */
  const load = (auth: AuthMode, form: Form): { action: (id: ActionId) => DataActionDefinition; customAuth?: DataActionDefinition } => {
    if (form === 'json') {
      const generated = generateActions({ baseUrl: h.url, auth, allowInsecure: true });
      return {
        action: (id) => generated.actions.find((a) => a.id === id)!.definition,
        ...(generated.customAuth && { customAuth: generated.customAuth.definition }),
      };
    }
    const generated = generateActions({ baseUrl: 'https://bridge.example.invalid', auth });
    const text = renderTerraform(generated);
    assert.ok(!text.includes(h.url));
    const read = readTerraformActions(text, { baseUrl: h.url });
    assert.equal(read.actions.length, actionContracts.length);
    assert.equal(read.customAuth !== undefined, auth === 'oauth');
    return {
      action: (id) => {
        const found = read.actions.find((a) => a.resourceName === actionResourceName(id));
        assert.ok(found, `no resource for ${id}`);
        assert.ok(found.definition.config.request.requestUrlTemplate.startsWith(h.url));
        return found.definition;
      },
      ...(read.customAuth && { customAuth: read.customAuth }),
    };
  };

  for (const form of forms) for (const auth of authModes) {
    describe(`${form} form, credential type ${auth}`, () => {
      for (const contract of actionContracts) {
        it(`${contract.id}: Success, with a result that satisfies the output contract`, async () => {
          const loaded = load(auth, form);
          const action = loaded.action(contract.id);
          const result = await runDataAction({
            action,
            input: coerceInputText(action.contract.input.inputSchema, inputs()[contract.id]),
            credentials: credentialsFor(auth),
            ...(loaded.customAuth && { customAuthAction: loaded.customAuth }),
          });
          assert.equal(result.success, true, JSON.stringify(result.error ?? result.operations.filter((o) => !o.success)));
          assert.equal(result.outcome, 'success');
          const parsed = contract.output.safeParse(result.finalResult);
          assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
          assert.deepEqual(Object.keys(result.finalResult as object).sort(), Object.keys(contract.output.shape).sort());
          assert.equal((result.finalResult as { status: string }).status, expectedStatus[contract.id]);
        });
      }

      it('with wrong credentials: the Failure path, the bridge 401 embedded in the error', async () => {
        const loaded = load(auth, form);
        const wrong: DataActionCredentials =
          auth === 'basic'
            ? { type: 'basic', userName: CREDS.basicUser, password: 'wrong-password-000' }
            : auth === 'apikey'
              ? { type: 'userDefined', fields: { apiKey: 'wrong-api-key-000000' } }
              : { type: 'userDefinedOAuth', fields: { clientId: CREDS.oauthClientId, clientSecret: 'wrong-secret-0000000' } };
        const result = await runDataAction({
          action: loaded.action('assess-intent'),
          input: { conversationId: h.sandbox.scenarios.highConfidence },
          credentials: wrong,
          ...(loaded.customAuth && { customAuthAction: loaded.customAuth }),
        });
        assert.equal(result.success, false);
        assert.equal(result.outcome, 'failure');
        assert.match(JSON.stringify(result.error), /401|unauthorized|invalid_client/i);
      });
    });
  }

  it('a validation failure reaches the flow as a Failure whose text names the field', async () => {
    const generated = generateActions({ baseUrl: h.url, auth: 'apikey', allowInsecure: true });
    const action = generated.actions.find((a) => a.id === 'handoff')!;
    const result = await runDataAction({
      action: action.definition,
      input: coerceInputText(action.definition.contract.input.inputSchema, { conversationId: h.sandbox.scenarios.lowConfidence, priority: '42' }),
      credentials: credentialsFor('apikey'),
    });
    assert.equal(result.success, false);
    assert.match(JSON.stringify(result.error), /priority/);
  });
});
