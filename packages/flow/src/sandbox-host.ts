import type { GuestApi, SandboxOrg } from '@baton/sandbox';
import type { BotSession, FlowHost } from './flow-host.js';

/** Starts a bot flow for a conversation (the sandbox's simulated digital bots, or a test's). */
export interface BotProvider {
  start(conversationId: string, botFlowName: string): BotSession | Promise<BotSession>;
}

/**
 * What the flow needs from the org beyond the Guest API: a transfer, participant data, queues.
 * `orgPortsOf(sandbox)` builds it from the sandbox; a lead wiring another org passes its own.
 */
export interface FlowOrgPorts {
  transferToQueue(conversationId: string, queueId: string, priority: number): void;
  setParticipantData(conversationId: string, attributes: Readonly<Record<string, string>>): void;
  findQueue(id: string): { id: string; name: string } | undefined;
}

/** The sandbox's org-side mutations this adapter uses (present on the org object, not on its public type). */
interface OrgMutationsUsed {
  transferToQueue(conversationId: string, participantId: string, target: { queueId: string }, clientId: string): unknown;
  setRoutingAttributes(conversationId: string, patch: { priority?: number }): unknown;
  mergeCustomerAttributes(conversationId: string, attributes: Record<string, string>): void;
  findQueue(id: string): { id: string; name: string } | undefined;
}

/** The OAuth client id the sandbox records for transfers the flow makes (no real client: Architect does it). */
export const FLOW_CLIENT_ID = 'architect-inbound-message-flow';

/**
 * The org ports over the sandbox's own state: Transfer to ACD replaces the flow participant with
 * the queue (as the Platform API's replace does) and sets the routing priority; Set Participant
 * Data merges onto the customer participant (where the Guest API's customAttributes go too).
 */
export function orgPortsOf(sandbox: { org: SandboxOrg }): FlowOrgPorts {
  const org = sandbox.org as SandboxOrg & Partial<OrgMutationsUsed>;
  const { transferToQueue, setRoutingAttributes, mergeCustomerAttributes, findQueue } = org;
  if (!transferToQueue || !setRoutingAttributes || !mergeCustomerAttributes || !findQueue) {
    throw new Error('this sandbox org has no transferToQueue/setRoutingAttributes/mergeCustomerAttributes/findQueue; pass FlowOrgPorts');
  }
  return {
    transferToQueue(conversationId, queueId, priority) {
      const conversation = org.getConversation(conversationId);
      const flow = conversation?.participants.find((p) => p.purpose === 'workflow' && p.state === 'connected');
      if (!flow) throw new Error(`conversation ${conversationId} is not held by a flow`);
      transferToQueue.call(org, conversationId, flow.id, { queueId }, FLOW_CLIENT_ID);
      setRoutingAttributes.call(org, conversationId, { priority });
    },
    setParticipantData: (conversationId, attributes) => mergeCustomerAttributes.call(org, conversationId, { ...attributes }),
    findQueue: (id) => findQueue.call(org, id),
  };
}

/**
 * A bot provider for a sandbox with no simulated bots: the bot exits on the first message with
 * `TriggeredByFlow` and no intent, so the flow goes straight to its handoff (Baton's `default` rule).
 */
export const exitAtOnceBots: BotProvider = {
  start: () => ({ turn: () => ({ exit: { exitReason: 'TriggeredByFlow' } }) }),
};

export interface SandboxFlowHostOptions {
  sandbox: { guest: Pick<GuestApi, 'sendOutbound' | 'disconnect'>; org: SandboxOrg };
  /** The bot flows Call Digital Bot Flow starts. Default `exitAtOnceBots`. */
  bots?: BotProvider;
  /** Default: `orgPortsOf(sandbox)`. */
  org?: FlowOrgPorts;
}

/** A FlowHost over the sandbox: responses and bot replies go out as Outbound `Bot` messages. */
export function createSandboxFlowHost(options: SandboxFlowHostOptions): FlowHost {
  const { sandbox } = options;
  const org = options.org ?? orgPortsOf(sandbox);
  const bots = options.bots ?? exitAtOnceBots;
  return {
    sendResponse: (conversationId, text) => void sandbox.guest.sendOutbound(conversationId, { text, originatingEntity: 'Bot' }),
    setParticipantData: (conversationId, attributes) => org.setParticipantData(conversationId, attributes),
    transferToAcd: (conversationId, queueId, priority) => org.transferToQueue(conversationId, queueId, priority),
    disconnect: (conversationId) => sandbox.guest.disconnect(conversationId),
    startBot: (conversationId, botFlowName) => bots.start(conversationId, botFlowName),
    findQueueById(id) {
      const q = org.findQueue(id);
      return q ? { kind: 'queue', id: q.id, name: q.name } : null;
    },
  };
}
