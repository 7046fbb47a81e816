import assert from 'node:assert/strict';
import platformClient from 'purecloud-platform-client-v2';
import type { Models } from 'purecloud-platform-client-v2';
import { createSandbox, type Sandbox } from '../src/index.js';

/**
 * The official JS SDK is the client: if it cannot talk to the sandbox, the sandbox is wrong.
 * The SDK's ApiClient is a process-wide singleton; this file points it at the sandbox through the
 * documented gateway setting (Configuration.getConfUrl: protocol://host:port + path_params_*).
 */
describe('conformance: purecloud-platform-client-v2 against the sandbox', () => {
  let sb: Sandbox;
  const client = platformClient.ApiClient.instance;
  let conversations: InstanceType<typeof platformClient.ConversationsApi>;
  let routing: InstanceType<typeof platformClient.RoutingApi>;
  let analytics: InstanceType<typeof platformClient.AnalyticsApi>;

  before(async () => {
    // Transfers apply at once here (the default 200 ms delay after the 202: conversations.test.ts).
    sb = await createSandbox({ conversations: 5, transferDelayMs: 0 });
    const { hostname, port } = new URL(sb.url);
    client.setGateway({ host: hostname, protocol: 'http', port: Number(port), path_params_login: '', path_params_api: '' });
    await client.loginClientCredentialsGrant(sb.clientId, sb.clientSecret);
    conversations = new platformClient.ConversationsApi();
    routing = new platformClient.RoutingApi();
    analytics = new platformClient.AnalyticsApi();
  });
  after(async () => {
    await sb.close();
  });

  it('logs in with loginClientCredentialsGrant against /oauth/token', () => {
    assert.equal(sb.counters.snapshot().tokenRequests, 1);
  });

  it('reads a message conversation and its messages in bulk (getConversationsMessage, postConversationsMessageMessagesBulk)', async () => {
    const id = sb.scenarios.lowConfidence;
    const conv: Models.MessageConversation = await conversations.getConversationsMessage(id);
    assert.equal(conv.id, id);
    const customer = conv.participants?.find((p) => p.purpose === 'customer');
    assert.equal(customer?.attributes?.['bot.confidence'], '0.42');
    const ids = [...new Set((conv.participants ?? []).flatMap((p) => (p.messages ?? []).map((m) => m.messageId as string)))];
    assert.ok(ids.length >= 6);
    const listing: Models.TextMessageListing = await conversations.postConversationsMessageMessagesBulk(id, { body: ids });
    assert.equal(listing.entities?.length, ids.length);
    assert.ok(listing.entities?.some((m) => m.normalizedMessage?.text === 'I want to cancel my order, it never arrived'));
  });

  it('patches participant attributes (patchConversationsMessageParticipantAttributes)', async () => {
    const id = sb.scenarios.noIntent;
    const conv = await conversations.getConversationsMessage(id);
    const pid = conv.participants?.find((p) => p.purpose === 'customer')?.id as string;
    const out: Models.ParticipantAttributes = await conversations.patchConversationsMessageParticipantAttributes(id, pid, {
      body: { attributes: { 'conversationDetails.participantData.Bot summary': 'longtext:hello' } },
    });
    assert.equal(out.attributes?.['conversationDetails.participantData.Bot summary'], 'longtext:hello');
  });

  it('reads the generic conversation and sends on a communication (getConversation, postConversationsMessageCommunicationMessages)', async () => {
    const id = sb.scenarios.highConfidence;
    const conv: Models.Conversation = await conversations.getConversation(id);
    const flow = conv.participants.find((p) => p.purpose === 'workflow');
    const communicationId = flow?.messages?.[0]?.id as string;
    const sent: Models.MessageData = await conversations.postConversationsMessageCommunicationMessages(id, communicationId, { textBody: 'Please wait, an agent is coming.' });
    assert.equal(sent.normalizedMessage?.text, 'Please wait, an agent is coming.');
    const listing = await conversations.postConversationsMessageMessagesBulk(id, { body: [sent.id as string] });
    assert.equal(listing.entities?.[0]?.id, sent.id);
  });

  it('transfers to a queue, then edits the queued conversation (postConversationParticipantReplaceQueue, patchRoutingConversation)', async () => {
    const id = sb.scenarios.lowConfidence;
    const conv = await conversations.getConversationsMessage(id);
    const flow = conv.participants?.find((p) => p.purpose === 'workflow' && p.state === 'connected');
    const queueId = sb.queues[1]?.id as string;
    const result: unknown = await conversations.postConversationParticipantReplaceQueue(id, flow?.id as string, { queueId });
    assert.ok(result === undefined || result === '' || typeof result === 'object');
    const after = await conversations.getConversationsMessage(id);
    assert.equal(after.participants?.find((p) => p.purpose === 'acd')?.queue?.id, queueId);
    const patched: Models.RoutingConversationAttributesResponse = await routing.patchRoutingConversation(id, { priority: 5 });
    assert.equal(patched.priority, 5);
  });

  it('lists and reads queues (getRoutingQueues, getRoutingQueue)', async () => {
    const listing: Models.QueueEntityListing = await routing.getRoutingQueues({ name: 'Billing', pageSize: 25, pageNumber: 1 });
    assert.equal(listing.total, 1);
    const q: Models.Queue = await routing.getRoutingQueue(listing.entities?.[0]?.id as string);
    assert.equal(q.name, 'Billing');
  });

  it('reads bot sessions and reporting turns (getAnalyticsBotflowSessions, getAnalyticsBotflowDivisionsReportingturns)', async () => {
    const sessions: Models.SessionsResponse = await analytics.getAnalyticsBotflowSessions(sb.botFlowId, { pageSize: '250' });
    const session = sessions.entities?.find((s) => s.conversation?.id === sb.scenarios.analyticsOnly);
    assert.ok(session?.id);
    const turns: Models.ReportingTurnsResponse = await analytics.getAnalyticsBotflowDivisionsReportingturns(sb.botFlowId, { sessionId: session.id });
    assert.equal(turns.entities?.find((t) => t.intent)?.intent?.confidence, 0.35);
  });

  it('queries conversation details (postAnalyticsConversationsDetailsQuery)', async () => {
    const res: Models.AnalyticsConversationQueryResponse = await analytics.postAnalyticsConversationsDetailsQuery({
      interval: '2000-01-01T00:00:00.000Z/2100-01-01T00:00:00.000Z',
      conversationFilters: [{ type: 'or', predicates: [{ dimension: 'conversationId', value: sb.scenarios.withPii }] }],
      paging: { pageSize: 25, pageNumber: 1 },
    });
    assert.equal(res.totalHits, 1);
    assert.equal(res.conversations?.[0]?.conversationId, sb.scenarios.withPii);
  });

  it('maps a message id to its conversation (getConversationsMessageDetails)', async () => {
    const message = sb.org.getConversation(sb.scenarios.highConfidence)?.messages[0];
    assert.ok(message);
    const data: Models.MessageData = await conversations.getConversationsMessageDetails(message.id);
    assert.equal(data.conversationId, sb.scenarios.highConfidence);
    assert.equal(data.id, message.id);
    assert.equal(data.normalizedMessage?.text, message.text);
  });

  it('surfaces Genesys errors through the SDK (404 ErrorBody with contextId)', async () => {
    await assert.rejects(conversations.getConversationsMessage('00000000-0000-4000-8000-000000000000'), (err: unknown) => {
      const body = err as Models.ErrorBody;
      assert.equal(body.status, 404);
      assert.equal(body.code, 'not.found');
      assert.ok(body.contextId);
      return true;
    });
  });
});
