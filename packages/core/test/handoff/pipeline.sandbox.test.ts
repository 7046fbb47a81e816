import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import { handoffOutputSchema, type HandoffInput } from '../../src/contracts/handoff.js';
import { handoffTraceSchema } from '../../src/contracts/trace.js';
import {
  AGENT_CONTEXT_KEYS,
  ATTRIBUTE_COUNT_LIMIT,
  ATTRIBUTE_VALUE_LIMIT,
  transcriptFromAttributes,
} from '../../src/handoff/agent-context.js';
import { findCustomer } from '../../src/handoff/participants.js';
import { startHarness, type Harness } from './harness.js';

/**
 * The whole handoff against the sandbox org over real HTTP. Upstream calls are counted per SDK
 * operation by the sandbox, so a change that adds a call to a handoff fails here.
 */
/** Flat inputs as a data action sends them (text); the service parses them into a HandoffInput. */
const asSent = (input: Record<string, string | number>): HandoffInput => input as unknown as HandoffInput;

describe('handoff pipeline (sandbox)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  /** Warms the queue cache with a handoff of another conversation, then forgets its calls. */
  async function warmQueueCache(queueId?: string): Promise<void> {
    await h.service.handoff({ conversationId: h.sandbox.scenarios.outOfOrder, queueId });
    h.sandbox.counters.reset();
  }

  async function customerAttributes(conversationId: string): Promise<Record<string, string>> {
    const conversation = await h.client.getMessageConversation(conversationId);
    return findCustomer(conversation)?.attributes ?? {};
  }

  describe('flow mode (the default)', () => {
    it('when intent comes from inputs, then exactly 3 Platform API calls once the queue cache is warm, and the context is written', async () => {
      await warmQueueCache();
      const cid = h.sandbox.scenarios.lowConfidence;
      const { output, trace } = await h.service.handoff({
        conversationId: cid,
        intent: 'Complaint',
        confidence: 0.2,
      });

      assert.deepEqual(h.apiCalls(), {
        getConversationsMessage: 1,
        postConversationsMessageMessagesBulk: 1,
        patchConversationsMessageParticipantAttributes: 1,
      });
      assert.equal(output.apiCalls, 3);
      handoffOutputSchema.parse(output);
      assert.equal(output.status, 'ready_for_transfer');
      assert.equal(output.intentSource, 'inputs');
      assert.equal(output.intent, 'Complaint');
      assert.equal(output.confidence, 0.2);
      assert.equal(output.mode, 'flow');
      assert.equal(output.transferred, false);
      assert.equal(output.queueId, h.sandbox.queues[0]?.id);
      assert.equal(output.queueName, h.sandbox.queues[0]?.name);
      assert.equal(output.priority, 5);
      assert.equal(output.waitMessage, 'Transferring to human support. Please wait.');
      assert.equal(h.sandbox.org.transfers.length, 0, 'flow mode never transfers: the flow does');

      // What Baton sent, read back through the API.
      const attrs = await customerAttributes(cid);
      assert.equal(attrs[AGENT_CONTEXT_KEYS.intent], 'identifier:Complaint');
      assert.equal(attrs[AGENT_CONTEXT_KEYS.confidence], 'number:0.20');
      assert.match(attrs[AGENT_CONTEXT_KEYS.reason] ?? '', /below the threshold 0\.70/);
      assert.equal(attrs[AGENT_CONTEXT_KEYS.handoffId], output.handoffId);
      assert.equal(attrs[AGENT_CONTEXT_KEYS.queueId], output.queueId);
      // What the agent does not already see, not the messages they do (native web messaging shows them).
      assert.equal(attrs[AGENT_CONTEXT_KEYS.summary], output.contextSummary);
      assert.match(output.contextSummary, /^longtext:\S/);
      assert.match(attrs[AGENT_CONTEXT_KEYS.lastMessage] ?? '', /^longtext:\S/);
      assert.match(attrs[AGENT_CONTEXT_KEYS.botTried] ?? '', /^longtext:\d+ bot turns?; last: /);
      assert.deepEqual(Object.keys(attrs).filter((k) => k.includes('Transcript')), [], 'no transcript by default');
      assert.equal(output.contextTrimmed, '');
      assert.ok(
        output.transcript.startsWith(
          'Agent, the customer requires assistance. Chat history follows:\n[customer] Hi\n[bot] Hello!',
        ),
      );
      assert.equal(output.messageCount, 6);

      handoffTraceSchema.parse(trace);
      assert.equal(trace.handoffId, output.handoffId);
      assert.deepEqual(
        trace.steps.map((s) => [s.step, s.outcome]),
        [
          ['assessIntent', 'ok'],
          ['buildTranscript', 'ok'],
          ['handToQueue', 'ok'],
        ],
      );
      // Intent from inputs costs no call; step 1 reads the conversation only because a handoff follows
      // (its session is the idempotency key, claimed before anything is written).
      assert.deepEqual(trace.steps[0]?.calls.map((c) => c.route), ['getConversationsMessage']);
      assert.deepEqual(trace.calls.map((c) => c.route).sort(), [
        'getConversationsMessage',
        'patchConversationsMessageParticipantAttributes',
        'postConversationsMessageMessagesBulk',
      ]);
      assert.ok(trace.calls.every((c) => c.status === 200 && c.retries === 0));
      assert.deepEqual(await h.traces.get(output.handoffId), trace, 'the trace is in the store');
    });

    it('when intent comes from participant data, then the same one conversation fetch serves it: 3 calls warm', async () => {
      await warmQueueCache();
      const { output, trace } = await h.service.handoff({
        conversationId: h.sandbox.scenarios.lowConfidence,
      });
      assert.deepEqual(h.apiCalls(), {
        getConversationsMessage: 1,
        postConversationsMessageMessagesBulk: 1,
        patchConversationsMessageParticipantAttributes: 1,
      });
      assert.equal(output.intentSource, 'participantData');
      assert.equal(output.intent, 'CancelOrder');
      assert.equal(output.confidence, 0.42);
      assert.deepEqual(
        trace.steps[0]?.calls.map((c) => c.route),
        ['getConversationsMessage'],
      );
    });

    it('when the queue cache is cold, then one queue lookup more, and only one', async () => {
      const first = await h.service.handoff({ conversationId: h.sandbox.scenarios.lowConfidence });
      // The flow passes what its bot gave it: no call for the intent.
      const second = await h.service.handoff({
        conversationId: h.sandbox.scenarios.withPii,
        intent: 'UpdatePayment',
        confidence: 0.38,
      });
      assert.equal(h.apiCalls()['getRoutingQueue'], 1);
      assert.equal(first.output.apiCalls, 4);
      assert.equal(second.output.apiCalls, 3);
    });

    it('when only bot-flow analytics know the intent, then session + turns are read (5 calls warm)', async () => {
      await warmQueueCache();
      const { output } = await h.service.handoff({ conversationId: h.sandbox.scenarios.analyticsOnly });
      assert.deepEqual(h.apiCalls(), {
        getConversationsMessage: 1,
        getAnalyticsBotflowSessions: 1,
        getAnalyticsBotflowDivisionsReportingturns: 1,
        postConversationsMessageMessagesBulk: 1,
        patchConversationsMessageParticipantAttributes: 1,
      });
      assert.equal(output.intentSource, 'botFlowAnalytics');
      assert.equal(output.intent, 'BillingQuestion');
      assert.equal(output.confidence, 0.35);
      assert.equal(output.status, 'ready_for_transfer');
    });

    it('when no source knows the intent, then it hands off (default policy) and tells the agent why', async () => {
      const { output } = await h.service.handoff({ conversationId: h.sandbox.scenarios.noIntent });
      assert.equal(output.status, 'ready_for_transfer');
      assert.equal(output.intentSource, 'none');
      assert.match(output.message, /Intent unknown/);
      const attrs = await customerAttributes(h.sandbox.scenarios.noIntent);
      assert.match(
        attrs[AGENT_CONTEXT_KEYS.reason] ?? '',
        /Intent unknown \(the customer has no 'bot\.confidence'.*no analytics session/,
      );
      assert.equal(attrs[AGENT_CONTEXT_KEYS.confidence], undefined, 'no made-up confidence');
    });
  });

  describe('api mode', () => {
    it('when handing off, then wait message, transfer, a read confirming it and priority go to Genesys (8 calls warm), in that order', async () => {
      const queue = h.sandbox.queues[1];
      await warmQueueCache(queue?.id);
      const cid = h.sandbox.scenarios.lowConfidence;
      const { output, trace } = await h.service.handoff({
        conversationId: cid,
        mode: 'api',
        priority: 8,
        queueId: queue?.id,
      });
      assert.deepEqual(h.apiCalls(), {
        // The second read confirms the transfer (Genesys applies replace/queue asynchronously).
        getConversationsMessage: 2,
        getConversation: 1,
        postConversationsMessageMessagesBulk: 1,
        patchConversationsMessageParticipantAttributes: 1,
        postConversationsMessageCommunicationMessages: 1,
        postConversationParticipantReplaceQueue: 1,
        patchRoutingConversation: 1,
      });
      assert.equal(output.apiCalls, 8);
      assert.equal(output.status, 'transferred');
      assert.equal(output.transferred, true);
      assert.equal(output.queueId, queue?.id);
      assert.equal(output.priority, 8);

      const conversation = h.sandbox.org.getConversation(cid);
      const flow = conversation?.participants.find((p) => p.purpose === 'workflow');
      assert.deepEqual(
        h.sandbox.org.transfers.map((t) => [t.conversationId, t.participantId, t.queueId]),
        [[cid, flow?.id, queue?.id]],
        'replace/queue on the flow participant',
      );
      assert.equal(h.sandbox.org.priorityOf(cid), 8);
      assert.deepEqual(
        h.sandbox.org.sentMessages.map((m) => [m.communicationId, m.text]),
        [[flow?.communicationId, 'Transferring to human support. Please wait.']],
        "the wait message goes out on the flow participant's communication",
      );
      const writes = trace.calls
        .map((c) => c.route)
        .filter((r) => !r.startsWith('get') && r !== 'postConversationsMessageMessagesBulk');
      assert.deepEqual(writes, [
        'patchConversationsMessageParticipantAttributes',
        'postConversationsMessageCommunicationMessages',
        'postConversationParticipantReplaceQueue',
        'patchRoutingConversation',
      ]);
      const order = trace.calls.map((c) => c.route);
      const confirmingRead = order.lastIndexOf('getConversationsMessage');
      assert.ok(
        order.indexOf('postConversationParticipantReplaceQueue') < confirmingRead && confirmingRead < order.indexOf('patchRoutingConversation'),
        `the read confirming the transfer comes between it and the priority: ${order.join(', ')}`,
      );
    });
  });

  describe('when Baton must not hand off', () => {
    it('when the inputs say the bot is confident, then bot_keeps with zero calls and nothing written', async () => {
      const { output, trace } = await h.service.handoff({
        conversationId: h.sandbox.scenarios.lowConfidence,
        intent: 'TrackOrder',
        confidence: 0.95,
      });
      assert.deepEqual(h.apiCalls(), {});
      assert.equal(output.status, 'bot_keeps');
      assert.equal(output.apiCalls, 0);
      assert.equal(output.transcript, '');
      assert.equal(output.queueId, '');
      assert.deepEqual(
        trace.steps.map((s) => s.outcome),
        ['ok', 'skipped', 'skipped'],
      );
    });

    it('when participant data says the bot is confident, then one call (the conversation) and no transcript fetched', async () => {
      const cid = h.sandbox.scenarios.highConfidence;
      const before = { ...h.sandbox.org.customerAttributes(cid) };
      const { output } = await h.service.handoff({ conversationId: cid });
      assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 });
      assert.equal(output.status, 'bot_keeps');
      assert.equal(output.confidence, 0.93);
      assert.deepEqual(h.sandbox.org.customerAttributes(cid), before);
    });

    it('when a per-call threshold is lower than the confidence, then the bot keeps it', async () => {
      const { output } = await h.service.handoff({
        conversationId: h.sandbox.scenarios.lowConfidence,
        threshold: 0.4,
      });
      assert.equal(output.status, 'bot_keeps');
      assert.equal(output.threshold, 0.4);
    });

    it('when the conversation is already in a queue, then already_handed_off, one call, nothing written or transferred', async () => {
      const cid = h.sandbox.scenarios.alreadyHandedOff;
      const before = { ...h.sandbox.org.customerAttributes(cid) };
      const { output } = await h.service.handoff({ conversationId: cid, mode: 'api' });
      assert.equal(output.status, 'already_handed_off');
      assert.deepEqual(h.apiCalls(), { getConversationsMessage: 1 });
      assert.deepEqual(h.sandbox.org.customerAttributes(cid), before);
      assert.equal(h.sandbox.org.transfers.length, 0);
      // The bot wrote no participant data (the sandbox's realistic default): nothing to report, and
      // no analytics call is spent on a conversation that is already routed.
      assert.equal(output.intent, '');
    });

    it('when the conversation is already in a queue and the intent came from inputs, then it is detected before any write', async () => {
      const cid = h.sandbox.scenarios.alreadyHandedOff;
      const { output, trace } = await h.service.handoff({ conversationId: cid, confidence: 0.1 });
      assert.equal(output.status, 'already_handed_off');
      assert.equal(h.apiCalls()['patchConversationsMessageParticipantAttributes'], undefined);
      assert.equal(h.apiCalls()['postConversationsMessageMessagesBulk'], undefined);
      assert.deepEqual(
        trace.steps.map((s) => [s.step, s.outcome]),
        [
          ['assessIntent', 'ok'],
          ['buildTranscript', 'ok'],
          ['handToQueue', 'ok'],
        ],
        'each step once',
      );
    });
  });

  describe("the agent's context", () => {
    it('when writeContext is flow, then exactly 2 Platform API calls (no PATCH), nothing written, and the context comes back as flat outputs', async () => {
      await warmQueueCache();
      const cid = h.sandbox.scenarios.lowConfidence;
      const before = await customerAttributes(cid);
      h.sandbox.counters.reset();
      // As a data action sends it: flat text, the slots as name=value pairs built in Architect.
      const { output } = await h.service.handoff(
        asSent({
          conversationId: cid,
          intent: 'Complaint',
          confidence: '0.2',
          exitReason: 'AgentRequestedByUser',
          slots: 'orderId=88812',
          writeContext: 'flow',
        }),
      );
      assert.deepEqual(h.apiCalls(), {
        getConversationsMessage: 1,
        postConversationsMessageMessagesBulk: 1,
      });
      assert.equal(output.apiCalls, 2);
      handoffOutputSchema.parse(output);
      assert.equal(output.status, 'ready_for_transfer');
      assert.equal(output.writeContext, 'flow');
      assert.deepEqual(await customerAttributes(cid), before, 'the bridge wrote nothing');
      assert.equal(output.contextIntent, 'identifier:Complaint');
      assert.equal(output.contextExitReason, 'AgentRequestedByUser');
      assert.equal(output.contextConfidence, 'number:0.20');
      assert.equal(output.contextSlots, 'longtext:orderId=88812');
      assert.match(output.contextSummary, /^longtext:\S/);
      assert.match(output.contextLastMessage, /^longtext:\S/);
      assert.match(output.message, /returned for the flow's Set Participant Data/);
    });

    it('when the bot passes many long slots, then no attribute passes the limits and the handoff says what it trimmed', async () => {
      const cid = h.sandbox.scenarios.lowConfidence;
      const slots = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`slot${i}`, `${i}:${'v'.repeat(300)}`]));
      const { output } = await h.service.handoff(
        asSent({ conversationId: cid, intent: 'Complaint', confidence: 0.2, slots: Object.entries(slots).map(([k, v]) => `${k}=${v}`).join(';') }),
      );
      const attrs = await customerAttributes(cid);
      assert.ok(Object.keys(attrs).length <= ATTRIBUTE_COUNT_LIMIT, `${Object.keys(attrs).length} attributes`);
      for (const [key, value] of Object.entries(attrs)) assert.ok(value.length <= ATTRIBUTE_VALUE_LIMIT, key);
      assert.match(output.contextTrimmed, /Baton Slot slot0 cut to 256 characters/);
      assert.match(output.contextTrimmed, /\d+ slots left out \(50-attribute limit\)/);
      assert.match(output.message, /Trimmed to the participant-data limits: /);
    });
  });

  describe('transcript options', () => {
    it('when the conversation is long, then the transcript fits maxChars, the newest kept, and the chunks hold it all', async () => {
      const cid = h.sandbox.scenarios.longTranscript;
      const { output } = await h.service.handoff({ conversationId: cid, maxChars: 1200, includeTranscript: true });
      assert.ok(output.transcript.length <= 1200);
      assert.equal(output.truncated, true);
      assert.match(output.transcript, /\n\[\d+ earlier messages omitted\]\n/);
      assert.ok(
        output.transcript.endsWith(
          '[bot] Bot reply 42: have you tried restarting the router and checking the cables?',
        ),
      );
      const attrs = await customerAttributes(cid);
      assert.equal(transcriptFromAttributes(attrs), output.transcript);
      const parts = Number(attrs[AGENT_CONTEXT_KEYS.transcriptParts]);
      assert.ok(parts >= 5);
      for (let n = 1; n <= parts; n += 1)
        assert.ok((attrs[AGENT_CONTEXT_KEYS.transcriptPart(n)] ?? '').length <= 256);
    });

    it('when mask is set, then no e-mail, card or phone number reaches the agent', async () => {
      const cid = h.sandbox.scenarios.withPii;
      const { output } = await h.service.handoff({ conversationId: cid, mask: true });
      const written = JSON.stringify(await customerAttributes(cid));
      for (const pii of ['jane.doe@example.com', '4111 1111 1111 1111', '010-7788']) {
        assert.ok(!output.transcript.includes(pii), pii);
        assert.ok(!written.includes(pii), pii);
      }
      assert.match(output.transcript, /\[customer\] New card \[card\], exp 12\/29/);
      const stored = JSON.stringify(await h.traces.get(output.handoffId));
      assert.ok(!stored.includes('jane.doe@example.com'), 'nor the stored trace');
    });

    it('when there are no messages, then the seed text reaches the agent and no bulk call is made', async () => {
      const cid = h.sandbox.scenarios.noMessages;
      const { output } = await h.service.handoff({ conversationId: cid, confidence: 0.1, includeTranscript: true });
      assert.equal(output.transcript, 'No prior conversation history available.');
      assert.equal(output.messageCount, 0);
      assert.equal(h.apiCalls()['postConversationsMessageMessagesBulk'], undefined);
      assert.equal(
        transcriptFromAttributes(await customerAttributes(cid)),
        'No prior conversation history available.',
      );
    });
  });
});
