import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import { EMPTY_CONTEXT_OUTPUTS } from '@baton/core';
import { generateActions, runDataAction, type DataActionDefinition } from '../src/index.js';
import { startTargetServer, type TargetServer } from './helpers/target-server.js';

const conversationId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const credentials = { type: 'userDefined' as const, fields: { apiKey: 'key-Sup3rSecret-value' } };

/**
 * Two behaviours of Genesys's data-action runtime that the flow runtime depends on:
 * - null input values are dropped as the first step of processing (developer forum, "Data Actions
 *   will ignore null input values", 15 Mar 2024), so a NOT_SET Architect variable bound to an input
 *   reads as absent instead of failing the input contract;
 * - a `Transfer-Encoding: buffered` header on the action makes the request go out with a
 *   Content-Length instead of chunked (docs/genesys-facts.md#data-action-requests).
 */
describe('runDataAction: null inputs and Transfer-Encoding: buffered (as Genesys does today)', () => {
  let target: TargetServer;
  let handoff: DataActionDefinition;
  before(async () => {
    target = await startTargetServer();
    handoff = generateActions({ baseUrl: target.baseUrl, auth: 'apikey', allowInsecure: true }).actions.find((a) => a.id === 'handoff')!.definition;
  });
  after(() => target.close());
  beforeEach(() => {
    target.received.length = 0;
    target.on('POST', '/v1/actions/handoff', (_req, res) => {
      res.json({
        ...EMPTY_CONTEXT_OUTPUTS,
        writeContext: 'bridge',
        status: 'bot_keeps',
        message: 'ok',
        handoffId: 'h-1',
        intent: '',
        confidence: 0.9,
        intentSource: 'inputs',
        threshold: 0.7,
        mode: 'flow',
        queueId: '',
        queueName: '',
        priority: 0,
        exitReason: '',
        decisionRule: 'confidence_at_or_above_threshold',
        routingRule: '',
        waitMessage: '',
        transcript: '',
        messageCount: 0,
        truncated: false,
        transferred: false,
        apiCalls: 1,
        durationMs: 1,
      });
    });
  });

  it('when inputs are null, then they are dropped before validation and the request is built without them', async () => {
    const result = await runDataAction({
      action: handoff,
      input: { conversationId, intent: null, slots: null, exitReason: 'AgentRequestedByUser' },
      credentials,
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    const body = JSON.parse(target.received[0]!.body) as Record<string, string>;
    assert.equal(body.exitReason, 'AgentRequestedByUser');
    // Dropped: rendered as an absent input (the template's empty default), never as "null".
    assert.equal(body.intent, '');
    assert.equal(body.slots, '');
    assert.ok(!target.received[0]!.body.includes('null'));
  });

  it('when the action sets Transfer-Encoding: buffered, then the request carries a Content-Length and is not chunked', async () => {
    const buffered: DataActionDefinition = {
      ...handoff,
      config: {
        ...handoff.config,
        request: { ...handoff.config.request, headers: { ...handoff.config.request.headers, 'Transfer-Encoding': 'buffered' } },
      },
    };
    const result = await runDataAction({ action: buffered, input: { conversationId }, credentials });
    assert.equal(result.success, true, JSON.stringify(result.error));
    const sent = target.received[0]!;
    assert.equal(sent.headers['transfer-encoding'], undefined);
    assert.equal(Number(sent.headers['content-length']), Buffer.byteLength(sent.body));
    assert.equal(JSON.parse(sent.body).conversationId, conversationId);
  });
});
