import type { Express, Request, Response } from 'express';
import type { Models } from 'purecloud-platform-client-v2';
import { z } from 'zod';
import { errors } from '../http/api-error.js';
import { callerOf, faultEffect, param, queryParam } from '../http/caller.js';
import { requireGrantedDivision } from '../http/divisions.js';
import { jsonBody, parseOr400 } from '../http/validation.js';
import { messageIndex, type ConversationRecord } from '../state/records.js';
import { toConversation } from '../views/conversation.js';
import { toMessageConversation } from '../views/message-conversation.js';
import { toMessageData } from '../views/message-data.js';
import type { RouteContext } from './route-context.js';

/** ConversationsApi.md: "The max messages you can request in the body is 1,000." */
export const MAX_BULK_MESSAGE_IDS = 1000;

const bulkBodySchema = z.array(z.string().min(1)).max(MAX_BULK_MESSAGE_IDS);
// Values are strings in Genesys participant data (Set Participant Data writes strings; docs/genesys-facts.md#participant-data).
const attributesBodySchema = z.object({ attributes: z.record(z.string().min(1), z.string()) });
const additionalMessageSchema = z.object({
  textBody: z.string(),
  mediaIds: z.array(z.string()).optional(),
  messagingTemplate: z.unknown().optional(),
});
const transferSchema = z
  .object({
    queueId: z.string().min(1).optional(),
    queueName: z.string().min(1).optional(),
    transferType: z.enum(['Attended', 'Unattended']).optional(),
    keepInternalMessageAlive: z.boolean().optional(),
  })
  .refine((b) => b.queueId !== undefined || b.queueName !== undefined, { message: 'queueId or queueName is required', path: ['queueId'] });

function booleanParam(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '') return false;
  if (value === 'true' || value === 'false') return value === 'true';
  throw errors.badRequest(`Invalid value for ${name}: expected true or false`, name);
}

export function registerConversationRoutes(app: Express, ctx: RouteContext): void {
  /** The conversation, if it exists and lies in a division the caller's role is granted in. */
  const find = (id: string, res: Response): ConversationRecord => {
    const c = ctx.org.getConversation(id);
    if (!c) throw errors.notFound(`Conversation ${id}`);
    requireGrantedDivision(callerOf(res), ctx.org.divisionsOf(id), `Conversation ${id}`);
    return c;
  };

  app.get('/api/v2/conversations/messages/:conversationId', ctx.guard('getConversationsMessage'), (req: Request, res: Response) => {
    const body: Models.MessageConversation = toMessageConversation(find(param(req, 'conversationId'), res), ctx.org);
    res.json(body);
  });

  app.get('/api/v2/conversations/messages/:messageId/details', ctx.guard('getConversationsMessageDetails'), (req: Request, res: Response) => {
    const id = param(req, 'messageId');
    const found = ctx.org.findMessage(id);
    if (!found) throw errors.notFound(`Message ${id}`);
    requireGrantedDivision(callerOf(res), ctx.org.divisionsOf(found.conversation.id), `Message ${id}`);
    // `useNormalizedMessage` as on the bulk listing (the JS SDK documents it on this operation too).
    const useNormalizedMessage = booleanParam(queryParam(req, 'useNormalizedMessage'), 'useNormalizedMessage');
    const body: Models.MessageData = toMessageData(found.conversation, found.message, { useNormalizedMessage });
    res.json(body);
  });

  app.post(
    '/api/v2/conversations/messages/:conversationId/messages/bulk',
    ctx.guard('postConversationsMessageMessagesBulk'),
    jsonBody,
    (req: Request, res: Response) => {
      const c = find(param(req, 'conversationId'), res);
      // `useNormalizedMessage` (SDK 259 docs): true drops the deprecated textBody.
      const useNormalizedMessage = booleanParam(queryParam(req, 'useNormalizedMessage'), 'useNormalizedMessage');
      const ids = parseOr400(bulkBodySchema, req.body, 'body');
      // Ids not in this conversation are left out (UNCONFIRMED: a real org may answer 404 instead).
      const seen = new Set<string>();
      const index = messageIndex(c);
      const entities: Models.MessageData[] = [];
      for (const id of ids) {
        const m = index.get(id);
        if (!m || seen.has(id)) continue;
        seen.add(id);
        entities.push(toMessageData(c, m, { useNormalizedMessage }));
      }
      const listing: Models.TextMessageListing = { entities };
      res.json(listing);
    },
  );

  app.patch(
    '/api/v2/conversations/messages/:conversationId/participants/:participantId/attributes',
    ctx.guard('patchConversationsMessageParticipantAttributes'),
    jsonBody,
    (req: Request, res: Response) => {
      const cid = param(req, 'conversationId');
      const pid = param(req, 'participantId');
      find(cid, res);
      const { attributes } = parseOr400(attributesBodySchema, req.body, 'body');
      // PATCH merges: keys not in the body keep their values. Whether the response echoes only
      // the patched keys is UNCONFIRMED; the merged map is returned.
      const merged = ctx.org.patchAttributes(cid, pid, attributes);
      const out: Models.ParticipantAttributes = { attributes: merged };
      res.json(out);
    },
  );

  app.post(
    '/api/v2/conversations/messages/:conversationId/communications/:communicationId/messages',
    ctx.guard('postConversationsMessageCommunicationMessages'),
    jsonBody,
    (req: Request, res: Response) => {
      const cid = param(req, 'conversationId');
      find(cid, res);
      const msg = parseOr400(additionalMessageSchema, req.body, 'body');
      if (msg.textBody.trim() === '') throw errors.badRequest('A message needs a non-empty textBody.', 'textBody');
      const { conversation, message } = ctx.org.sendMessage(cid, param(req, 'communicationId'), msg.textBody, callerOf(res).clientId);
      const data: Models.MessageData = toMessageData(conversation, message, { useNormalizedMessage: false });
      res.json(data);
    },
  );

  app.post(
    '/api/v2/conversations/:conversationId/participants/:participantId/replace/queue',
    ctx.guard('postConversationParticipantReplaceQueue'),
    jsonBody,
    (req: Request, res: Response) => {
      const cid = param(req, 'conversationId');
      find(cid, res);
      const body: Models.TransferToQueueRequest = parseOr400(transferSchema, req.body, 'body');
      // The target queue must lie in a granted division too (UNCONFIRMED: what Genesys answers).
      const name = body.queueName?.toLowerCase();
      const target = body.queueId !== undefined ? ctx.org.findQueue(body.queueId) : ctx.org.queues.find((q) => q.name.toLowerCase() === name);
      if (target) requireGrantedDivision(callerOf(res), [(target.division ?? ctx.org.division).id], `Queue ${target.id}`);
      // Genesys applies a transfer asynchronously after its 202 (docs/genesys-facts.md#transfer-to-a-queue):
      // after transferDelayMs by default; faults make it later, or never.
      const delayed = faultEffect(res, 'transferDelayed');
      const afterMs = delayed ? (delayed.ms ?? 0) : ctx.transferDelayMs;
      const apply = faultEffect(res, 'transferNotApplied') ? 'never' : afterMs > 0 ? { afterMs } : 'now';
      ctx.org.transferToQueue(cid, param(req, 'participantId'), body, callerOf(res).clientId, apply);
      if (faultEffect(res, 'answerLost')) {
        // Accepted, but the 202 never reaches the caller: a write whose outcome it cannot know.
        res.socket?.destroy();
        return;
      }
      // The SDK types this operation as void; Genesys answers 202 Accepted without a body.
      res.status(202).end();
    },
  );

  app.get('/api/v2/conversations/:conversationId', ctx.guard('getConversation'), (req: Request, res: Response) => {
    const body: Models.Conversation = toConversation(find(param(req, 'conversationId'), res), ctx.org);
    res.json(body);
  });
}
