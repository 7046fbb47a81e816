import type { Express, Request, Response } from 'express';
import type { Models } from 'purecloud-platform-client-v2';
import { z } from 'zod';
import { errors } from '../http/api-error.js';
import { callerOf } from '../http/caller.js';
import { inGrantedDivision } from '../http/divisions.js';
import { jsonBody, parseOr400 } from '../http/validation.js';
import type { ConversationRecord } from '../state/records.js';
import { segmentContexts, toAnalyticsConversation, type SegmentContext } from '../views/analytics-conversation.js';
import { parseInterval } from './analytics-paging.js';
import type { RouteContext } from './route-context.js';

/** UNCONFIRMED: the maximum paging.pageSize of the details query (100 is commonly cited). */
export const MAX_DETAILS_PAGE_SIZE = 100;

const CONVERSATION_DIMENSIONS = [
  'conversationId',
  'conversationInitiator',
  'customerParticipation',
  'divisionId',
  'externalTag',
  'originatingDirection',
] as const;
// `conversationId` is NOT a segment dimension (docs/genesys-facts.md#conversation-details-query): filter it in conversationFilters.
const SEGMENT_DIMENSIONS = [
  'direction',
  'disconnectType',
  'exitReason',
  'flowId',
  'flowName',
  'flowType',
  'mediaType',
  'messageType',
  'participantId',
  'provider',
  'purpose',
  'queueId',
  'requestedRoutings',
  'segmentType',
  'selectedAgentId',
  'sessionId',
  'transferType',
  'userId',
] as const;

const predicateSchema = (dimensions: readonly [string, ...string[]]) =>
  z.object({
    type: z.enum(['dimension', 'property', 'metric']).optional(),
    dimension: z.enum(dimensions).optional(),
    metric: z.string().optional(),
    operator: z.enum(['matches', 'exists', 'notExists']).optional(),
    value: z.string().optional(),
    range: z.record(z.string(), z.unknown()).optional(),
    propertyType: z.string().optional(),
    property: z.string().optional(),
  });

const filterSchema = (dimensions: readonly [string, ...string[]]) => {
  const predicate = predicateSchema(dimensions);
  return z.object({
    type: z.enum(['and', 'or']),
    clauses: z.array(z.object({ type: z.enum(['and', 'or']), predicates: z.array(predicate).min(1) })).optional(),
    predicates: z.array(predicate).optional(),
  });
};

const querySchema = z.object({
  interval: z.string({ error: 'interval is required' }),
  conversationFilters: z.array(filterSchema(CONVERSATION_DIMENSIONS)).optional(),
  segmentFilters: z.array(filterSchema(SEGMENT_DIMENSIONS)).optional(),
  evaluationFilters: z.array(z.unknown()).optional(),
  surveyFilters: z.array(z.unknown()).optional(),
  resolutionFilters: z.array(z.unknown()).optional(),
  order: z.enum(['asc', 'desc', 'unordered']).optional(),
  orderBy: z.enum(['conversationStart', 'conversationEnd', 'segmentStart', 'segmentEnd']).optional(),
  aggregations: z.array(z.unknown()).optional(),
  paging: z.object({ pageSize: z.number().int().min(1).max(MAX_DETAILS_PAGE_SIZE), pageNumber: z.number().int().min(1) }).optional(),
});

type Predicate = z.infer<ReturnType<typeof predicateSchema>>;
type Filter = z.infer<ReturnType<typeof filterSchema>>;

function evalPredicate(p: Predicate, values: Record<string, string | undefined>): boolean {
  if ((p.type ?? 'dimension') !== 'dimension' || p.dimension === undefined) {
    throw errors.badRequest('Only dimension predicates are emulated by the sandbox.', 'predicates.type');
  }
  const v = values[p.dimension];
  switch (p.operator ?? 'matches') {
    case 'exists':
      return v !== undefined;
    case 'notExists':
      return v === undefined;
    default:
      return v !== undefined && v === p.value;
  }
}

function evalFilter(f: Filter, values: Record<string, string | undefined>): boolean {
  const results: boolean[] = [
    ...(f.predicates ?? []).map((p) => evalPredicate(p, values)),
    ...(f.clauses ?? []).map((c) => {
      const r = c.predicates.map((p) => evalPredicate(p, values));
      return c.type === 'and' ? r.every(Boolean) : r.some(Boolean);
    }),
  ];
  if (results.length === 0) return true;
  return f.type === 'and' ? results.every(Boolean) : results.some(Boolean);
}

function conversationValues(c: ConversationRecord): Record<string, string | undefined> {
  return {
    conversationId: c.id,
    conversationInitiator: 'external',
    customerParticipation: String(c.messages.some((m) => m.from === 'customer')),
    divisionId: c.divisionId,
    originatingDirection: 'inbound',
    externalTag: undefined,
  };
}

export function registerConversationDetailsQueryRoute(app: Express, ctx: RouteContext): void {
  app.post('/api/v2/analytics/conversations/details/query', ctx.guard('postAnalyticsConversationsDetailsQuery'), jsonBody, (req: Request, res: Response) => {
    const body = parseOr400(querySchema, req.body ?? {}, '');
    const interval = parseInterval(body.interval, 'interval');
    const identity = ctx.org;
    const matches: ConversationRecord[] = [];
    const client = callerOf(res);
    for (const c of ctx.org.listConversations()) {
      if (!inGrantedDivision(client, () => ctx.org.divisionsOf(c.id))) continue;
      // UNCONFIRMED in detail: the interval selects conversations by their start.
      if (c.startTime < interval.start || c.startTime >= interval.end) continue;
      if (body.conversationFilters && !body.conversationFilters.every((f) => evalFilter(f, conversationValues(c)))) continue;
      if (body.segmentFilters) {
        const segments: SegmentContext[] = segmentContexts(c, identity);
        // A segment filter holds when one segment satisfies the whole filter.
        if (!body.segmentFilters.every((f) => segments.some((s) => evalFilter(f, s)))) continue;
      }
      matches.push(c);
    }
    const order = body.order ?? 'asc';
    if (order !== 'unordered') {
      const sign = order === 'desc' ? -1 : 1;
      matches.sort((a, b) => sign * (a.startTime - b.startTime) || (a.id < b.id ? -1 : 1));
    }
    const pageSize = body.paging?.pageSize ?? 25;
    const pageNumber = body.paging?.pageNumber ?? 1;
    const page = matches.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    // With no hits Genesys answers `{ totalHits: 0 }` without a conversations array (UNCONFIRMED).
    const out: Models.AnalyticsConversationQueryResponse = { totalHits: matches.length };
    if (page.length > 0) out.conversations = page.map((c) => toAnalyticsConversation(c, identity));
    res.json(out);
  });
}
