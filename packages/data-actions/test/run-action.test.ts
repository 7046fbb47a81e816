import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import { EMPTY_CONTEXT_OUTPUTS, handoffOutputSchema, type HandoffOutput } from '@baton/core';
import { createManualClock } from '@baton/core/testing';
import {
  generateActions,
  operationNames,
  runDataAction,
  type DataActionDefinition,
  type GeneratedActions,
} from '../src/index.js';
import { startTargetServer, type TargetServer } from './helpers/target-server.js';

const conversationId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const apiKey = 'key-Sup3rSecret-value';
const handoffAnswer: HandoffOutput = handoffOutputSchema.parse({
  ...EMPTY_CONTEXT_OUTPUTS,
  contextSummary: 'longtext:my invoice is wrong',
  writeContext: 'bridge',
  status: 'ready_for_transfer',
  message: 'Handing off to "Sales" \n now',
  handoffId: 'h-1',
  intent: 'billing',
  confidence: 0.42,
  intentSource: 'inputs',
  threshold: 0.7,
  mode: 'flow',
  queueId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  queueName: 'Sales',
  priority: 5,
  exitReason: '',
  decisionRule: 'confidence_below_threshold',
  routingRule: 'GENESYS_QUEUE_ID (no routing file), the configured priority',
  waitMessage: 'Please wait',
  transcript: 'customer: hi',
  messageCount: 1,
  truncated: false,
  transferred: false,
  apiCalls: 3,
  durationMs: 120,
});

function handoffAction(g: GeneratedActions): DataActionDefinition {
  return g.actions.find((a) => a.id === 'handoff')!.definition;
}

/** A fake clock that advances 5 ms per reading. */
function steppingClock(): () => number {
  let t = 1000;
  return () => (t += 5);
}

describe('runDataAction (against a real HTTP target on 127.0.0.1)', () => {
  let target: TargetServer;
  let apikey: GeneratedActions;

  before(async () => {
    target = await startTargetServer();
    apikey = generateActions({ baseUrl: target.baseUrl, auth: 'apikey', allowInsecure: true });
  });
  after(async () => {
    await target.close();
  });
  beforeEach(() => {
    target.received.length = 0;
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.json(handoffAnswer);
    });
  });

  it("when an apikey action succeeds, then every step runs in order, the body and headers are as templated, and the output is the contract's", async () => {
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId, intent: 'billing "dispute"', confidence: 0.42 },
      credentials: { type: 'userDefined', fields: { apiKey } },
      correlationId: 'corr-1',
      organizationId: 'org-1',
      now: steppingClock(),
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    assert.equal(result.outcome, 'success');
    assert.deepEqual(
      result.operations.map((o) => [o.step, o.name, o.success]),
      [
        [1, operationNames.validateInput, true],
        [2, operationNames.resolveUrl, true],
        [3, operationNames.resolveHeaders, true],
        [4, operationNames.resolveBody, true],
        [5, operationNames.executeRequest, true],
        [6, operationNames.translate, true],
        [7, operationNames.resolveSuccessTemplate, true],
        [8, operationNames.validateOutput, true],
        [9, operationNames.flatten, true],
      ],
    );
    assert.ok(result.operations.every((o) => o.durationMs === 5));
    assert.deepEqual(result.finalResult, handoffAnswer);

    assert.equal(target.received.length, 1);
    const sent = target.received[0]!;
    assert.equal(sent.headers['x-api-key'], apiKey);
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(sent.headers['inin-correlation-id'], 'corr-1');
    assert.equal(sent.headers['inin-organization-id'], 'org-1');
    assert.deepEqual(JSON.parse(sent.body), {
      conversationId,
      intent: 'billing "dispute"',
      confidence: '0.42',
      exitReason: '',
      slots: '',
      threshold: '',
      botFlowId: '',
      queueId: '',
      priority: '',
      mode: '',
      maxChars: '',
      mask: '',
      writeContext: '',
      includeTranscript: '',
      budgetMs: '',
    });
  });

  it('when a credential is used, then it never appears in the result (Authorization values are redacted, docs/genesys-facts.md#data-action-credentials)', async () => {
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
    });
    const text = JSON.stringify(result);
    assert.ok(!text.includes(apiKey));
    const headers = result.operations.find((o) => o.name === operationNames.resolveHeaders)!.result as Record<
      string,
      string
    >;
    assert.equal(headers['X-API-Key'], '*****');
  });

  it('when the credential is Basic Auth, then the integration sends the Authorization header itself', async () => {
    const basic = generateActions({ baseUrl: target.baseUrl, auth: 'basic', allowInsecure: true });
    const result = await runDataAction({
      action: handoffAction(basic),
      input: { conversationId },
      credentials: { type: 'basic', userName: 'genesys', password: 'pa55-word!' },
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    assert.equal(
      target.received[0]!.headers.authorization,
      `Basic ${Buffer.from('genesys:pa55-word!').toString('base64')}`,
    );
    assert.ok(!JSON.stringify(result).includes(Buffer.from('genesys:pa55-word!').toString('base64')));
    assert.ok(!JSON.stringify(result).includes('pa55-word!'));
  });

  describe('User Defined (OAuth)', () => {
    let oauth: GeneratedActions;
    const token = 'tok-abcdef-123456';
    before(() => {
      oauth = generateActions({ baseUrl: target.baseUrl, auth: 'oauth', allowInsecure: true });
    });
    beforeEach(() => {
      target.on('POST', '/oauth/token', (_req, res) => {
        res.json({ access_token: token, token_type: 'Bearer', expires_in: 3600 });
      });
    });

    it('when the action runs, then the custom auth action runs first and its $authResponse token is sent as Bearer', async () => {
      const result = await runDataAction({
        action: handoffAction(oauth),
        customAuthAction: oauth.customAuth!.definition,
        input: { conversationId },
        credentials: {
          type: 'userDefinedOAuth',
          fields: { clientId: 'baton-client', clientSecret: 'cl1ent-s3cret' },
        },
      });
      assert.equal(result.success, true, JSON.stringify(result.error));
      assert.equal(result.operations[1]!.name, operationNames.customAuth);
      const [tokenRequest, actionRequest] = target.received;
      assert.equal(tokenRequest!.path, '/oauth/token');
      assert.equal(tokenRequest!.body, 'grant_type=client_credentials');
      assert.equal(tokenRequest!.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(
        tokenRequest!.headers.authorization,
        `Basic ${Buffer.from('baton-client:cl1ent-s3cret').toString('base64')}`,
      );
      assert.equal(actionRequest!.headers.authorization, `Bearer ${token}`);
      const text = JSON.stringify(result);
      for (const secret of [
        token,
        'cl1ent-s3cret',
        Buffer.from('baton-client:cl1ent-s3cret').toString('base64'),
      ]) {
        assert.ok(!text.includes(secret), `leaked ${secret}`);
      }
    });

    it('when $authResponse has fields that only contain "token" or "key", then only the real secret is redacted', async () => {
      target.on('POST', '/oauth/token', (_req, res) => {
        res.json({ access_token: token, token_type: 'Bearer', expires_in: 3600, tokenRequests: 'seven-requests', monkey: 'banana-value' });
      });
      const result = await runDataAction({
        action: handoffAction(oauth),
        customAuthAction: oauth.customAuth!.definition,
        input: { conversationId },
        credentials: { type: 'userDefinedOAuth', fields: { clientId: 'baton-client', clientSecret: 'cl1ent-s3cret' } },
      });
      assert.equal(result.success, true, JSON.stringify(result.error));
      const auth = result.operations.find((o) => o.name === operationNames.customAuth)!.result as { authResponse: Record<string, unknown> };
      assert.deepEqual(auth.authResponse, {
        access_token: '*****',
        token_type: 'Bearer',
        expires_in: 3600,
        tokenRequests: 'seven-requests',
        monkey: 'banana-value',
      });
      assert.ok(!JSON.stringify(result).includes(token));
    });

    it('when the token endpoint refuses, then the run fails at the custom auth step with the remote body', async () => {
      target.on('POST', '/oauth/token', (_req, res) => {
        res.status(401).json({ code: 'invalid_client', message: 'bad client' });
      });
      const result = await runDataAction({
        action: handoffAction(oauth),
        customAuthAction: oauth.customAuth!.definition,
        input: { conversationId },
        credentials: {
          type: 'userDefinedOAuth',
          fields: { clientId: 'baton-client', clientSecret: 'wrong-secret' },
        },
      });
      assert.equal(result.success, false);
      const last = result.operations.at(-1)!;
      assert.equal(last.name, operationNames.customAuth);
      assert.equal(last.error?.status, 401);
      assert.equal(last.error?.details?.[0]?.errorCode, 'ACTION.AUTHENTICATION');
      assert.match(last.error!.message, /Execute request.*invalid_client/);
      assert.equal(target.received.filter((r) => r.path === '/v1/actions/handoff').length, 0);
    });

    it('when no custom auth action is given, then the run fails at that step and says what is missing', async () => {
      const result = await runDataAction({
        action: handoffAction(oauth),
        input: { conversationId },
        credentials: { type: 'userDefinedOAuth', fields: { clientId: 'a', clientSecret: 'b' } },
      });
      assert.equal(result.operations.at(-1)!.name, operationNames.customAuth);
      assert.match(result.error!.message, /custom auth action/);
    });
  });

  it('when the input breaks the input contract, then step 1 fails naming the field and no request is sent', async () => {
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId: 'not-an-id', confidence: 'high' },
      credentials: { type: 'userDefined', fields: { apiKey } },
    });
    assert.equal(result.success, false);
    assert.equal(result.operations.length, 1);
    assert.equal(result.operations[0]!.name, operationNames.validateInput);
    assert.match(result.error!.message, /\/conversationId must match pattern/);
    assert.match(result.error!.message, /\/confidence must be number/);
    assert.equal(target.received.length, 0);
  });

  it('when a template is broken, then the step that renders it fails', async () => {
    const action = structuredClone(handoffAction(apikey));
    action.config.request.requestUrlTemplate = `${target.baseUrl}/v1/actions/handoff#if($input.x`;
    const result = await runDataAction({
      action,
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
    });
    assert.equal(result.operations.at(-1)!.name, operationNames.resolveUrl);
    assert.match(result.error!.message, /Template could not be rendered/);
    assert.equal(result.error!.details?.[0]?.errorCode, 'ACTION.PROCESSING');
  });

  it('when a translation path is missing and has no default, then "Apply translation map" fails naming it', async () => {
    const action = structuredClone(handoffAction(apikey));
    action.config.response.translationMap.queueName = '$.routing.queueName';
    delete action.config.response.translationMapDefaults.queueName;
    const result = await runDataAction({
      action,
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
    });
    assert.equal(result.operations.at(-1)!.name, operationNames.translate);
    assert.match(result.error!.message, /"queueName".*\$\.routing\.queueName did not resolve/);
  });

  it('when a field is missing but has a default, then the default is used', async () => {
    const { queueName: _dropped, ...partial } = handoffAnswer;
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.json(partial);
    });
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    assert.equal((result.finalResult as HandoffOutput).queueName, '');
  });

  it('when the answer breaks the output contract, then "Validate output against the output contract" fails', async () => {
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.json({ ...handoffAnswer, status: 'maybe', priority: null });
    });
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
    });
    assert.equal(result.operations.at(-1)!.name, operationNames.validateOutput);
    assert.match(result.error!.message, /\/status must be equal to one of the allowed values/);
    assert.match(result.error!.message, /\/priority must be integer/, 'null is not replaced by the default');
  });

  it('when the service answers 500, then "Execute request" fails with the remote body embedded, on the Failure path', async () => {
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.status(500).json({ code: 'internal_error', message: 'boom' });
    });
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
      correlationId: 'corr-500',
    });
    assert.equal(result.outcome, 'failure');
    const failed = result.operations.at(-1)!;
    assert.equal(failed.name, operationNames.executeRequest);
    assert.deepEqual(failed.result, {
      status: 500,
      contentType: 'application/json; charset=utf-8',
      body: { code: 'internal_error', message: 'boom' },
    });
    assert.deepEqual(result.error, {
      message:
        'Request to backend service failed. Response from web service: {"code":"internal_error","message":"boom"} [corr-500]',
      code: 'INTERNAL_SERVER_ERROR',
      status: 500,
      details: [{ errorCode: 'ACTION.REMOTE_ENDPOINT' }],
      contextId: 'corr-500',
    });
  });

  it('when the service answers 200 with a non-JSON body, then the run fails with 400 BAD_REQUEST (docs/genesys-facts.md#data-action-requests)', async () => {
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.type('text/html').send('<html>proxy page</html>');
    });
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
    });
    assert.equal(result.operations.at(-1)!.name, operationNames.executeRequest);
    assert.equal(result.error?.status, 400);
    assert.equal(result.error?.code, 'BAD_REQUEST');
    assert.match(result.error!.message, /not JSON: <html>proxy page/);
  });

  it('when the service does not answer within the action timeout, then the run ends on the Timeout path', async () => {
    let release: () => void = () => undefined;
    const clock = createManualClock();
    let pendingJustBefore = -1;
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      // The service hangs; the test moves the clock to the action's timeout once the request has arrived.
      release = () => res.json(handoffAnswer);
      clock.advance(6999);
      pendingJustBefore = clock.pending();
      clock.advance(1);
    });
    const action = structuredClone(handoffAction(apikey));
    action.config.timeoutSeconds = 7;
    const result = await runDataAction({
      action,
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
      startTimer: clock.setTimer,
    });
    release();
    assert.equal(pendingJustBefore, 1, 'the timeout had not fired 1 ms before 7 s');
    assert.equal(clock.pending(), 0);
    assert.equal(result.outcome, 'timeout');
    assert.equal(result.operations.at(-1)!.name, operationNames.executeRequest);
    assert.equal(result.error?.code, 'REQUEST_TIMEOUT');
    assert.match(result.error!.message, /timed out after 7 seconds/);
  });

  it('when flatten is off, then there is no flatten step and the output is returned as is', async () => {
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
      flatten: false,
    });
    assert.ok(!result.operations.some((o) => o.name === operationNames.flatten));
    assert.deepEqual(result.finalResult, handoffAnswer);
  });

  it('when the success template is the default ${rawResult} and the output nests, then flattening dots the keys', async () => {
    target.on('POST', '/nested', (_req, res) => {
      res.json({ queue: { name: 'Sales', id: 'q' }, tags: ['a', 'b'] });
    });
    const action: DataActionDefinition = {
      name: 'Nested',
      integrationType: 'custom-rest-actions',
      actionType: 'custom',
      secure: false,
      config: {
        request: {
          requestUrlTemplate: `${target.baseUrl}/nested`,
          requestType: 'POST',
          headers: {},
          requestTemplate: '${input.rawRequest}',
        },
        response: { translationMap: {}, translationMapDefaults: {}, successTemplate: '${rawResult}' },
      },
      contract: {
        input: { inputSchema: { type: 'object', properties: { x: { type: 'string' } } } },
        output: { successSchema: { type: 'object' } },
      },
    };
    const result = await runDataAction({
      action,
      input: { x: 'a"b' },
      credentials: { type: 'userDefined', fields: {} },
    });
    assert.deepEqual(result.finalResult, { 'queue.name': 'Sales', 'queue.id': 'q', tags: ['a', 'b'] });
    assert.deepEqual(
      JSON.parse(target.received[0]!.body),
      { x: 'a"b' },
      '${input.rawRequest} is the whole input as JSON',
    );
  });
});

describe('runDataAction redirects (regression, hardening issue #13: credentials followed a redirect to another origin)', () => {
  let target: TargetServer;
  let elsewhere: TargetServer;
  let apikey: GeneratedActions;

  before(async () => {
    [target, elsewhere] = await Promise.all([startTargetServer(), startTargetServer()]);
    apikey = generateActions({ baseUrl: target.baseUrl, auth: 'apikey', allowInsecure: true });
  });
  after(async () => {
    await Promise.all([target.close(), elsewhere.close()]);
  });
  beforeEach(() => {
    target.received.length = 0;
    elsewhere.received.length = 0;
    elsewhere.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.json(handoffAnswer);
    });
  });

  for (const status of [302, 307, 308]) {
    it(`when the service redirects (${status}) to another origin, then the run fails and that origin never sees the request or its credential`, async () => {
      target.on('POST', '/v1/actions/handoff', (_req, res) => {
        res.redirect(status, `${elsewhere.baseUrl}/v1/actions/handoff`);
      });
      const basic = generateActions({ baseUrl: target.baseUrl, auth: 'basic', allowInsecure: true });
      for (const [action, credentials] of [
        [handoffAction(apikey), { type: 'userDefined', fields: { apiKey } }],
        [handoffAction(basic), { type: 'basic', userName: 'genesys', password: 'pa55-word!' }],
      ] as const) {
        const result = await runDataAction({ action, input: { conversationId }, credentials });
        assert.equal(result.success, false);
        assert.equal(result.error?.status, status);
        assert.match(result.error!.message, /redirected .* to another origin/);
        assert.ok(!JSON.stringify(result).includes(apiKey) && !JSON.stringify(result).includes('pa55-word!'));
      }
      assert.equal(target.received.length, 2);
      assert.deepEqual(elsewhere.received, [], 'the other origin got no request at all');
    });
  }

  it('when the service redirects (307) within its origin, then the request is repeated there with its credential and body', async () => {
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.redirect(307, '/v2/actions/handoff');
    });
    target.on('POST', '/v2/actions/handoff', (_req, res) => {
      res.json(handoffAnswer);
    });
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    assert.deepEqual(result.finalResult, handoffAnswer);
    assert.deepEqual(target.received.map((r) => [r.method, r.path, r.headers['x-api-key']]), [
      ['POST', '/v1/actions/handoff', apiKey],
      ['POST', '/v2/actions/handoff', apiKey],
    ]);
    assert.equal(target.received[1]!.body, target.received[0]!.body);
  });

  it('when same-origin redirects never end, then the run fails after a few instead of looping', async () => {
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.redirect(307, '/v1/actions/handoff');
    });
    const result = await runDataAction({
      action: handoffAction(apikey),
      input: { conversationId },
      credentials: { type: 'userDefined', fields: { apiKey } },
    });
    assert.equal(result.success, false);
    assert.match(result.error!.message, /more than 5 redirects/);
    assert.equal(target.received.length, 6);
  });
});
