import assert from 'node:assert/strict';
import { actionContracts, type ActionId } from '@baton/core';
import { authModes, coerceInputText, generateActions, runDataAction, type AuthMode, type DataActionCredentials } from '@baton/data-actions';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

/**
 * The proof that the bridge is what Genesys can call: every generated data action, for every
 * credential type, run through the local data-action runtime (request template, HTTP, translation
 * map, output contract) against the real bridge and the sandbox org.
 */
describe('data actions end to end (generateActions → runDataAction → bridge → sandbox)', () => {
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

  for (const auth of authModes) {
    describe(`credential type ${auth}`, () => {
      for (const contract of actionContracts) {
        it(`${contract.id}: Success, with a result that satisfies the output contract`, async () => {
          const generated = generateActions({ baseUrl: h.url, auth, allowInsecure: true });
          const action = generated.actions.find((a) => a.id === contract.id)!;
          const result = await runDataAction({
            action: action.definition,
            input: coerceInputText(action.definition.contract.input.inputSchema, inputs()[contract.id]),
            credentials: credentialsFor(auth),
            ...(generated.customAuth && { customAuthAction: generated.customAuth.definition }),
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
        const generated = generateActions({ baseUrl: h.url, auth, allowInsecure: true });
        const action = generated.actions.find((a) => a.id === 'assess-intent')!;
        const wrong: DataActionCredentials =
          auth === 'basic'
            ? { type: 'basic', userName: CREDS.basicUser, password: 'wrong-password-000' }
            : auth === 'apikey'
              ? { type: 'userDefined', fields: { apiKey: 'wrong-api-key-000000' } }
              : { type: 'userDefinedOAuth', fields: { clientId: CREDS.oauthClientId, clientSecret: 'wrong-secret-0000000' } };
        const result = await runDataAction({
          action: action.definition,
          input: { conversationId: h.sandbox.scenarios.highConfidence },
          credentials: wrong,
          ...(generated.customAuth && { customAuthAction: generated.customAuth.definition }),
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
