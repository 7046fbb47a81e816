import type { Express, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Agents } from '../agents/agents.js';
import type { RequestCounters } from '../counters.js';
import { faultRuleSchema, type FaultController, type FaultRule } from '../faults.js';
import { guestFaultRuleSchema, type GuestFaultController } from '../guest/guest-faults.js';
import { ApiError, errors } from '../http/api-error.js';
import { param } from '../http/caller.js';
import { jsonBody, parseOr400 } from '../http/validation.js';
import { SandboxError } from '../sandbox-error.js';
import { conversationFixtureSchema } from '../state/fixture.js';
import { iso } from '../views/json.js';
import type { RouteContext } from './route-context.js';

export interface ControlDeps {
  faults: FaultController;
  /** The Guest API channel's opt-in faults (separate from the HTTP rules: a different protocol). */
  guestFaults: GuestFaultController;
  /** The simulated agents: their views and scripted actions. */
  agents: Agents;
  counters: RequestCounters;
  revokeTokens(filter?: { clientId?: string }): number;
}

/**
 * The test harness's own routes, under /__sandbox. They are not Genesys: no token, no budget, no
 * faults, not counted. They exist so a standalone sandbox (`pnpm sandbox`) can be scripted over
 * HTTP the way an in-process one is scripted through its object.
 */
export function registerControlRoutes(app: Express, ctx: RouteContext, deps: ControlDeps): void {
  const removers = new Map<string, () => void>();

  app.post('/__sandbox/faults', jsonBody, (req: Request, res: Response) => {
    const rule = parseOr400(faultRuleSchema, req.body, 'body') as FaultRule;
    const id = randomUUID();
    removers.set(id, deps.faults.add(rule));
    res.status(201).json({ id, rule });
  });
  app.get('/__sandbox/faults', (_req: Request, res: Response) => {
    res.json({ rules: deps.faults.list() });
  });
  app.delete('/__sandbox/faults', (_req: Request, res: Response) => {
    deps.faults.clear();
    removers.clear();
    res.status(204).end();
  });
  app.delete('/__sandbox/faults/:id', (req: Request, res: Response) => {
    const id = param(req, 'id');
    const remove = removers.get(id);
    if (!remove) throw errors.notFound(`Fault rule ${id}`);
    remove();
    removers.delete(id);
    res.status(204).end();
  });

  app.post('/__sandbox/guest/faults', jsonBody, (req: Request, res: Response) => {
    const rule = parseOr400(guestFaultRuleSchema, req.body, 'body');
    res.status(201).json({ id: deps.guestFaults.add(rule), rule });
  });
  app.get('/__sandbox/guest/faults', (_req: Request, res: Response) => {
    res.json({ rules: deps.guestFaults.list() });
  });
  app.delete('/__sandbox/guest/faults', (_req: Request, res: Response) => {
    deps.guestFaults.clear();
    res.status(204).end();
  });

  app.get('/__sandbox/agents/:conversationId/view', (req: Request, res: Response) => {
    const id = param(req, 'conversationId');
    const view = deps.agents.viewOf(id);
    if (!view) throw errors.notFound(`Agent view of conversation ${id} (no agent has answered it)`);
    res.json(view);
  });
  app.post('/__sandbox/agents/:conversationId/answer', async (req: Request, res: Response) => {
    res.json(await agentAction(() => deps.agents.answer(param(req, 'conversationId'))));
  });
  app.post('/__sandbox/agents/:conversationId/reply', jsonBody, async (req: Request, res: Response) => {
    const { text } = parseOr400(z.object({ text: z.string().min(1) }).strict(), req.body ?? {}, 'body');
    const m = await agentAction(() => deps.agents.reply(param(req, 'conversationId'), text));
    res.status(201).json({ messageId: m.id });
  });
  app.post('/__sandbox/agents/:conversationId/disconnect', async (req: Request, res: Response) => {
    await agentAction(() => deps.agents.disconnect(param(req, 'conversationId')));
    res.status(204).end();
  });

  app.get('/__sandbox/counters', (_req: Request, res: Response) => {
    res.json(deps.counters.snapshot());
  });
  app.post('/__sandbox/counters/reset', (_req: Request, res: Response) => {
    deps.counters.reset();
    res.status(204).end();
  });

  app.get('/__sandbox/state/transfers', (_req: Request, res: Response) => {
    res.json({ transfers: ctx.org.transfers });
  });
  app.get('/__sandbox/state/sent-messages', (_req: Request, res: Response) => {
    res.json({ sentMessages: ctx.org.sentMessages });
  });
  app.get('/__sandbox/state/conversations/:conversationId', (req: Request, res: Response) => {
    const id = param(req, 'conversationId');
    const c = ctx.org.getConversation(id);
    if (!c) throw errors.notFound(`Conversation ${id}`);
    res.json({
      id: c.id,
      startTime: iso(c.startTime),
      priority: c.priority,
      botSessionId: c.botSessionId,
      participants: c.participants.map((p) => ({ ...p, startTime: iso(p.startTime), connectedTime: iso(p.connectedTime), endTime: iso(p.endTime) })),
      messages: c.messages.map((m) => ({ ...m, at: iso(m.at) })),
    });
  });

  app.post('/__sandbox/conversations', jsonBody, (req: Request, res: Response) => {
    const fixture = parseOr400(conversationFixtureSchema, req.body, 'body');
    res.status(201).json({ conversationId: ctx.org.addParsedConversation(fixture) });
  });

  app.post('/__sandbox/tokens/revoke', jsonBody, (req: Request, res: Response) => {
    const filter = parseOr400(z.object({ clientId: z.string().optional() }).strict(), req.body ?? {}, 'body');
    res.json({ revoked: deps.revokeTokens(filter.clientId === undefined ? {} : { clientId: filter.clientId }) });
  });
}

/** An agent action's misuse (nobody in the queue, no agent connected) is a 409, not a 500. */
async function agentAction<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (e instanceof SandboxError) throw new ApiError(e.code === 'sandbox.not.found' ? 404 : 409, e.code, e.message);
    throw e;
  }
}
