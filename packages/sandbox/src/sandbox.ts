import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { createAgents, type Agents, type AgentScript } from './agents/agents.js';
import type { BotDefinitionInput } from './bot/bot-definition.js';
import { createBots, type Bots } from './bot/bots.js';
import { DEFAULT_BOT } from './bot/default-bot.js';
import { createClientRegistry, type AddClientOptions } from './auth/client-registry.js';
import { createConsoleConnector, type ConsoleConnector } from './console/console-sources.js';
import { createTokenStore } from './auth/token-store.js';
import { createRequestCounters, type RequestCounters } from './counters.js';
import { createFaultEngine, type FaultController } from './faults.js';
import { createGuestApi, type GuestApi } from './guest/guest-api.js';
import { createRateLimiter } from './rate-limit.js';
import { SandboxError } from './sandbox-error.js';
import { createApp } from './server.js';
import { createOrg, type SandboxOrg } from './state/org.js';
import { createPrng } from './state/prng.js';
import { SCENARIO_NAMES, scenarioFixtures, type ScenarioName } from './state/scenarios.js';
import { generateFixtures, seedDirectory } from './state/seed.js';

export interface SandboxOptions {
  /** Default 0 (an ephemeral port; read `url`). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** PRNG seed, default 42: same seed, same ids and data. */
  seed?: number;
  /** Generated conversations besides the named scenarios, default 20. */
  conversations?: number;
  /** Default 86400 (Genesys's default accessTokenValiditySeconds, docs/genesys-facts.md#oauth-client-credentials). */
  tokenLifetimeSeconds?: number;
  /** Per token, default 300 (Genesys's client-credentials default, docs/genesys-facts.md#rate-limits). */
  rateLimitPerMinute?: number;
  /** Base latency added to every API call (not /oauth/token), default 0. */
  latencyMs?: number;
  /**
   * How long after a bot session completes bot-flow analytics list it (and its reporting turns),
   * default 2000: Genesys delivers analytics late (docs/genesys-facts.md#bot-flow-analytics), so a
   * handoff right after the bot exits finds nothing there. 0 lists a session as soon as it completes.
   * Sessions completed more than ten days ago are gone either way.
   */
  analyticsLagMs?: number;
  /**
   * Serve `/oauth/token` on a second listener (`loginUrl`) and refuse it on `url`, and `/api/v2` only
   * on `url`: distinct login and API hosts, as `login.{domain}` and `api.{domain}` are in every
   * region (docs/genesys-facts.md#regions). Default false: one host serves both.
   */
  separateLoginHost?: boolean;
  /**
   * How long after its 202 an accepted `replace/queue` takes effect, by the sandbox's clock: default
   * 200. Genesys applies a transfer asynchronously (docs/genesys-facts.md#transfer-to-a-queue), so a
   * client that reads the conversation at once, or sets the priority at once, meets what it would
   * meet in a real org. 0 applies it at once. A `transferDelayed` fault overrides it per request.
   */
  transferDelayMs?: number;
  /**
   * How long after a conversation joins a queue a simulated agent answers it, ms. Default 0: no
   * cosmetic delay (`sb.agents.configure` changes it at run time).
   */
  agentAnswerDelayMs?: number;
  /** The seeded bot's definition (default `DEFAULT_BOT`); its id becomes the org's bot flow id. */
  bot?: BotDefinitionInput;
  /**
   * The deployment's "conversation disconnect" display (default `{ displayToGuest: true }`: the guest
   * sees a Presence Disconnect and its session turns read-only). `false`: the guest is shown nothing
   * and its next message threads into the same conversation (see `GuestApiDeps`; UNCONFIRMED).
   */
  conversationDisconnect?: { displayToGuest: boolean };
  /**
   * The org's messaging threading timeline for the quiet disconnect above, minutes (0–4320, default
   * 4320 = 72 h): a guest writing after it starts a new conversation (docs/genesys-facts.md#messaging-threading-timeline).
   */
  threadingTimelineMinutes?: number;
  /**
   * Slow-client limits of the HTTP listener(s), as the bridge has them: a client that sends its
   * request (headers and body) slower than this, or promises a Content-Length it never sends, is
   * answered 408 (ErrorBody, code `request.timeout`) and disconnected instead of holding the
   * connection for Node's 300 s default. Default 60000: a real client never comes near it.
   */
  requestTimeoutMs?: number;
  /** Longest the request line and headers may take (at most `requestTimeoutMs`, its default). */
  headersTimeoutMs?: number;
  /** How long an idle keep-alive connection is kept, default 5000 (Node's own). */
  keepAliveTimeoutMs?: number;
  /**
   * Most Web Messaging guest sessions kept, default 10000: past it the least recently active one
   * with no guest connected (or whose conversation ended) is dropped, and its token starts a new
   * session. Any token a client sends makes a session, so this bounds what random tokens cost.
   */
  maxGuestSessions?: number;
  /** Clock seam (ms epoch) for token expiry, rate windows and seeded/new timestamps. */
  now?: () => number;
  /** Sleep seam for latency (fault rules and latencyMs); default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Randomness seam for fault probability and jitter; default a PRNG seeded from `seed`. */
  random?: () => number;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:PORT — serves /oauth/token AND /api/v2/* (one host stands for login.{domain} and api.{domain}). */
  readonly url: string;
  readonly port: number;
  /** Where `/oauth/token` is served: `url` itself unless `separateLoginHost`, then another port. */
  readonly loginUrl: string;
  /** An OAuth client with every permission ('*'). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** conversationId per named scenario. */
  readonly scenarios: Readonly<Record<ScenarioName, string>>;
  /** Seeded queues; the first is the default. */
  readonly queues: readonly { id: string; name: string }[];
  readonly botFlowId: string;
  /**
   * e.g. ws://127.0.0.1:PORT — the Web Messaging Guest API origin: `<webMessagingUrl>/v1?deploymentId=<deploymentId>`
   * is the endpoint, as `wss://webmessaging.{region}/v1` is in Genesys. Same port as `url`.
   */
  readonly webMessagingUrl: string;
  /** The seeded web-messaging deployment guests connect to. */
  readonly deploymentId: string;
  /** e.g. http://127.0.0.1:PORT/console — the sandbox console: a customer chat beside the conversation as Genesys shows it and the agent's view. */
  readonly consoleUrl: string;
  /**
   * Where a runner of the flow and the bridge (`baton serve`) attaches what the console shows
   * beyond the org: the flow's timeline, Baton's handoff traces, the scenarios to replay.
   */
  readonly console: ConsoleConnector;
  /** The Guest API's hooks (guest messages in, Bot/Human messages out, disconnect) and its opt-in faults. */
  readonly guest: GuestApi;
  /** Digital bots (Call Digital Bot Flow): `bots.start(conversationId)` → a session fed turn by turn. */
  readonly bots: Bots;
  /** Simulated agents of every queue: who answers, what they saw (`viewOf`), scripted replies and disconnects. */
  readonly agents: Agents;
  readonly org: SandboxOrg;
  readonly faults: FaultController;
  readonly counters: RequestCounters;
  addClient(opts: AddClientOptions): { clientId: string; clientSecret: string };
  /** Revokes matching tokens (all when no filter); their next use gets 401. Returns how many. */
  revokeTokens(filter?: { clientId?: string; accessToken?: string }): number;
  close(): Promise<void>;
}

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  seed: z.number().int().default(42),
  conversations: z.number().int().min(0).max(1_000_000).default(20),
  tokenLifetimeSeconds: z.number().int().positive().default(86_400),
  rateLimitPerMinute: z.number().int().positive().default(300),
  latencyMs: z.number().min(0).default(0),
  analyticsLagMs: z.number().int().min(0).default(2_000),
  separateLoginHost: z.boolean().default(false),
  transferDelayMs: z.number().int().min(0).max(600_000).default(200),
  agentAnswerDelayMs: z.number().int().min(0).max(600_000).default(0),
  bot: z.unknown().optional(),
  conversationDisconnect: z.object({ displayToGuest: z.boolean() }).strict().default({ displayToGuest: true }),
  threadingTimelineMinutes: z.number().int().min(0).max(4320).default(4320),
  requestTimeoutMs: z.number().int().min(1).max(600_000).default(60_000),
  headersTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  keepAliveTimeoutMs: z.number().int().min(1).max(600_000).default(5_000),
  maxGuestSessions: z.number().int().min(1).max(10_000_000).default(10_000),
}).refine((o) => o.headersTimeoutMs === undefined || o.headersTimeoutMs <= o.requestTimeoutMs, {
  // Node refuses a headers timeout above the request timeout (the headers are part of the request).
  message: 'must not exceed requestTimeoutMs',
  path: ['headersTimeoutMs'],
});

/** Starts a simulated Genesys Cloud org on real HTTP and resolves once it listens. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { now: nowOpt, sleep: sleepOpt, random: randomOpt, ...plain } = options;
  const parsed = optionsSchema.safeParse(plain);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SandboxError('sandbox.options.invalid', `Invalid sandbox option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`, {
      cause: parsed.error,
    });
  }
  const o = parsed.data;
  const now = nowOpt ?? Date.now;
  const sleep = sleepOpt ?? ((ms: number) => delay(ms));
  const random = randomOpt ?? createPrng(o.seed ^ 0x5bd1e995).next;

  // Directory and scenarios come first from the seed, so their ids do not depend on `conversations`.
  const prng = createPrng(o.seed);
  const t0 = now();
  const directory = seedDirectory(prng, t0);
  const org = createOrg(directory, prng, now);
  const fixtures = scenarioFixtures();
  const scenarios = {} as Record<ScenarioName, string>;
  for (const name of SCENARIO_NAMES) scenarios[name] = org.addConversation(fixtures[name]);
  for (const fixture of generateFixtures(createPrng(o.seed ^ 0x2545f491), directory, o.conversations)) org.addParsedConversation(fixture);

  const clients = createClientRegistry();
  const tokens = createTokenStore(now);
  const admin = clients.add({ permissions: '*' }, prng.uuid);
  const faults = createFaultEngine(random);
  const counters = createRequestCounters();
  const revokeTokens = (filter?: { clientId?: string; accessToken?: string }): number => tokens.revoke(filter);
  const guest = createGuestApi({ org, now, conversationDisconnect: o.conversationDisconnect, threadingTimelineMinutes: o.threadingTimelineMinutes, maxSessions: o.maxGuestSessions });
  const agents = createAgents({ org, guest, sleep, now, answerDelayMs: o.agentAnswerDelayMs });
  const botRuntime = createBots({ org, guest, now, defaultBot: (o.bot as BotDefinitionInput | undefined) ?? DEFAULT_BOT });
  // A conversation a bot runs in is live: agents answer it once it reaches a queue.
  const bots: Bots = {
    ...botRuntime,
    start(conversationId, botId) {
      const session = botRuntime.start(conversationId, botId);
      agents.markLive(conversationId);
      return session;
    },
  };
  const consoleConnector = createConsoleConnector();
  // The console's replay scripts the agent before the customer's first line (no conversation yet):
  // held per session token and given to the agents when that session starts its conversation,
  // which is before the flow can transfer it (the flow runs after this listener, asynchronously).
  const pendingScripts = new Map<string, AgentScript>();
  guest.onGuestMessage((e) => {
    if (!e.newConversation || pendingScripts.size === 0) return;
    for (const [token, script] of pendingScripts) {
      if (guest.conversationIdOf(token) !== e.conversationId) continue;
      agents.script(e.conversationId, script);
      pendingScripts.delete(token);
    }
  });
  const scriptAgentOfSession = (token: string, script: AgentScript): void => {
    const conversationId = guest.conversationIdOf(token);
    if (conversationId !== undefined) return agents.script(conversationId, script);
    // A page that replays and is closed before it speaks leaves one entry: keep only the latest few.
    if (pendingScripts.size >= 100) pendingScripts.delete(pendingScripts.keys().next().value as string);
    pendingScripts.set(token, script);
  };
  const app = createApp({
    org,
    consoleSources: () => consoleConnector.sources,
    guestFaults: guest.faults,
    agents,
    conversationIdOf: (token) => guest.conversationIdOf(token),
    scriptAgentOfSession,
    deploymentId: directory.deploymentId,
    clients,
    tokens,
    faults,
    counters,
    rateLimiter: createRateLimiter(now),
    defaultRateLimitPerMinute: o.rateLimitPerMinute,
    tokenLifetimeSeconds: o.tokenLifetimeSeconds,
    latencyMs: o.latencyMs,
    analyticsLagMs: o.analyticsLagMs,
    transferDelayMs: o.transferDelayMs,
    now,
    sleep,
    revokeTokens,
  });

  const listen = (port: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> =>
    new Promise((resolve, reject) => {
      const s = createServer({
        requestTimeout: o.requestTimeoutMs,
        headersTimeout: o.headersTimeoutMs ?? o.requestTimeoutMs,
        keepAliveTimeout: o.keepAliveTimeoutMs,
        // Node enforces the two timeouts only when it sweeps its connections (every 30 s by default),
        // which would let a slow client overstay a short limit by up to that much.
        connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.floor((o.headersTimeoutMs ?? o.requestTimeoutMs) / 4))),
      }, handler);
      s.on('clientError', answerClientError);
      s.once('error', reject);
      s.listen(port, o.host, () => resolve(s));
    });
  const isLogin = (req: IncomingMessage): boolean => (req.url ?? '').split('?')[0] === '/oauth/token';
  // With separate hosts, each answers only its own paths (UNCONFIRMED: what api.{domain} answers for
  // /oauth/token; a 404 here).
  const server = await listen(o.port, o.separateLoginHost ? (req, res) => (isLogin(req) ? wrongHost(res, 'login') : app(req, res)) : app);
  const loginServer = o.separateLoginHost ? await listen(0, (req, res) => (isLogin(req) ? app(req, res) : wrongHost(res, 'API'))) : undefined;
  // The Guest API's WebSocket shares the HTTP port: one host stands for webmessaging.{domain} too.
  server.on('upgrade', (req, socket, head) => guest.handleUpgrade(req, socket, head));
  const port = (server.address() as AddressInfo).port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  const loginUrl = loginServer ? `http://${host}:${(loginServer.address() as AddressInfo).port}` : `http://${host}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${port}`,
    port,
    loginUrl,
    clientId: admin.clientId,
    clientSecret: admin.clientSecret,
    scenarios: Object.freeze(scenarios),
    queues: directory.queues.map((q) => ({ id: q.id, name: q.name })),
    botFlowId: directory.botFlow.id,
    webMessagingUrl: `ws://${host}:${port}`,
    deploymentId: directory.deploymentId,
    consoleUrl: `http://${host}:${port}/console`,
    console: consoleConnector,
    guest,
    bots,
    agents,
    org,
    faults,
    counters,
    addClient(opts) {
      if (opts.clientId !== undefined && clients.get(opts.clientId)) {
        throw new SandboxError('sandbox.options.invalid', `OAuth client ${opts.clientId} already exists`);
      }
      const c = clients.add(opts, prng.uuid);
      return { clientId: c.clientId, clientSecret: c.clientSecret };
    },
    revokeTokens,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        // Upgraded sockets are no longer the HTTP server's: end them first or close() would wait on them.
        guest.close();
        const servers = loginServer ? [server, loginServer] : [server];
        Promise.all(
          servers.map(
            (s) =>
              new Promise<void>((done, fail) => {
                s.close((err) => (err ? fail(err) : done()));
                s.closeAllConnections();
              }),
          ),
        ).then(() => resolve(), reject);
      });
      return closing;
    },
  };
}

/** A request on the wrong one of two hosts: a 404 ErrorBody, as for any path a host does not serve. */
function wrongHost(res: ServerResponse, belongsTo: 'login' | 'API'): void {
  const contextId = randomUUID();
  res.writeHead(404, { 'content-type': 'application/json', 'ININ-Correlation-Id': contextId });
  res.end(
    JSON.stringify({
      message: `No resource at this path on this host; it is served by the ${belongsTo} host.`,
      code: 'not.found',
      status: 404,
      contextId,
      details: [],
      errors: [],
    }),
  );
}

/**
 * A request Node's HTTP parser refuses before Express sees it (a request line or headers past
 * Node's 16 kB limit, a malformed request line or header) or that did not arrive within the
 * slow-client limits (headers, or a body short of its Content-Length, while Express waits for it):
 * answered with an ErrorBody like every other refusal, not Node's bare `400 Bad Request` / `408`,
 * then the connection is closed (the parser cannot continue on it). A socket already gone, or a
 * response already started, is only closed (as Node does: a second status line would corrupt it).
 * What Genesys's edge answers to such requests (status, body, codes) is UNCONFIRMED.
 */
function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'The request line and headers are over the size limit.'
      : status === 408
        ? 'The request did not arrive in time.'
        : 'The request could not be understood by the server due to malformed syntax.';
  const contextId = randomUUID();
  const body = JSON.stringify({
    message,
    code: status === 431 ? 'request.header.fields.too.large' : status === 408 ? 'request.timeout' : 'bad.request',
    status,
    contextId,
    details: status === 400 ? [{ fieldName: 'request', errorCode: 'malformed.request' }] : [],
    errors: [],
  });
  // A HEAD's answer has no body (a client would read the body as the next response).
  const head = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `ININ-Correlation-Id: ${contextId}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
  );
}
