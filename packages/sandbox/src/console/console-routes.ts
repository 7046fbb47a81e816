import type { Express, Request, Response } from 'express';
import { readFileSync } from 'node:fs';
import { agentDataEntries, type AgentDataEntry } from '../agents/agent-display.js';
import { z } from 'zod';
import type { AgentScript, AgentView } from '../agents/agents.js';
import { errors } from '../http/api-error.js';
import { jsonBody, parseOr400 } from '../http/validation.js';
import type { OrgState } from '../state/org.js';
import type { ConsoleHandoffTrace, ConsoleSources, ConsoleTimeline } from './console-sources.js';

export interface ConsoleDeps {
  org: OrgState;
  /** The conversation a guest session token started (the Guest API's own map). */
  conversationIdOf(token: string): string | undefined;
  viewOf(conversationId: string): AgentView | undefined;
  /** The agent who answers this guest session's conversation follows the script (set before its first message, too). */
  scriptAgentOfSession(token: string, script: AgentScript): void;
  deploymentId: string;
  /** The flow's timeline, Baton's traces and the scenarios, once a runner attached them (read on every use). */
  sources(): ConsoleSources;
  /** How often an open event stream looks for a change, ms (default 200). */
  pollMs?: number;
}

/** What the console shows beside the chat: the conversation as Genesys would show it, and the agent's view. */
export interface ConsoleSnapshot {
  readonly conversationId: string | undefined;
  readonly participants: readonly { purpose: string; state: string; name: string; queue?: string }[];
  readonly queue: string | undefined;
  readonly priority: number | undefined;
  readonly agentView: AgentView | undefined;
  /** The agent view's participant data as the agent's UI shows it (names, display prefixes, what is hidden). */
  readonly agentData: readonly AgentDataEntry[] | undefined;
  /** The flow's path; null when no flow runs on this sandbox (the page says so). */
  readonly timeline: ConsoleTimeline | null;
  /** Baton's handoff traces, newest first; null when no bridge runs on this sandbox. */
  readonly handoffs: readonly ConsoleHandoffTrace[] | null;
}

/**
 * The page is one static file next to `src/` (no build step); it is found from the source tree
 * (`src/console`) and from the compiled one (`dist/src/console`) alike.
 */
function loadPage(): string | undefined {
  const candidates = ['../../console/index.html', '../../../console/index.html'];
  for (const rel of candidates) {
    try {
      return readFileSync(new URL(rel, import.meta.url), 'utf8');
    } catch {
      // the other layout
    }
  }
  // A package copied without the page (its "files" list it): the org still runs, without a console.
  return undefined;
}

/**
 * Strict: nothing but this origin, no inline script or style, no framing. The Guest API WebSocket
 * is on this same host and port, but `connect-src 'self'` does not cover ws: in every browser, so
 * the ws: origin is listed explicitly.
 */
function csp(req: Request): string {
  const host = req.headers.host ?? '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ws://${host}`,
    "img-src 'self' data:", // the page's empty icon (no /favicon.ico round trip, which the org would 404)
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export async function snapshotOf(deps: ConsoleDeps, token: string): Promise<ConsoleSnapshot> {
  const conversationId = deps.conversationIdOf(token);
  const c = conversationId === undefined ? undefined : deps.org.getConversation(conversationId);
  const queueName = (id: string | undefined) => (id === undefined ? undefined : (deps.org.findQueue(id)?.name ?? id));
  const acd = c?.participants.filter((p) => p.purpose === 'acd').at(-1);
  const { timelineOf, handoffTracesOf } = deps.sources();
  const none = { events: [], dropped: 0 };
  const agentView = conversationId === undefined ? undefined : deps.viewOf(conversationId);
  return {
    conversationId,
    participants: (c?.participants ?? []).map((p) => ({
      purpose: p.purpose,
      state: p.state,
      name: p.name,
      ...(p.queueId === undefined ? {} : { queue: queueName(p.queueId) }),
    })),
    queue: queueName(acd?.queueId),
    priority: c?.priority,
    agentView,
    agentData: agentView && agentDataEntries(agentView.participantData),
    timeline: timelineOf ? (conversationId === undefined ? none : timelineOf(conversationId)) : null,
    handoffs: handoffTracesOf ? (conversationId === undefined ? [] : await handoffTracesOf(conversationId)) : null,
  };
}

/**
 * The sandbox console: `GET /console` (the page and its script), `GET /console/events?session=`
 * (Server-Sent Events: a snapshot of the guest session's conversation whenever it changes),
 * `GET /console/scenarios` (the scenarios the page can replay, each the customer's lines). The
 * guest's session token scopes the stream: a page sees only the conversation it chats in. Not
 * Genesys: a view of the simulated org for people trying it.
 */
export function registerConsoleRoutes(app: Express, deps: ConsoleDeps): void {
  const page = loadPage();
  if (page === undefined) return;
  const [html, script] = splitPage(page);
  const pollMs = deps.pollMs ?? 200;

  app.get('/console', (req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', csp(req));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.type('html').send(html.replace('__DEPLOYMENT_ID__', deps.deploymentId));
  });
  app.get('/console/console.js', (_req: Request, res: Response) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('application/javascript').send(script);
  });
  app.get('/console/console.css', (_req: Request, res: Response) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('text/css').send(page.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? '');
  });
  app.get('/console/scenarios', (_req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    res.json(deps.sources().scenarios ?? []);
  });
  // The replay's agent part: the scenario's agent lines (and its end of the conversation), said by
  // the sandbox's agent who answers this session's conversation. The scenario is named, not sent:
  // the page can only replay what the runner listed.
  app.post('/console/agent-script', jsonBody, (req: Request, res: Response) => {
    const body = parseOr400(agentScriptRequest, req.body ?? {}, 'body');
    const scenario = (deps.sources().scenarios ?? []).find((s) => s.id === body.scenarioId);
    if (!scenario) throw errors.badRequest(`No scenario ${body.scenarioId} is offered for replay`, 'body.scenarioId');
    if (!scenario.agent) throw errors.badRequest(`The scenario ${body.scenarioId} has no agent part`, 'body.scenarioId');
    deps.scriptAgentOfSession(body.session, { replies: [...scenario.agent.replies], disconnect: scenario.agent.disconnect });
    res.status(204).end();
  });
  app.get('/console/events', (req: Request, res: Response) => {
    const token = typeof req.query['session'] === 'string' ? req.query['session'] : '';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    let last = '';
    let busy = false;
    const push = async (): Promise<void> => {
      // A slow trace store must not stack up reads behind one another: skip a tick instead.
      if (busy) return;
      busy = true;
      try {
        const data = JSON.stringify(await snapshotOf(deps, token));
        if (data === last || res.writableEnded) return;
        last = data;
        res.write(`event: state\ndata: ${data}\n\n`);
      } catch {
        // A source failed (a trace store that went away): the next tick tries again.
      } finally {
        busy = false;
      }
    };
    void push();
    // A poll rather than hooks into every state change: the org, the bot and the agents change a
    // conversation from many places, and a snapshot diff cannot miss one of them.
    const timer = setInterval(() => void push(), pollMs);
    req.on('close', () => clearInterval(timer));
  });
}

const agentScriptRequest = z
  .object({
    /** The page's guest session token (its column's conversation). */
    session: z.string().min(1).max(200),
    scenarioId: z.string().min(1).max(500),
  })
  .strict();

/**
 * The file keeps markup, style and script together for reading; a strict CSP forbids inline
 * script and style, so they are served as their own resources.
 */
function splitPage(page: string): [string, string] {
  const script = page.match(/<script>([\s\S]*?)<\/script>/)?.[1] ?? '';
  const html = page
    .replace(/<script>[\s\S]*?<\/script>/, '<script src="/console/console.js" defer></script>')
    .replace(/<style>[\s\S]*?<\/style>/, '<link rel="stylesheet" href="/console/console.css">');
  return [html, script];
}
