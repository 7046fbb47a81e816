import type { Express, Request, Response } from 'express';
import type { Models } from 'purecloud-platform-client-v2';
import { z } from 'zod';
import { errors } from '../http/api-error.js';
import { callerOf, param, queryList, queryParam } from '../http/caller.js';
import { inGrantedDivision, requireGrantedDivision } from '../http/divisions.js';
import { intParam, jsonBody, parseOr400 } from '../http/validation.js';
import { toQueue } from '../views/queue.js';
import type { RouteContext } from './route-context.js';

/** UNCONFIRMED: the maximum pageSize of GET /api/v2/routing/queues (500 is assumed; default 25 per RoutingApi.md). */
export const MAX_QUEUE_PAGE_SIZE = 500;

// The SDK model types `priority` as a number (an int32 in the API definition); the range a real
// org accepts beyond "non-negative integer" is UNCONFIRMED.
const routingPatchSchema = z
  .object({
    priority: z.number().int().min(0).max(2_147_483_647).optional(),
    skillIds: z.array(z.string()).optional(),
    skillExpression: z.string().optional(),
    languageId: z.string().optional(),
    labelId: z.string().optional(),
    requestScoredAgents: z.array(z.unknown()).optional(),
  });

/** RoutingApi.md: the name filter allows leading and trailing asterisks. Case-insensitive matching is UNCONFIRMED. */
function nameMatcher(pattern: string): (name: string) => boolean {
  const lead = pattern.startsWith('*');
  const trail = pattern.endsWith('*') && pattern.length > 1;
  const core = pattern.replace(/^\*/, '').replace(/\*$/, '').toLowerCase();
  return (name) => {
    const n = name.toLowerCase();
    if (lead && trail) return n.includes(core);
    if (lead) return n.endsWith(core);
    if (trail) return n.startsWith(core);
    return n === core;
  };
}

export function registerRoutingRoutes(app: Express, ctx: RouteContext): void {
  app.get('/api/v2/routing/queues', ctx.guard('getRoutingQueues'), (req: Request, res: Response) => {
    const pageSize = intParam(queryParam(req, 'pageSize'), 'pageSize', 25, 1, MAX_QUEUE_PAGE_SIZE);
    const pageNumber = intParam(queryParam(req, 'pageNumber'), 'pageNumber', 1, 1, 1_000_000);
    const sortOrder = (queryParam(req, 'sortOrder') ?? 'asc').toLowerCase();
    if (sortOrder !== 'asc' && sortOrder !== 'desc') throw errors.badRequest('Invalid value for sortOrder: expected asc or desc', 'sortOrder');
    const name = queryParam(req, 'name');
    const ids = queryList(req, 'id');
    const match = name === undefined ? () => true : nameMatcher(name);
    const client = callerOf(res);
    // A role sees the queues of the divisions it is granted in only (docs/genesys-facts.md#divisions).
    const all = ctx.org.queues
      .filter((q) => match(q.name) && (ids.length === 0 || ids.includes(q.id)))
      .filter((q) => inGrantedDivision(client, [(q.division ?? ctx.org.division).id]))
      .sort((a, b) => (sortOrder === 'desc' ? b.name.localeCompare(a.name) : a.name.localeCompare(b.name)));
    const total = all.length;
    const pageCount = Math.ceil(total / pageSize);
    const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    const uri = (n: number): string => {
      const sp = new URLSearchParams({ pageSize: String(pageSize), pageNumber: String(n) });
      if (name !== undefined) sp.set('name', name);
      return `/api/v2/routing/queues?${sp.toString()}`;
    };
    const listing: Models.QueueEntityListing = {
      entities: page.map((q) => toQueue(q, ctx.org)),
      pageSize,
      pageNumber,
      total,
      pageCount,
      firstUri: uri(1),
      lastUri: uri(Math.max(pageCount, 1)),
      selfUri: uri(pageNumber),
    };
    if (pageNumber < pageCount) listing.nextUri = uri(pageNumber + 1);
    if (pageNumber > 1) listing.previousUri = uri(pageNumber - 1);
    res.json(listing);
  });

  app.get('/api/v2/routing/queues/:queueId', ctx.guard('getRoutingQueue'), (req: Request, res: Response) => {
    const id = param(req, 'queueId');
    const queue = ctx.org.findQueue(id);
    if (!queue) throw errors.notFound(`Queue ${id}`);
    requireGrantedDivision(callerOf(res), [(queue.division ?? ctx.org.division).id], `Queue ${id}`);
    const body: Models.Queue = toQueue(queue, ctx.org);
    res.json(body);
  });

  app.patch('/api/v2/routing/conversations/:conversationId', ctx.guard('patchRoutingConversation'), jsonBody, (req: Request, res: Response) => {
    const id = param(req, 'conversationId');
    if (!ctx.org.getConversation(id)) throw errors.notFound(`Conversation ${id}`);
    requireGrantedDivision(callerOf(res), ctx.org.divisionsOf(id), `Conversation ${id}`);
    const body = parseOr400(routingPatchSchema, req.body, 'body');
    const c = ctx.org.setRoutingAttributes(id, {
      ...(body.priority === undefined ? {} : { priority: body.priority }),
      ...(body.skillIds === undefined ? {} : { skillIds: body.skillIds }),
      ...(body.languageId === undefined ? {} : { languageId: body.languageId }),
    });
    const out: Models.RoutingConversationAttributesResponse = {
      priority: c.priority ?? 0,
      skills: c.skillIds.map((skillId) => ({ id: skillId, selfUri: `/api/v2/routing/skills/${skillId}` }) as Models.RoutingSkill),
    };
    if (c.languageId !== undefined) out.language = { id: c.languageId, selfUri: `/api/v2/routing/languages/${c.languageId}` } as Models.Language;
    if (body.skillExpression !== undefined) out.skillExpression = body.skillExpression;
    res.json(out);
  });
}
