import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { createManualClock } from '@baton/core/testing';
import { archyFlowFileName, exportActions, type DataActionDefinition } from '@baton/data-actions';
import { startConversationLoop, type BotProvider, type BotTurn, type ConversationLoop, type FlowRunResult } from '@baton/flow';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

const credentials = { type: 'userDefined' as const, fields: { apiKey: CREDS.apiKey } };

/** What `baton export-actions --format archy` wrote: the flow file and the JSON definitions. */
async function exported(baseUrl: string, defaultQueueId: string, extra: { slots?: string[]; timeoutSeconds?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'baton-archy-'));
  try {
    await exportActions({
      baseUrl,
      auth: 'apikey',
      format: 'archy',
      outDir: dir,
      allowInsecure: true,
      ...(extra.timeoutSeconds && { timeoutSeconds: extra.timeoutSeconds }),
      archy: { defaultQueueId, botFlowName: 'Support Bot', ...(extra.slots && { slots: extra.slots }) },
    });
    const files = await readdir(dir);
    const flow = await readFile(join(dir, archyFlowFileName), 'utf8');
    const definitions: DataActionDefinition[] = [];
    for (const f of files.filter((n) => n.endsWith('.custom.json'))) definitions.push(JSON.parse(await readFile(join(dir, f), 'utf8')));
    return { flow, definitions };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A scripted bot: answers each text from `script` in order; the last entry exits. */
function scriptedBots(script: BotTurn[]): BotProvider & { started: string[] } {
  const started: string[] = [];
  return {
    started,
    start(_conversationId, botFlowName) {
      started.push(botFlowName);
      let i = 0;
      return { turn: () => script[Math.min(i++, script.length - 1)]! };
    },
  };
}

/** A Guest API client over the platform WebSocket: the customer side of one conversation. */
async function guest(h: Harness) {
  const ws = new WebSocket(`${h.sandbox.webMessagingUrl}/v1?deploymentId=${h.sandbox.deploymentId}`);
  const frames: { type: string; class: string; body: { text?: string; direction?: string; originatingEntity?: string } }[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener('message', (e) => {
    frames.push(JSON.parse(String(e.data)));
    for (const w of waiters.splice(0)) w();
  });
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  const token = crypto.randomUUID();
  ws.send(JSON.stringify({ action: 'configureSession', token, deploymentId: h.sandbox.deploymentId }));
  const outbound = () => frames.filter((f) => f.class === 'StructuredMessage' && f.body.direction === 'Outbound').map((f) => f.body.text);
  return {
    send: (text: string) => ws.send(JSON.stringify({ action: 'onMessage', token, message: { type: 'Text', text } })),
    outbound,
    /** Waits until the guest has seen `n` Outbound messages. */
    async outboundCount(n: number) {
      while (outbound().length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return outbound();
    },
    close: () => ws.close(),
  };
}

async function runOf(loop: ConversationLoop, h: Harness, before: ReadonlySet<string>): Promise<{ conversationId: string; result: FlowRunResult }> {
  for (;;) {
    const id = h.sandbox.org.listConversations().find((c) => !before.has(c.id) && loop.runOf(c.id))?.id;
    if (id) return { conversationId: id, result: await loop.runOf(id)! };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const conversationIds = (h: Harness) => new Set(h.sandbox.org.listConversations().map((c) => c.id));

describe('the exported Archy flow, run by @baton/flow against the real bridge and the sandbox (Guest API over WebSocket)', () => {
  let h: Harness;
  let defaultQueue: string;
  let batonQueue: string;
  before(async () => {
    h = await startHarness();
    batonQueue = h.config.handoff.defaultQueueId ?? h.sandbox.queues[0]!.id;
    defaultQueue = h.sandbox.queues.find((q) => q.id !== batonQueue)!.id;
  });
  after(() => h.close());

  it('when the customer asks for a human, then callData Success → Send Response waitMessage → Transfer to ACD to the queue and priority Baton chose, with the slots in the context', async () => {
    const { flow, definitions } = await exported(h.url, defaultQueue, { slots: ['orderNumber'] });
    const bots = scriptedBots([
      { reply: 'Hi! What can I do for you?' },
      { exit: { exitReason: 'AgentRequestedByUser', intent: 'CancelOrder', slots: { orderNumber: 'A-1;2' } } },
    ]);
    const loop = startConversationLoop({ sandbox: h.sandbox, flow, dataActions: definitions, credentials, bots });
    const known = conversationIds(h);
    const g = await guest(h);
    try {
      g.send('hello');
      await g.outboundCount(1);
      g.send('I want to talk to a person');
      const { conversationId, result } = await runOf(loop, h, known);
      assert.equal(result.outcome.kind, 'transferred', JSON.stringify(result));
      const callData = result.trace.find((t) => t.action === 'callData')!;
      assert.equal(callData.path, 'success', callData.detail);
      assert.deepEqual(bots.started, ['Support Bot']);
      assert.equal(result.variables['Flow.status'], 'ready_for_transfer');
      assert.deepEqual(result.outcome, { kind: 'transferred', queueId: result.variables['Flow.queueId'], priority: result.variables['Flow.priority'] });
      const conversation = h.sandbox.org.getConversation(conversationId)!;
      assert.ok(conversation.participants.some((p) => p.purpose === 'acd' && p.queueId === result.variables['Flow.queueId'] && p.state === 'connected'));
      assert.equal(h.sandbox.org.priorityOf(conversationId), result.variables['Flow.priority']);
      // The slots input was built by the exported expression (; escaped) and decoded by Baton.
      const attributes = h.sandbox.org.customerAttributes(conversationId)!;
      assert.equal(attributes['conversationDetails.participantData.Baton Exit Reason'], 'AgentRequestedByUser');
      assert.equal(attributes['conversationDetails.participantData.Baton Slot orderNumber'], 'A-1;2');
      const seen = await g.outboundCount(2);
      assert.deepEqual(seen, ['Hi! What can I do for you?', result.variables['Flow.waitMessage']]);
    } finally {
      g.close();
      loop.close();
    }
  });

  it('when the bot exits with no intent and the flow has no slots, then the NOT_SET inputs are dropped and the handoff still succeeds', async () => {
    const { flow, definitions } = await exported(h.url, defaultQueue);
    const loop = startConversationLoop({
      sandbox: h.sandbox,
      flow,
      dataActions: definitions,
      credentials,
      bots: scriptedBots([{ exit: { exitReason: 'RecognitionFailure' } }]),
    });
    const known = conversationIds(h);
    const g = await guest(h);
    try {
      g.send('asdfgh');
      const { result } = await runOf(loop, h, known);
      assert.equal(result.variables['Flow.intent'], null);
      const callData = result.trace.find((t) => t.action === 'callData')!;
      assert.equal(callData.path, 'success', callData.detail);
      assert.equal(result.outcome.kind, 'transferred');
    } finally {
      g.close();
      loop.close();
    }
  });

  it('when the bridge is down, then the Failure path transfers to the flow\'s default queue', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const downUrl = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
    await new Promise((resolve) => down.close(resolve));
    const { flow, definitions } = await exported(downUrl, defaultQueue);
    const loop = startConversationLoop({
      sandbox: h.sandbox,
      flow,
      dataActions: definitions,
      credentials,
      bots: scriptedBots([{ exit: { exitReason: 'AgentRequestedByUser', intent: 'Billing' } }]),
    });
    const known = conversationIds(h);
    const g = await guest(h);
    try {
      g.send('agent');
      const { result } = await runOf(loop, h, known);
      const callData = result.trace.find((t) => t.action === 'callData')!;
      assert.equal(callData.path, 'failure');
      assert.match(callData.detail ?? '', /Request to backend service failed/);
      assert.deepEqual(result.outcome, { kind: 'transferred', queueId: defaultQueue, priority: 0 });
    } finally {
      g.close();
      loop.close();
    }
  });

  it('when the bridge does not answer within the action timeout, then the Timeout path transfers to the default queue', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    // A bridge that takes the request and never answers.
    const slow: Server = createServer(() => arrived());
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const clock = createManualClock();
    const { flow, definitions } = await exported(`http://127.0.0.1:${(slow.address() as AddressInfo).port}`, defaultQueue, { timeoutSeconds: 5 });
    const loop = startConversationLoop({
      sandbox: h.sandbox,
      flow,
      dataActions: definitions,
      credentials,
      bots: scriptedBots([{ exit: { exitReason: 'AgentRequestedByUser', intent: 'Billing' } }]),
      startTimer: clock.setTimer,
    });
    const known = conversationIds(h);
    const g = await guest(h);
    try {
      g.send('agent');
      await requestArrived;
      clock.advance(5000);
      const { result } = await runOf(loop, h, known);
      assert.equal(result.trace.find((t) => t.action === 'callData')!.path, 'timeout');
      assert.deepEqual(result.outcome, { kind: 'transferred', queueId: defaultQueue, priority: 0 });
    } finally {
      g.close();
      loop.close();
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});
