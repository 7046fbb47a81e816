import {
  BatonError,
  createGenesysClient,
  createGuestClient,
  GuestApiError,
  resolveTarget,
  webMessagingOriginFor,
  type GenesysApi,
} from '@baton/core';
import type { Models } from 'purecloud-platform-client-v2';
import type { ConversationTarget, HandoffObservation } from './conversation-target.js';

export interface RealOrgTargetOptions {
  /** The Guest API origin: `wss://webmessaging.<region domain>` or an override. */
  webMessagingOrigin: string;
  deploymentId: string;
  /** Core's Platform API client, logged in with the org's client credentials. */
  genesys: Pick<GenesysApi, 'getMessageDetails' | 'getConversation' | 'getQueue' | 'checkToken'>;
  /** `human`: someone answers as the agent, and Baton observes it; `none` (default): agent steps are skipped. */
  agent?: 'human' | 'none';
  /** How often to look at the conversation while waiting. Default 1000: each look is one Platform API call. */
  pollMs?: number;
  /**
   * While a look shows nothing new (a conversation waiting in its queue), the wait doubles up to
   * this. Default 5000: a queued minute costs about 14 calls, not 60 (docs/genesys-facts.md#rate-limits).
   */
  pollMaxMs?: number;
  /** Seam: the WebSocket constructor for the preflight's guest. */
  WebSocket?: typeof WebSocket;
  /**
   * How the preflight's errors name the settings to check: `baton test` reads environment
   * variables (the default), the editor an org profile's fields.
   */
  settingNames?: { deploymentId: string; region: string; credentials: string };
}

const ENV_SETTING_NAMES = {
  deploymentId: 'GENESYS_DEPLOYMENT_ID',
  region: 'GENESYS_REGION',
  credentials: 'GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET',
};

/** The bad deployment id, the unreachable Guest API or the refused credentials, said before any scenario runs. */
export class RealOrgTargetError extends BatonError {
  constructor(message: string, cause?: unknown) {
    super('configuration_invalid', message, cause === undefined ? {} : { cause });
  }
}

/**
 * A real org's web-messaging deployment as a scenario target (UNCONFIRMED: not run against a real
 * org), reached only through URLs and client credentials. The guest's conversation is found from
 * the id of a message it sent (docs/genesys-facts.md#conversation-from-a-guest-session) and the
 * handoff is read from the conversation's `acd` participant (docs/genesys-facts.md#conversation-routing-data).
 * Baton's decision rules are in the deployed bridge's trace, not on the org: not observable here.
 */
export function realOrgTarget(
  options: RealOrgTargetOptions,
): ConversationTarget & { preflight(): Promise<void> } {
  const { genesys, deploymentId } = options;
  const names = options.settingNames ?? ENV_SETTING_NAMES;
  const queueNames = new Map<string, string>();
  const queueName = async (acd: Models.Participant, queueId: string): Promise<string> => {
    if (acd.queueName) return acd.queueName;
    let name = queueNames.get(queueId);
    if (name === undefined) {
      name = (await genesys.getQueue(queueId)).name ?? queueId;
      queueNames.set(queueId, name);
    }
    return name;
  };
  return {
    description: `deployment ${deploymentId} at ${options.webMessagingOrigin}`,
    simulated: false,
    webMessaging: { origin: options.webMessagingOrigin, deploymentId },
    pollMs: options.pollMs ?? 1000,
    pollMaxMs: options.pollMaxMs ?? Math.max(options.pollMs ?? 1000, 5000),
    async conversationIdOf({ sentMessageIds }) {
      const messageId = sentMessageIds[0];
      if (messageId === undefined) return undefined;
      try {
        return (await genesys.getMessageDetails(messageId)).conversationId;
      } catch (error) {
        // The org may not know the message yet: look again until the step's timeout.
        if (error instanceof BatonError && error.code === 'genesys_not_found') return undefined;
        throw error;
      }
    },
    async observeHandoff(conversationId): Promise<HandoffObservation | undefined> {
      const conversation = await genesys.getConversation(conversationId);
      const participants = conversation.participants ?? [];
      const acd = participants.filter((p) => p.purpose === 'acd' && p.queueId).at(-1);
      if (!acd?.queueId) return undefined;
      const participantData: Record<string, string> = {};
      // A returning customer is a new customer participant: the latest one's data wins.
      for (const p of participants)
        if (p.purpose === 'customer') Object.assign(participantData, p.attributes ?? {});
      const agentAnswered = participants.some((p) => p.purpose === 'agent' && p.connectedTime !== undefined);
      return {
        conversationId,
        queue: { id: acd.queueId, name: await queueName(acd, acd.queueId) },
        priority: acd.conversationRoutingData?.priority,
        participantData,
        agentAnswered,
        settled: acd.endTime !== undefined,
        ...(acd.id !== undefined && { episode: acd.id }),
      };
    },
    agent: { kind: options.agent ?? 'none' },
    async preflight() {
      try {
        await genesys.checkToken();
      } catch (error) {
        throw new RealOrgTargetError(
          `The Platform API refused the client credentials (check ${names.credentials}): ${error instanceof Error ? error.message : String(error)}`,
          error,
        );
      }
      const guest = createGuestClient({
        origin: options.webMessagingOrigin,
        deploymentId,
        heartbeatMs: 0,
        requestTimeoutMs: 10_000,
        ...(options.WebSocket && { WebSocket: options.WebSocket }),
      });
      try {
        // configureSession alone starts no conversation.
        await guest.connect();
      } catch (error) {
        const said =
          error instanceof GuestApiError
            ? `${error.code} ${error.message.replace(/^Guest API \d+: /, '')}`
            : error instanceof Error
              ? error.message
              : String(error);
        throw new RealOrgTargetError(
          `The Web Messaging Guest API at ${options.webMessagingOrigin} refused deployment ${deploymentId} (${said}). ` +
            `Check ${names.deploymentId} (Admin > Message > Messenger Deployments) and that the deployment is in ${names.region}.`,
          error,
        );
      } finally {
        await guest.close().catch(() => undefined);
      }
    },
  };
}

/** What `realOrgTargetFromConfig` needs of the bridge's configuration (org mode). */
export interface RealOrgTargetConfig {
  genesys: {
    region?: string;
    baseUrl?: string;
    clientId?: string;
    clientSecret?: string;
    requestsPerMinute: number;
    maxRetryAfterHoldMs: number;
  };
  conversations: { deploymentId?: string; webMessagingUrl?: string; agent: 'none' | 'human' };
}

/**
 * The real-org target from the bridge's configuration: the same client credentials and region (or
 * GENESYS_BASE_URL) the bridge uses, GENESYS_DEPLOYMENT_ID and the Guest API origin of the region
 * (docs/genesys-facts.md#web-messaging-guest-api) unless GENESYS_WEB_MESSAGING_URL overrides it.
 * Throws RealOrgTargetError naming the variable to set.
 */
export function realOrgTargetFromConfig(
  config: RealOrgTargetConfig,
): ReturnType<typeof realOrgTarget> & { close(): Promise<void> } {
  const { genesys: g, conversations: c } = config;
  if (c.deploymentId === undefined) {
    throw new RealOrgTargetError(
      'Conversation scenarios against a real org need GENESYS_DEPLOYMENT_ID (the web-messaging deployment to talk to); unset GENESYS_CLIENT_ID to run them on the sandbox.',
    );
  }
  const origin =
    c.webMessagingUrl ??
    (g.baseUrl === undefined && g.region !== undefined ? webMessagingOriginFor(g.region) : undefined);
  if (origin === undefined) {
    throw new RealOrgTargetError(
      'With GENESYS_BASE_URL, set GENESYS_WEB_MESSAGING_URL too (the Guest API origin, e.g. wss://webmessaging.mypurecloud.com).',
    );
  }
  const client = createGenesysClient({
    target: resolveTarget({
      ...(g.region !== undefined && { region: g.region }),
      ...(g.baseUrl !== undefined && { baseUrl: g.baseUrl }),
    }),
    clientId: g.clientId ?? '',
    clientSecret: g.clientSecret ?? '',
    requestsPerMinute: g.requestsPerMinute,
    maxHoldMs: g.maxRetryAfterHoldMs,
  });
  return {
    ...realOrgTarget({
      webMessagingOrigin: origin,
      deploymentId: c.deploymentId,
      genesys: client,
      agent: c.agent,
    }),
    close: () => client.close(),
  };
}
