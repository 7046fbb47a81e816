import {
  API_ROUTES,
  ROUTES,
  createGenesysClient,
  createHandoffService,
  resolveTarget,
  type GenesysClient,
  type HandoffConfig,
  type UpstreamCall,
} from '@baton/core';
import type { Logger } from '@baton/bridge';
import { createSandbox } from '@baton/sandbox';
import { handoffRulesOf, realOrgTarget, startSandboxLoop, type SandboxLoop } from '@baton/bridge/conversations';
import { genesysTargetOf, webMessagingOriginOf, type ActiveOrg, type OrgProfile } from '../model/org-profile.js';
import { RECENT_PAGE_SIZE, type BridgeEndpoint, type ConversationChoice, type ConversationPlayground, type OrgBackend, type RealOrgDeployment, MissingDeploymentError } from './org-backend.js';
import { startSandboxBridge, type InProcessBridge } from './sandbox-bridge.js';

/** How far back "recent conversations" looks; the analytics details query needs an interval. */
const RECENT_DAYS = 7;

/** The Platform API operations that change an org (what a read-only command must never call), from core's route table. */
const SANDBOX_WRITE_ROUTES = API_ROUTES.filter((route) => ROUTES[route].writes);

export interface BackendDeps {
  /** The bridge's logger writing to the output channel; the sandbox's in-process bridge logs through it. */
  logger: Logger;
}

/**
 * The real factory: core's Genesys client and handoff service, against an org or a sandbox started here.
 *
 * Both clients capture request and response bodies (`captureBodies`), so the trace webview shows
 * each upstream call's request and answer. They stay on this machine: the handoff service's trace
 * recorder and the history store redact them (secret-named keys, the org's secrets), and the
 * client never records headers, so never the access token.
 */
export async function createBackend(org: ActiveOrg, clientSecret: string | undefined, deps: BackendDeps): Promise<OrgBackend> {
  if (org.kind === 'sandbox') {
    const sandbox = await createSandbox({ port: 0, host: '127.0.0.1' });
    try {
      const client = createGenesysClient({
        target: resolveTarget({ baseUrl: sandbox.url }),
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        captureBodies: true,
      });
      // Started on the first Test Data Action, not with the org: most sessions never need it.
      let bridge: Promise<InProcessBridge> | undefined;
      let bridgeSecrets: readonly string[] = [];
      const startBridge = () => {
        bridge ??= startSandboxBridge(sandbox, deps.logger).then(
          (b) => {
            bridgeSecrets = b.secrets;
            return b;
          },
          (error: unknown) => {
            bridge = undefined; // not cached: the next call tries again
            throw error;
          },
        );
        return bridge;
      };
      // The conversation loop (the exported flow against that bridge), also on first use.
      let playground: Promise<{ loop: SandboxLoop; playground: ConversationPlayground }> | undefined;
      const startPlayground = () => {
        playground ??= (async () => {
          const running = await startBridge();
          const auth = running.endpoint.auth;
          if (!auth || !('apiKey' in auth)) throw new Error('the in-process bridge has no API key for the flow to call it with');
          const loop = await startSandboxLoop({
            sandbox,
            bridgeUrl: running.endpoint.url,
            apiKey: auth.apiKey,
            onError: (conversationId, error) => deps.logger.warn({ conversationId, err: error }, 'the sandbox flow failed'),
          });
          return {
            loop,
            playground: {
              sandbox,
              loop: loop.loop,
              traces: (conversationId: string) => running.traces(conversationId),
              rulesOf: async (conversationId: string) => handoffRulesOf((await running.traces(conversationId))[0]),
            },
          };
        })().catch((error: unknown) => {
          playground = undefined;
          throw error;
        });
        return playground;
      };
      return backendOver(client, {
        kind: 'sandbox',
        name: org.name,
        secrets: () => [sandbox.clientSecret, ...bridgeSecrets],
        config: { defaultQueueId: sandbox.queues[0]?.id, botFlowId: sandbox.botFlowId },
        seedConversation: async (fixture) => sandbox.org.addConversation(fixture as Parameters<typeof sandbox.org.addConversation>[0]),
        sandboxState: (conversationId) => {
          const { byRoute } = sandbox.counters.snapshot();
          return {
            participantAttributes: Object.fromEntries(
              (sandbox.org.getConversation(conversationId)?.participants ?? []).map((p) => [p.id, { ...p.attributes }]),
            ),
            transfers: sandbox.org.transfers.length,
            writeRequests: SANDBOX_WRITE_ROUTES.reduce((n, route) => n + (byRoute[route] ?? 0), 0),
          };
        },
        bridge: async () => (await startBridge()).endpoint,
        conversations: async () => (await startPlayground()).playground,
        close: async () => {
          const loop = playground;
          playground = undefined;
          if (loop) await loop.then((p) => p.loop.close(), () => undefined);
          // The bridge first: its runtime still talks to the sandbox while it drains.
          const running = bridge;
          bridge = undefined;
          if (running) await running.then((b) => b.close(), () => undefined);
          await sandbox.close();
        },
      });
    } catch (error) {
      await sandbox.close();
      throw error;
    }
  }
  if (clientSecret === undefined) throw new Error(`No client secret for org "${org.profile.name}"`);
  const client = createGenesysClient({
    target: resolveTarget(genesysTargetOf(org.profile)),
    clientId: org.profile.clientId,
    clientSecret,
    captureBodies: true,
  });
  const profile = org.profile;
  return backendOver(client, {
    kind: 'genesys',
    name: profile.name,
    secrets: () => [clientSecret],
    config: {},
    deployment: () => realOrgDeploymentOf(profile, client),
  });
}

/** `baton test`'s real-org target (UNCONFIRMED) for the profile's deployment, over the backend's own Platform API client. */
export function realOrgDeploymentOf(profile: OrgProfile, client: GenesysClient): RealOrgDeployment {
  if (profile.deploymentId === undefined)
    throw new MissingDeploymentError(
      `The org "${profile.name}" has no "deploymentId" in the baton.orgs setting: add its Messenger deployment id (Admin > Message > Messenger Deployments) to talk to its bot from the editor, or switch to the Sandbox org.`,
    );
  const origin = webMessagingOriginOf(profile);
  if (origin === undefined)
    throw new MissingDeploymentError(
      `The org "${profile.name}" has a region Baton does not know ("${profile.region}"): set "webMessagingUrl" in its baton.orgs entry (e.g. wss://webmessaging.mypurecloud.com).`,
    );
  const deploymentId = profile.deploymentId;
  return {
    origin,
    deploymentId,
    target: (options = {}) =>
      realOrgTarget({
        webMessagingOrigin: origin,
        deploymentId,
        genesys: client,
        ...(options.pollMs !== undefined && { pollMs: options.pollMs }),
        ...(options.WebSocket && { WebSocket: options.WebSocket }),
        // The preflight's errors name what to fix in the editor, not baton test's variables.
        settingNames: {
          deploymentId: `the "deploymentId" of "${profile.name}" in the baton.orgs setting`,
          region: `its region ("${profile.region}")`,
          credentials: `the clientId of "${profile.name}" and its client secret (Baton: Set Org Client Secret)`,
        },
      }),
  };
}

interface BackendOptions {
  kind: OrgBackend['kind'];
  name: string;
  secrets: () => readonly string[];
  config: Partial<HandoffConfig>;
  seedConversation?: (fixture: Record<string, unknown>) => Promise<string>;
  sandboxState?: OrgBackend['sandboxState'];
  bridge?: () => Promise<BridgeEndpoint | undefined>;
  conversations?: () => Promise<ConversationPlayground>;
  deployment?: () => RealOrgDeployment;
  close?: () => Promise<void>;
}

function backendOver(client: GenesysClient, options: BackendOptions): OrgBackend {
  // One service per backend: its idempotency store is per org, so a rerun of a conversation
  // answers `already_handed_off` the way a bridge replica would.
  const service = createHandoffService({ genesys: client, config: stripUndefined(options.config) });
  const backend: OrgBackend = {
    kind: options.kind,
    name: options.name,
    async recentConversations(page = 1) {
      const end = new Date();
      const start = new Date(end.getTime() - RECENT_DAYS * 86_400_000);
      const rows = await client.queryConversationDetails(
        {
          interval: `${start.toISOString()}/${end.toISOString()}`,
          order: 'desc',
          orderBy: 'conversationStart',
          segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'message' }] }],
          paging: { pageSize: RECENT_PAGE_SIZE, pageNumber: page },
        },
        {},
        { maxPages: 1 },
      );
      return rows
        .filter((r) => r.conversationId)
        .map((r): ConversationChoice => {
          const customer = r.participants?.find((p) => p.purpose === 'customer');
          return {
            id: r.conversationId!,
            label: customer?.participantName || r.conversationId!,
            detail: `started ${r.conversationStart ?? '?'}${r.conversationEnd ? ', ended' : ''}`,
          };
        });
    },
    async queues() {
      const queues = await client.listQueues();
      return queues.filter((q) => q.id && q.name).map((q) => ({ id: q.id!, name: q.name! }));
    },
    async inspect(conversationId) {
      const calls: UpstreamCall[] = [];
      const ctx = { onCall: (c: UpstreamCall) => calls.push(c) };
      const [conversation, intent, transcript] = await Promise.all([
        client.getMessageConversation(conversationId, ctx),
        service.assessIntent({ conversationId }, ctx),
        service.buildTranscript({ conversationId }, ctx),
      ]);
      return {
        conversationId,
        participants: (conversation.participants ?? []).map((p) => ({
          id: p.id ?? '',
          purpose: p.purpose ?? '',
          name: p.name ?? '',
          state: p.state ?? '',
          attributes: { ...(p.attributes ?? {}) },
        })),
        intent,
        transcript,
        apiCalls: calls.length,
      };
    },
    handoff: (input, ctx) => service.handoff(input, ctx),
    secrets: options.secrets,
    async dispose() {
      await client.close();
      await options.close?.();
    },
  };
  if (options.seedConversation) backend.seedConversation = options.seedConversation;
  if (options.bridge) backend.bridge = options.bridge;
  if (options.conversations) backend.conversations = options.conversations;
  if (options.deployment) backend.deployment = options.deployment;
  if (options.sandboxState) backend.sandboxState = options.sandboxState;
  return backend;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
