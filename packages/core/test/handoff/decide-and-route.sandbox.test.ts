import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import type { HandoffConfig } from '../../src/handoff/config.js';
import { parseRoutingTable } from '../../src/handoff/routing.js';
import { startHarness, type Harness } from './harness.js';

const ROUTES = `{
  "default": { "queueName": "General", "priority": 3 },
  "routes": [
    { "intent": "CancelOrder", "queueName": "Returns", "priority": 7 },
    { "exitReason": "AgentRequestedByUser", "queueName": "Support", "priority": 9 }
  ]
}`;

/** Issue 14, sections 1 and 2, against the sandbox org: decide on what the flow really has, route by intent. */
describe('decide on the bot exit and route by intent (sandbox)', () => {
  let h: Harness;
  const start = async (config: Partial<HandoffConfig> = {}) => {
    h = await startHarness({ config });
    return h;
  };
  afterEach(async () => {
    await h.close();
  });
  const queueNamed = (name: string) => h.sandbox.queues.find((q) => q.name === name)?.id;

  it('the default handoff works with no confidence anywhere: no inputs, no participant data, no analytics', async () => {
    // No bot flow id: nothing but the conversation itself. The sandbox's bot wrote no confidence.
    await start({ botFlowId: undefined } as unknown as Partial<HandoffConfig>);
    const { output, trace } = await h.service.handoff({ conversationId: h.sandbox.scenarios.withPii });
    assert.equal(output.status, 'ready_for_transfer');
    assert.deepEqual([output.intentSource, output.confidence, output.decisionRule], ['none', 0, 'default']);
    assert.match(output.message, /configured default is to hand off/);
    assert.equal(output.queueId, h.sandbox.queues[0]?.id);
    assert.match(output.routingRule, /^GENESYS_QUEUE_ID \(no routing file\)/);
    assert.equal(output.apiCalls, 4, 'conversation, queue (cold), bulk, participant data');
    assert.match(trace.steps.find((s) => s.step === 'assessIntent')?.summary ?? '', /default \(Intent unknown.*\): applies/);
  });

  it('when the customer asked for a human, then hand off although the bot wrote a high confidence, and no analytics call', async () => {
    await start();
    const { output } = await h.service.handoff({
      conversationId: h.sandbox.scenarios.highConfidence,
      exitReason: 'AgentRequestedByUser',
      intent: 'NOT_SET',
    });
    assert.equal(output.status, 'ready_for_transfer');
    assert.deepEqual([output.decisionRule, output.exitReason, output.confidence, output.intent], [
      'customer_asked_for_agent',
      'AgentRequestedByUser',
      0.93,
      'TrackOrder',
    ]);
    assert.equal(h.apiCalls()['getAnalyticsBotflowSessions'], undefined);
  });

  it('assess-intent answers the exit reason, the rule and the slots it read', async () => {
    await start();
    const out = await h.service.assessIntent({
      conversationId: h.sandbox.scenarios.noIntent,
      exitReason: 'RecognitionFailure',
      slots: 'orderNumber=12345;city=New%20York;bad',
    });
    assert.deepEqual([out.decisionRule, out.exitReason, out.handoffRecommended], ['bot_gave_up', 'RecognitionFailure', true]);
    assert.equal(out.slots, 'orderNumber=12345;city=New York');
    assert.match(out.message, /Slots: slot pair 3 "bad" is not name=value \(ignored\)/);
    assert.equal(h.apiCalls()['getAnalyticsBotflowSessions'], undefined, 'the exit reason decided: no analytics');
  });

  it('with a routing file, the intent chooses queue (by name, cached) and priority, and the answer names the entry', async () => {
    await start({ routing: parseRoutingTable(ROUTES, 'routing.json') });
    const first = await h.service.handoff({ conversationId: h.sandbox.scenarios.lowConfidence });
    assert.deepEqual([first.output.queueId, first.output.queueName, first.output.priority], [queueNamed('Returns'), 'Returns', 7]);
    assert.match(first.output.routingRule, /^routing entry routes\/0 \(line 4\): intent CancelOrder, priority from the routing entry/);
    // Another conversation for the same queue: the name is cached, as ids are.
    const second = await h.service.handoff({
      conversationId: h.sandbox.scenarios.withPii,
      intent: 'CancelOrder',
      confidence: 0.1,
    });
    assert.equal(second.output.queueName, 'Returns');
    assert.equal(h.apiCalls()['getRoutingQueues'], 1);
    assert.equal(h.apiCalls()['getRoutingQueue'], undefined);
    assert.equal(second.output.apiCalls, 3);
  });

  it('with a routing file, an exit-reason entry matches whatever the intent; no match takes the default', async () => {
    await start({ routing: parseRoutingTable(ROUTES, 'routing.json') });
    const asked = await h.service.handoff({
      conversationId: h.sandbox.scenarios.highConfidence,
      exitReason: 'AgentRequestedByUser',
    });
    assert.deepEqual([asked.output.queueName, asked.output.priority], ['Support', 9]);
    const other = await h.service.handoff({ conversationId: h.sandbox.scenarios.noIntent, intent: 'Weather', confidence: 0.2 });
    assert.deepEqual([other.output.queueName, other.output.priority], ['General', 3]);
    assert.match(other.output.routingRule, /^routing default \(line 2\)/);
  });

  it('an explicit queueId (and priority) input wins over the routing file, and the answer says so', async () => {
    await start({ routing: parseRoutingTable(ROUTES, 'routing.json') });
    const queueId = queueNamed('Sales');
    const { output } = await h.service.handoff({ conversationId: h.sandbox.scenarios.lowConfidence, queueId, priority: 2 });
    assert.deepEqual([output.queueName, output.priority], ['Sales', 2]);
    assert.equal(output.routingRule, 'the queueId input (wins over the routing table), priority from the priority input');
  });

  it('hand-to-queue without a queueId routes by its intent and exit reason inputs', async () => {
    await start({ routing: parseRoutingTable(ROUTES, 'routing.json') });
    const out = await h.service.handToQueue({ conversationId: h.sandbox.scenarios.noIntent, intent: 'cancelorder' });
    assert.deepEqual([out.queueName, out.priority, out.status], ['Returns', 7, 'ready_for_transfer']);
    assert.match(out.routingRule, /routes\/0/);
  });

  it('with a routing file and no default queue at all, the intent found in participant data routes (no early failure)', async () => {
    const routing = parseRoutingTable('{"routes":[{"intent":"CancelOrder","queueName":"Returns"}]}', 'routing.json');
    await start({ routing, defaultQueueId: undefined } as unknown as Partial<HandoffConfig>);
    const { output } = await h.service.handoff({ conversationId: h.sandbox.scenarios.lowConfidence });
    assert.deepEqual([output.status, output.queueName], ['ready_for_transfer', 'Returns']);
    // Nothing matches and nothing is configured: the handoff says which queue is missing, before any write.
    await assert.rejects(
      h.service.handoff({ conversationId: h.sandbox.scenarios.withPii, intent: 'Other', confidence: 0.1 }),
      /queueId/,
    );
  });

  it('a queue name the org does not have fails before anything is written', async () => {
    await start({ routing: parseRoutingTable('{"routes":[{"intent":"CancelOrder","queueName":"Nowhere"}]}', 'routing.json') });
    const cid = h.sandbox.scenarios.lowConfidence;
    const before = { ...h.sandbox.org.customerAttributes(cid) };
    await assert.rejects(h.service.handoff({ conversationId: cid }), /Queue 'Nowhere' \(named in the routing file\) was not found/);
    assert.deepEqual(h.sandbox.org.customerAttributes(cid), before);
  });
});
