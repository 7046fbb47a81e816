import type {
  AssessIntentOutput,
  HandoffInput,
  HandoffOutput,
  HandoffTrace,
  TranscriptOutput,
  UpstreamCall,
} from '@baton/core';
import type { realOrgTarget } from '@baton/bridge/conversations';
import type { FlowRuns } from '@baton/bridge/conversations';
import type { Sandbox } from '@baton/sandbox';

/**
 * One details-query page of the newest conversations per look: paging through every message
 * conversation of seven days (a busy org has tens of thousands) cost a call per 100 of them, out of
 * the per-token budget the bridge's handoffs share.
 */
export const RECENT_PAGE_SIZE = 50;

export interface ConversationChoice {
  id: string;
  /** E.g. the customer's name and when it started. */
  label: string;
  detail: string;
}

export interface QueueChoice {
  id: string;
  name: string;
}

export interface ParticipantView {
  id: string;
  purpose: string;
  name: string;
  state: string;
  attributes: Record<string, string>;
}

/** What "Inspect Conversation" shows; gathered with read-only calls only. */
export interface ConversationInspection {
  conversationId: string;
  participants: ParticipantView[];
  intent: AssessIntentOutput;
  transcript: TranscriptOutput;
  apiCalls: number;
}

/** What the sandbox org holds that a write would change (integration tests compare before and after). */
export interface SandboxState {
  /** Attributes of each participant of the conversation, by participant id. */
  participantAttributes: Record<string, Record<string, string>>;
  /** Transfers (replace/queue) the sandbox has applied, in any conversation. */
  transfers: number;
  /** Requests the sandbox received for its write operations (attributes, transfers, routing, messages), answered or refused. */
  writeRequests: number;
}

export interface HandoffContext {
  deadline?: number;
  onCall?: (call: UpstreamCall) => void;
}

/** Where the Test Data Action command sends requests: a running bridge and its credentials. */
export interface BridgeEndpoint {
  url: string;
  /** None for a configured `baton.bridgeUrl`; the in-process bridge's dev key (`X-API-Key`). */
  auth?: { username: string; password: string } | { apiKey: string };
}

/**
 * The whole conversation on the Sandbox org, for "Chat as Customer" and conversation scenarios: a
 * customer on its Guest API reaches its bot, the exported Archy flow calling the in-process bridge's
 * data actions, and its agents.
 */
export interface ConversationPlayground {
  /** The sandbox the loop runs on (its Guest API origin, deployment id and agents: what the scenario runner drives). */
  readonly sandbox: Sandbox;
  /** The flow runs (what `expectDataActionPath` reads). */
  readonly loop: FlowRuns;
  /** Baton's handoff traces of a conversation, newest first. */
  traces(conversationId: string): Promise<HandoffTrace[]>;
  /** The rules Baton's newest handoff of the conversation applied (what `expectHandoff` checks). */
  rulesOf(conversationId: string): Promise<{ decisionRule?: string; routingRule?: string }>;
}

/** The profile's Messenger deployment did not say enough to reach it: the message names the setting to add. */
export class MissingDeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingDeploymentError';
  }
}

/**
 * A real org's Messenger deployment (the profile's `deploymentId`), UNCONFIRMED against a real org:
 * `baton test`'s real-org target over the org's Platform API client. The customer talks to the
 * deployment's Guest API; the conversation and its handoff are read back through the Platform API.
 */
export interface RealOrgDeployment {
  /** The Guest API origin (ws/wss). */
  readonly origin: string;
  readonly deploymentId: string;
  /** A fresh real-org target (its queue-name cache is per run). */
  target(options?: { pollMs?: number; WebSocket?: typeof WebSocket }): ReturnType<typeof realOrgTarget>;
}

/**
 * Everything the editor does against one org, real or sandbox. The commands, views and the test
 * controller depend on this, not on core's factories, so they can be driven by a fake in tests and
 * the org's lifetime (the sandbox's HTTP server) is in one place.
 */
export interface OrgBackend {
  readonly kind: 'sandbox' | 'genesys';
  readonly name: string;
  /**
   * One page (`RECENT_PAGE_SIZE`, newest first) of the last seven days' message conversations:
   * page 1 by default, a full page means there may be more.
   */
  recentConversations(page?: number): Promise<ConversationChoice[]>;
  queues(): Promise<QueueChoice[]>;
  inspect(conversationId: string): Promise<ConversationInspection>;
  handoff(input: HandoffInput, ctx?: HandoffContext): Promise<{ output: HandoffOutput; trace: HandoffTrace }>;
  /** Only the sandbox can take an inline conversation fixture. */
  seedConversation?: (fixture: Record<string, unknown>) => Promise<string>;
  /** Only the sandbox: what it holds of a conversation, for tests that check a command wrote nothing. */
  sandboxState?: (conversationId: string) => SandboxState;
  /** A bridge to run data actions against, when this backend can provide one (the sandbox starts one in-process on first call). */
  bridge?: () => Promise<BridgeEndpoint | undefined>;
  /** Only the sandbox: the conversation loop, started on first use (with the in-process bridge). */
  conversations?: () => Promise<ConversationPlayground>;
  /**
   * Only a real org: its Messenger deployment. Throws `MissingDeploymentError` (naming the setting)
   * when the profile has no `deploymentId` or no Guest API origin can be derived.
   */
  deployment?: () => RealOrgDeployment;
  /** Values to redact from anything stored or logged (the client secret, current tokens). */
  secrets(): readonly string[];
  dispose(): Promise<void>;
}
