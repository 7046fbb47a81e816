import type { Models } from 'purecloud-platform-client-v2';
import type { UpstreamCall } from '../contracts/trace.js';
import { BatonError, ValidationError } from '../errors.js';
import { createMemoryTokenStore } from '../state/memory.js';
import type { TokenStore } from '../state/token-store.js';
import type { CallOptions, GenesysApi } from './api.js';
import { createCallRunner } from './call-runner.js';
import { createSystemClock, type Clock } from '../clock.js';
import { DEFAULT_BUDGET_MS } from '../deadline.js';
import type { ResourceRef } from './genesys-error.js';
import { createHttpSeam, type GenesysFetch } from './http.js';
import { createPacer, type Pacer, type PacerLogger } from './pacer.js';
import { DEFAULT_RETRY_SETTINGS, type RetrySettings } from './retry.js';
import type { ApiRoute } from './routes.js';
import type { GenesysTarget } from './target.js';
import { createTokenProvider } from './token-provider.js';

export interface GenesysClientOptions {
  /** From resolveTarget(): a region, or the explicit base URL option (the sandbox). */
  target: GenesysTarget;
  clientId: string;
  clientSecret: string;
  /** The fetch seam for every request, token requests included. Default: undici with a keep-alive pool. */
  fetch?: GenesysFetch;
  clock?: Clock;
  /** Jitter source, [0, 1). */
  random?: () => number;
  /** Where the access token is cached; share one (Redis) across replicas. Default: in memory. */
  tokenStore?: TokenStore;
  /** Pacer budget when no `pacer` is given. Default 300, the Genesys default per token. */
  requestsPerMinute?: number;
  pacer?: Pacer;
  /** Longest a 429's Retry-After holds every request, when no `pacer` is given. Default DEFAULT_MAX_HOLD_MS (60 s). */
  maxHoldMs?: number;
  /** Warnings of the pacer made when no `pacer` is given (a Retry-After cut to `maxHoldMs`). */
  logger?: PacerLogger;
  retry?: Partial<RetrySettings>;
  /** Deadline of a call whose caller passed none. Default DEFAULT_BUDGET_MS (20 s, deadline.ts). */
  defaultCallBudgetMs?: number;
  /** Budget of one login (token request and its retries). Default 15 s. */
  loginBudgetMs?: number;
  /** How long a sent write (transfer, send) may answer past the deadline before it is abandoned. Default 15 s. */
  writeSettleMs?: number;
  /** Called once per upstream call (token requests included), for metrics. */
  onCall?: (call: UpstreamCall) => void;
  /**
   * Record each Platform API call's JSON request body and its answer (capped at 4 KB; error answers
   * too) on the UpstreamCall given to `onCall` / `CallOptions.onCall`, for a trace view. Default
   * false: message bodies are customer data, and the bridge stores traces (memory or Redis). Never
   * headers, so never the access token; token requests never carry bodies. Consumers that store the
   * calls still redact them (the handoff service's trace recorder does).
   */
  captureBodies?: boolean;
  /** Page sizes of the listing calls (defaults below); smaller pages cost more requests. */
  pageSizes?: Partial<PageSizes>;
}

export interface PageSizes {
  /** GET /api/v2/routing/queues. Default 100 (the documented maximum is UNCONFIRMED). */
  queues: number;
  /** GET .../botflows/{id}/sessions and .../divisions/reportingturns. Default 250, the documented maximum (docs/genesys-facts.md#bot-flow-analytics). */
  botFlow: number;
  /** Details query, when the query sets no paging. Default 100 (maximum UNCONFIRMED, commonly 100; docs/genesys-facts.md#conversation-details-query). */
  details: number;
}

export interface GenesysClient extends GenesysApi {
  readonly target: GenesysTarget;
  readonly clientId: string;
  /** Closes the keep-alive pool (when the client created it). */
  close(): Promise<void>;
}

const DEFAULT_PAGE_SIZES: PageSizes = { queues: 100, botFlow: 250, details: 100 };
/** The bulk endpoint takes at most 1,000 message ids (docs/genesys-facts.md#message-bodies-in-bulk). */
const BULK_CHUNK = 1000;

/**
 * The Genesys Platform API client: every call in GenesysApi, typed with the SDK's models.
 *
 * - Token: client credentials through openid-client, cached in the TokenStore until 60 s before
 *   `expires_in`, one login at a time (withRefreshLock); a 401 causes one re-login and one retry.
 * - Resilience: see retry.ts (429 for every call after Retry-After, capped; 502/503/504 and
 *   network errors only for idempotent routes, see routes.ts) and pacer.ts (per-token budget).
 * - Deadlines: each call runs until `CallOptions.deadline` (or `defaultCallBudgetMs`; a listing's
 *   pages share one). Time running out while waiting gives DeadlineExceededError; a retry declined
 *   because it would pass the deadline gives the upstream error that caused it; pacing past the
 *   deadline gives RateBudgetExhaustedError (details in call-runner.ts).
 */
export function createGenesysClient(options: GenesysClientOptions): GenesysClient {
  if (options.clientId.trim() === '') throw new BatonError('configuration_invalid', 'Genesys OAuth client id is empty.');
  if (options.clientSecret === '') throw new BatonError('configuration_invalid', `Genesys OAuth client secret for "${options.clientId}" is empty.`);
  const clock = options.clock ?? createSystemClock();
  const random = options.random ?? Math.random;
  const http = createHttpSeam(options.fetch ? { fetch: options.fetch } : {});
  const retry: RetrySettings = { ...DEFAULT_RETRY_SETTINGS, ...options.retry };
  const tokens = createTokenProvider({
    target: options.target,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    fetch: http.fetch,
    clock,
    random,
    store: options.tokenStore ?? createMemoryTokenStore(),
    retry,
    ...(options.loginBudgetMs !== undefined ? { loginBudgetMs: options.loginBudgetMs } : {}),
    ...(options.onCall ? { onCall: options.onCall } : {}),
  });
  const pacer =
    options.pacer ??
    createPacer({
      clock,
      ...(options.requestsPerMinute !== undefined ? { requestsPerMinute: options.requestsPerMinute } : {}),
      ...(options.maxHoldMs !== undefined ? { maxHoldMs: options.maxHoldMs } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  const defaultCallBudgetMs = options.defaultCallBudgetMs ?? DEFAULT_BUDGET_MS;
  const pageSizes: PageSizes = { ...DEFAULT_PAGE_SIZES, ...options.pageSizes };
  const run = createCallRunner({
    target: options.target,
    clientId: options.clientId,
    send: http.request,
    clock,
    random,
    tokens,
    pacer,
    retry,
    defaultCallBudgetMs,
    ...(options.writeSettleMs !== undefined ? { writeSettleMs: options.writeSettleMs } : {}),
    ...(options.onCall ? { onCall: options.onCall } : {}),
    ...(options.captureBodies ? { captureBodies: true } : {}),
  });

  /** Pages share one deadline: the caller's, or one default budget for the whole listing. */
  const withDeadline = (callOptions: CallOptions = {}): CallOptions =>
    callOptions.deadline !== undefined ? callOptions : { ...callOptions, deadline: clock.now() + defaultCallBudgetMs };

  const get = <T>(route: ApiRoute, pathAndQuery: string, resources: ResourceRef[], callOptions?: CallOptions) =>
    run<T>({ route, pathAndQuery, resources, expectBody: true }, callOptions);

  /** Follows `nextUri` (already URL-encoded, relative to the API host) until it is absent, `stop` says so, or `maxPages` were read. */
  async function followNextUri<E>(
    route: ApiRoute,
    first: string,
    resources: ResourceRef[],
    callOptions: CallOptions,
    onPage: (entities: E[]) => boolean,
    maxPages = Number.POSITIVE_INFINITY,
  ): Promise<void> {
    const seen = new Set<string>();
    let next: string | undefined = first;
    while (next !== undefined && !seen.has(next) && seen.size < maxPages) {
      seen.add(next);
      const page: { entities?: E[]; nextUri?: string } = await get(route, next, resources, callOptions);
      if (onPage(page.entities ?? [])) return;
      next = page.nextUri ? apiRelative(page.nextUri, options.target.apiBaseUrl) : undefined;
    }
  }

  return {
    target: options.target,
    clientId: options.clientId,

    async getMessageConversation(conversationId, callOptions) {
      const cid = id('conversationId', conversationId);
      return get<Models.MessageConversation>('getConversationsMessage', `/api/v2/conversations/messages/${cid}`, [conv(conversationId)], callOptions);
    },

    async getMessagesBulk(conversationId, messageIds, callOptions) {
      const cid = id('conversationId', conversationId);
      if (messageIds.length === 0) return [];
      const shared = withDeadline(callOptions);
      const out: Models.MessageData[] = [];
      for (let i = 0; i < messageIds.length; i += BULK_CHUNK) {
        const listing = await run<Models.TextMessageListing>(
          {
            route: 'postConversationsMessageMessagesBulk',
            // No `useNormalizedMessage`: SDK 262's operation has no query parameter at all (only the id
            // array), and its MessageData always carries `normalizedMessage`, whose originatingEntity
            // (Bot/Human) labels transcript turns (docs/genesys-facts.md#message-bodies-in-bulk).
            pathAndQuery: `/api/v2/conversations/messages/${cid}/messages/bulk`,
            body: messageIds.slice(i, i + BULK_CHUNK),
            resources: [conv(conversationId)],
            expectBody: true,
          },
          shared,
        );
        out.push(...(listing?.entities ?? []));
      }
      return out;
    },

    async patchParticipantAttributes(conversationId, participantId, attributes, callOptions) {
      const path = `/api/v2/conversations/messages/${id('conversationId', conversationId)}/participants/${id('participantId', participantId)}/attributes`;
      return run<Models.ParticipantAttributes>(
        {
          route: 'patchConversationsMessageParticipantAttributes',
          pathAndQuery: path,
          body: { attributes } satisfies Models.ParticipantAttributes,
          resources: [conv(conversationId), { kind: 'participant', id: participantId }],
          expectBody: true,
        },
        callOptions,
      );
    },

    async replaceParticipantWithQueue(conversationId, participantId, body, callOptions) {
      const path = `/api/v2/conversations/${id('conversationId', conversationId)}/participants/${id('participantId', participantId)}/replace/queue`;
      const resources: ResourceRef[] = [conv(conversationId), { kind: 'participant', id: participantId }];
      if (body.queueId) resources.push({ kind: 'queue', id: body.queueId });
      await run<void>({ route: 'postConversationParticipantReplaceQueue', pathAndQuery: path, body, resources, expectBody: false }, callOptions);
    },

    async patchRoutingConversation(conversationId, body, callOptions) {
      return run<Models.RoutingConversationAttributesResponse>(
        {
          route: 'patchRoutingConversation',
          pathAndQuery: `/api/v2/routing/conversations/${id('conversationId', conversationId)}`,
          body,
          resources: [conv(conversationId)],
          expectBody: true,
        },
        callOptions,
      );
    },

    async listQueues(query = {}, callOptions) {
      const shared = withDeadline(callOptions);
      const out: Models.Queue[] = [];
      for (let pageNumber = 1; ; pageNumber += 1) {
        const params = new URLSearchParams({ pageSize: String(pageSizes.queues), pageNumber: String(pageNumber) });
        if (query.name !== undefined) params.set('name', query.name);
        const page = await get<Models.QueueEntityListing>('getRoutingQueues', `/api/v2/routing/queues?${params}`, [], shared);
        const entities = page.entities ?? [];
        out.push(...entities);
        const pageCount = page.pageCount ?? (page.total !== undefined ? Math.ceil(page.total / pageSizes.queues) : undefined);
        if (entities.length === 0 || (pageCount !== undefined ? pageNumber >= pageCount : entities.length < pageSizes.queues)) return out;
      }
    },

    async getQueue(queueId, callOptions) {
      return get<Models.Queue>('getRoutingQueue', `/api/v2/routing/queues/${id('queueId', queueId)}`, [{ kind: 'queue', id: queueId }], callOptions);
    },

    async findBotFlowSession(botFlowId, match, query = {}, callOptions) {
      const params = new URLSearchParams({ pageSize: String(pageSizes.botFlow) });
      if (query.interval !== undefined) params.set('interval', query.interval);
      let found: Models.BotFlowSession | undefined;
      await followNextUri<Models.BotFlowSession>(
        'getAnalyticsBotflowSessions',
        `/api/v2/analytics/botflows/${id('botFlowId', botFlowId)}/sessions?${params}`,
        [{ kind: 'bot flow', id: botFlowId }],
        withDeadline(callOptions),
        (sessions) => {
          found = sessions.find(match);
          return found !== undefined;
        },
        query.maxPages,
      );
      return found;
    },

    async listReportingTurns(botFlowId, sessionId, callOptions) {
      const params = new URLSearchParams({ sessionId: id('sessionId', sessionId, false), pageSize: String(pageSizes.botFlow) });
      const out: Models.ReportingTurn[] = [];
      await followNextUri<Models.ReportingTurn>(
        'getAnalyticsBotflowDivisionsReportingturns',
        `/api/v2/analytics/botflows/${id('botFlowId', botFlowId)}/divisions/reportingturns?${params}`,
        [{ kind: 'bot flow', id: botFlowId }],
        withDeadline(callOptions),
        (turns) => {
          out.push(...turns);
          return false;
        },
      );
      return out;
    },

    async queryConversationDetails(query, callOptions, limit = {}) {
      const shared = withDeadline(callOptions);
      const pageSize = query.paging?.pageSize ?? pageSizes.details;
      const out: Models.AnalyticsConversationWithoutAttributes[] = [];
      const first = query.paging?.pageNumber ?? 1;
      const last = limit.maxPages === undefined ? Number.POSITIVE_INFINITY : first + Math.max(1, limit.maxPages) - 1;
      for (let pageNumber = first; pageNumber <= last; pageNumber += 1) {
        const body: Models.ConversationQuery = { ...query, paging: { pageSize, pageNumber } };
        const page = await run<Models.AnalyticsConversationQueryResponse>(
          { route: 'postAnalyticsConversationsDetailsQuery', pathAndQuery: '/api/v2/analytics/conversations/details/query', body, resources: [], expectBody: true },
          shared,
        );
        const conversations = page?.conversations ?? [];
        out.push(...conversations);
        // Genesys omits `conversations` on an empty page; totalHits counts the whole result.
        if (conversations.length < pageSize || (page?.totalHits !== undefined && out.length >= page.totalHits)) return out;
      }
      return out;
    },

    async getMessageDetails(messageId, callOptions) {
      return get<Models.MessageData>(
        'getConversationsMessageDetails',
        `/api/v2/conversations/messages/${id('messageId', messageId)}/details`,
        [{ kind: 'message', id: messageId }],
        callOptions,
      );
    },

    async getConversation(conversationId, callOptions) {
      return get<Models.Conversation>('getConversation', `/api/v2/conversations/${id('conversationId', conversationId)}`, [conv(conversationId)], callOptions);
    },

    async sendMessage(conversationId, communicationId, body, callOptions) {
      const path = `/api/v2/conversations/messages/${id('conversationId', conversationId)}/communications/${id('communicationId', communicationId)}/messages`;
      return run<Models.MessageData>(
        {
          route: 'postConversationsMessageCommunicationMessages',
          pathAndQuery: path,
          body,
          resources: [conv(conversationId), { kind: 'communication', id: communicationId }],
          expectBody: true,
        },
        callOptions,
      );
    },

    async checkToken(callOptions = {}) {
      await tokens.getToken(withDeadline(callOptions).deadline!, callOptions.signal);
    },

    close: () => http.close(),
  };
}

function conv(conversationId: string): ResourceRef {
  return { kind: 'conversation', id: conversationId };
}

/** Ids go into paths: an empty one would silently hit another endpoint (`/routing/queues/` lists queues). */
function id(field: string, value: string, encode = true): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError([{ field, problem: 'must be a non-empty id' }]);
  return encode ? encodeURIComponent(value) : value;
}

/**
 * `nextUri` is relative to the API host and already URL-encoded (SDK docs). Only its path and query
 * are kept, so a Genesys-supplied absolute URL can never send our token to another host.
 */
function apiRelative(nextUri: string, apiBaseUrl: string): string {
  const url = new URL(nextUri, apiBaseUrl);
  return `${url.pathname}${url.search}`;
}
