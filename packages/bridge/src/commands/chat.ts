import { createInterface } from 'node:readline';
import {
  createGuestClient,
  describeError,
  GuestApiError,
  systemClock,
  webMessagingOriginFor,
  type Clock,
  type GenesysApi,
  type GuestClient,
  type GuestClientEvent,
} from '@baton/core';
import type { Sandbox } from '@baton/sandbox';
import { configSecrets, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createRuntime, type BridgeRuntime, type RuntimeOptions } from '../runtime.js';
import { serve, type ServeHandle } from './serve.js';
import { CommandFailed, type CliIo } from './io.js';

export interface ChatCommandOptions {
  /** A Guest API origin (`ws://…` of a sandbox started elsewhere); needs `deploymentId`. */
  url?: string;
  /** A real org's region (UNCONFIRMED path); needs `deploymentId`. */
  region?: string;
  deploymentId?: string;
  /** Resume a session: the token printed by an earlier chat. */
  token?: string;
  /** `key=value` customAttributes sent with the first message (the customer's participant data). */
  attr?: string[];
  /** Seconds to wait for an answer after each piped line, and for quiet before ending at EOF. */
  wait?: string;
  json?: boolean;
}

export interface ChatDeps {
  /** Seam for tests: how the in-process sandbox is started (see RuntimeOptions.startSandbox). */
  runtimeOptions?: Partial<RuntimeOptions>;
  /** The in-process sandbox runs the conversation loop (flow, bot, agents) unless this is false. */
  conversationLoop?: boolean;
  clock?: Clock;
}

const DEFAULT_WAIT_SECONDS = 5;

/** Whatever a sandbox's agent simulation exposes (`sb.agents.viewOf`), if this sandbox has it. */
function agentViewOf(sandbox: Sandbox | undefined, conversationId: string): unknown {
  const agents = (sandbox as unknown as { agents?: { viewOf?: (id: string) => unknown } } | undefined)?.agents;
  if (typeof agents?.viewOf !== 'function') return undefined;
  try {
    return agents.viewOf(conversationId);
  } catch {
    return undefined;
  }
}

function parseAttributes(pairs: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CommandFailed(`--attr expects key=value, got "${pair}"`, 2);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

interface Handoff {
  outcome: 'with_bot' | 'queued' | 'agent' | 'ended';
  queue?: string;
  agent?: string;
  participants: { purpose: string; name?: string; state?: string; queue?: string }[];
  participantData: Record<string, string>;
  /** Where it was read: the Platform API, or a sandbox's console feed (`--url` without credentials). */
  source: 'Platform API' | 'sandbox console';
}

/** What the Platform API shows of the conversation: who holds it, and the customer's participant data. */
async function readHandoff(genesys: GenesysApi, conversationId: string): Promise<Handoff> {
  const conv = await genesys.getMessageConversation(conversationId);
  const participants = (conv.participants ?? []).map((p) => ({
    purpose: p.purpose ?? '',
    ...(p.name !== undefined && { name: p.name }),
    ...(p.state !== undefined && { state: p.state }),
    ...(p.queue?.name !== undefined || p.queue?.id !== undefined ? { queue: p.queue?.name ?? p.queue?.id ?? '' } : {}),
  }));
  const customer = [...(conv.participants ?? [])].reverse().find((p) => p.purpose === 'customer');
  const connected = (purpose: string) => (conv.participants ?? []).filter((p) => p.purpose === purpose && p.state !== 'disconnected');
  const agent = connected('agent')[0];
  const acd = [...(conv.participants ?? [])].reverse().find((p) => p.purpose === 'acd' || (p.purpose === 'agent' && p.queue));
  const everyoneGone = (conv.participants ?? []).every((p) => p.state === 'disconnected');
  const outcome: Handoff['outcome'] = agent ? 'agent' : connected('acd').length > 0 ? 'queued' : everyoneGone ? 'ended' : 'with_bot';
  const queue = acd?.queue?.name ?? acd?.queue?.id;
  return {
    outcome,
    ...(queue !== undefined && { queue }),
    ...(agent?.name !== undefined && { agent: agent.name }),
    participants,
    participantData: { ...(customer?.attributes ?? {}) },
    source: 'Platform API',
  };
}

function formatHandoff(handoff: Handoff | undefined, agentView: unknown, note: string | undefined): string {
  const lines: string[] = [];
  if (handoff) {
    const where = handoff.queue ? ` to queue ${handoff.queue}` : '';
    const label = {
      agent: `HANDED OFF${where}: agent ${handoff.agent ?? '(unnamed)'} answered`,
      queued: `HANDED OFF${where}: waiting for an agent`,
      with_bot: 'NOT HANDED OFF: the conversation is still with the bot/flow',
      ended: handoff.queue ? `ENDED after a handoff${where}` : 'ENDED without a handoff',
    }[handoff.outcome];
    lines.push(`--- ${label}`);
    lines.push(`    participants (${handoff.source}):`);
    for (const p of handoff.participants) lines.push(`      ${p.purpose.padEnd(9)} ${p.state ?? ''}${p.name ? `  ${p.name}` : ''}${p.queue ? `  queue ${p.queue}` : ''}`);
    const data = Object.entries(handoff.participantData);
    lines.push(data.length ? '    customer participant data:' : '    customer participant data: (none)');
    for (const [k, v] of data) lines.push(`      ${k} = ${v}`);
  }
  if (note) lines.push(`--- ${note}`);
  if (agentView !== undefined) {
    lines.push("    the agent's view (sandbox):");
    for (const line of JSON.stringify(agentView, null, 2).split('\n')) lines.push(`      ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `baton chat`: chats as the customer over the Web Messaging Guest API, from the terminal. By
 * default with an in-process sandbox org; `--url` for a sandbox started elsewhere; `--region` and
 * `--deployment-id` for a real org's deployment (UNCONFIRMED: cannot be tried offline). The bot's
 * and the agent's messages are printed as they come; when an agent answers (and when the chat ends)
 * it prints the handoff as the Platform API shows it, and the agent's view when the sandbox has one.
 */
export async function chatCommand(options: ChatCommandOptions, io: CliIo, deps: ChatDeps = {}): Promise<void> {
  try {
    await runChat(options, io, deps);
  } catch (error) {
    if (error instanceof CommandFailed) io.stderr(`baton chat: ${error.message}\n`);
    throw error;
  }
}

async function runChat(options: ChatCommandOptions, io: CliIo, deps: ChatDeps): Promise<void> {
  const clock = deps.clock ?? systemClock;
  const waitSeconds = options.wait === undefined ? DEFAULT_WAIT_SECONDS : Number(options.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 600) throw new CommandFailed('--wait expects seconds between 0 and 600', 2);
  const waitMs = waitSeconds * 1000;
  const attributes = parseAttributes(options.attr);
  if ((options.url !== undefined || options.region !== undefined) && !options.deploymentId) {
    throw new CommandFailed('--deployment-id is required with --url or --region', 2);
  }
  if (options.url !== undefined && options.region !== undefined) throw new CommandFailed('--url and --region exclude each other', 2);
  if (!io.stdin) throw new CommandFailed('baton chat reads what to say from stdin, and none is available', 2);

  const config = loadConfig(io.env);
  const json = options.json === true;
  const out = (event: Record<string, unknown>, text: string | undefined) => {
    if (json) io.stdout(`${JSON.stringify(event)}\n`);
    else if (text !== undefined) io.stdout(text);
  };
  const note = (text: string) => {
    if (!json) io.stderr(`${text}\n`);
  };

  let origin: string | undefined;
  if (options.region !== undefined) {
    origin = webMessagingOriginFor(options.region);
    if (!origin) throw new CommandFailed(`unknown region "${options.region.slice(0, 64)}": expected e.g. us_east_1, eu_west_1 or a domain such as mypurecloud.ie`, 2);
    note('UNCONFIRMED: chatting with a real org deployment cannot be tried offline; the protocol follows the documented Guest API.');
  } else if (options.url !== undefined) {
    if (!/^wss?:\/\/[^/]/i.test(options.url)) throw new CommandFailed('--url expects a ws:// or wss:// origin (the webMessagingUrl `pnpm sandbox` prints)', 2);
    origin = options.url;
  }

  // The Platform API beside the chat: the in-process sandbox's, or the configured org's. With --url
  // or --region and no GENESYS_CLIENT_ID, there is none (a sandbox would be the wrong org).
  let runtime: BridgeRuntime | undefined;
  let served: ServeHandle | undefined;
  if (origin === undefined && config.genesys.mode === 'sandbox') {
    // The whole conversation in this process: the sandbox, this bridge on a free port, and the
    // loop (the exported flow calling the bridge's data actions, the sandbox's bot and agents).
    served = await serve(
      { ...io, env: { ...io.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: io.env.LOG_LEVEL ?? 'warn' }, stdout: () => undefined },
      {
        logDestination: { write: (s: string) => void io.stderr(s) },
        banner: false,
        ...(deps.conversationLoop === false && { conversationLoop: false }),
        ...(deps.runtimeOptions && { runtimeOptions: deps.runtimeOptions }),
      },
    );
    runtime = served.runtime;
  } else if (origin === undefined || config.genesys.mode === 'org') {
    const logger = createLogger({ level: 'warn', secrets: () => configSecrets(config), destination: { write: (s: string) => io.stderr(s) } });
    runtime = await createRuntime(config, { logger, ...deps.runtimeOptions });
  }
  try {
    let deploymentId = options.deploymentId;
    if (origin === undefined) {
      if (!runtime?.sandbox) {
        throw new CommandFailed('GENESYS_CLIENT_ID is set: to chat with that org, pass --region and --deployment-id of its web messaging deployment', 2);
      }
      origin = runtime.sandbox.webMessagingUrl;
      deploymentId ??= runtime.sandbox.deploymentId;
    }
    if (deploymentId === undefined) throw new CommandFailed('--deployment-id is required with --url or --region', 2);
    await chat({ origin, deploymentId, runtime, io, options, json, out, note, attributes, waitMs, clock });
  } finally {
    if (served) await served.stop('chat ended');
    else await runtime?.close();
  }
}

interface ChatContext {
  origin: string;
  deploymentId: string;
  runtime: BridgeRuntime | undefined;
  io: CliIo;
  options: ChatCommandOptions;
  json: boolean;
  out: (event: Record<string, unknown>, text: string | undefined) => void;
  note: (text: string) => void;
  attributes: Record<string, string>;
  waitMs: number;
  clock: Clock;
}

async function chat(ctx: ChatContext): Promise<void> {
  const { io, out, note, runtime, clock, waitMs } = ctx;
  const sandbox = runtime?.sandbox;
  const interactive = io.stdin?.isTTY === true;
  const client: GuestClient = createGuestClient({ origin: ctx.origin, deploymentId: ctx.deploymentId, clock, ...(ctx.options.token && { token: ctx.options.token }) });

  let conversationId: string | undefined;
  let announced = false;
  let ended = false;
  let closingByUs = false;
  // Bot and agent messages received so far: a piped line waits for the next one.
  let answers = 0;
  // Wakes whoever waits for the service (an answer to a piped line, quiet at EOF, the end).
  let lastActivity = clock.now();
  let wake: () => void = () => undefined;

  // Shown once: when an agent answers, else when the chat ends. Awaited before closing.
  let handoffShown: Promise<void> | undefined;
  const showHandoff = (reason: string): Promise<void> => {
    // Without a Platform API the conversation id stays unknown: say so once, at the end.
    if (conversationId === undefined && runtime) return Promise.resolve();
    handoffShown ??= printHandoff(reason, conversationId);
    return handoffShown;
  };
  const printHandoff = async (reason: string, conversation: string | undefined): Promise<void> => {
    let id = conversation;
    let handoff: Handoff | undefined;
    let problem: string | undefined;
    if (runtime && id !== undefined) {
      try {
        handoff = await readHandoff(runtime.genesys, id);
      } catch (error) {
        problem = `could not read the conversation from the Platform API: ${describeError(error)}`;
      }
    }
    let agentView = id === undefined ? undefined : agentViewOf(sandbox, id);
    if (!runtime && ctx.options.url !== undefined) {
      // A sandbox started elsewhere (`pnpm start`): its console feed shows the conversation as the
      // org has it and the agent's view, with no Platform API credentials (the sandbox's own view).
      const seen = await readSandboxConsole(ctx.origin, client.token);
      if (seen?.conversationId) {
        id = seen.conversationId;
        conversationId ??= id;
        handoff = handoffFromConsole(seen);
        agentView = seen.agentView ?? undefined;
      }
    }
    if (!handoff && !problem) {
      problem = 'no Platform API configured (set GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET and GENESYS_REGION or GENESYS_BASE_URL to see the handoff)';
    }
    out(
      { event: 'handoff', reason, conversationId: id ?? null, ...(handoff ?? {}), ...(problem && { problem }), ...(agentView !== undefined && { agentView }) },
      formatHandoff(handoff, agentView, problem),
    );
  };

  client.on((event: GuestClientEvent) => {
    lastActivity = clock.now();
    switch (event.kind) {
      case 'text':
        if (event.from === 'guest') {
          // The user's own line: shown when it did not come from a keyboard (a transcript).
          out({ event: 'message', from: 'guest', id: event.id, time: event.time, text: event.text }, interactive ? undefined : `you: ${event.text}\n`);
          return;
        }
        answers += 1;
        out(
          { event: 'message', from: event.from, id: event.id, time: event.time, text: event.text, ...(event.nickname !== undefined && { nickname: event.nickname }) },
          `${event.from === 'agent' ? `agent${event.nickname ? ` (${event.nickname})` : ''}` : event.from}: ${event.text}\n`,
        );
        if (event.from === 'agent') void showHandoff('agent answered').finally(() => wake());
        else wake();
        return;
      case 'typing':
        if (event.from !== 'guest') out({ event: 'typing', from: event.from }, undefined);
        return;
      case 'presence':
        out({ event: 'presence', presence: event.presence, readOnly: event.readOnly }, event.presence === 'Disconnect' ? `--- the conversation was disconnected${event.readOnly ? ' (read-only now)' : ''}\n` : undefined);
        if (event.presence === 'Disconnect') {
          ended = true;
          wake();
        }
        return;
      case 'error':
        out({ event: 'error', code: event.code, message: event.message, ...(event.retryAfterSeconds !== undefined && { retryAfterSeconds: event.retryAfterSeconds }) }, undefined);
        note(`Guest API error ${event.code}: ${event.message}${event.retryAfterSeconds !== undefined ? ` (retry after ${event.retryAfterSeconds} s)` : ''}`);
        return;
      case 'closed':
        if (!ended && !closingByUs) {
          ended = true;
          out({ event: 'closed', code: event.code }, undefined);
          note(`the Guest API closed the connection (${event.code}${event.reason ? ` ${event.reason}` : ''})`);
        }
        wake();
        return;
      default:
        return;
    }
  });

  let session;
  try {
    session = await client.connect();
  } catch (error) {
    throw new CommandFailed(`could not start a Guest API session: ${describeError(error)}`);
  }
  out(
    { event: 'session', endpoint: client.endpoint, deploymentId: ctx.deploymentId, newSession: session.newSession, readOnly: session.readOnly, sandbox: sandbox !== undefined },
    undefined,
  );
  note(
    `${sandbox ? 'SANDBOX: chatting with a simulated org' : 'Chatting'} at ${client.endpoint} as the customer${session.newSession ? '' : ' (resumed session)'}.` +
      ` Session token: ${client.token} (--token resumes it). Type a line and press Enter; Ctrl-D ends.`,
  );

  /** Waits until `done()` holds, or `ms` pass with nothing received. */
  const waitFor = async (done: () => boolean, ms: number): Promise<void> => {
    while (!done() && !ended) {
      const remaining = lastActivity + ms - clock.now();
      if (remaining <= 0) return;
      await new Promise<void>((resolve) => {
        const cancel = clock.setTimer(remaining, () => resolve());
        wake = () => {
          cancel();
          resolve();
        };
      });
    }
  };

  let first = true;
  const lines = createInterface({ input: io.stdin!, terminal: false, crlfDelay: Infinity });
  try {
    for await (const raw of lines) {
      if (ended) break;
      const text = raw.trim();
      if (text === '') continue;
      if (text === '/quit') break;
      const answeredBefore = answers;
      try {
        const echo = await client.sendText(text, first ? ctx.attributes : undefined);
        first = false;
        if (conversationId === undefined) conversationId = await conversationOf(runtime?.genesys, echo.id, sandbox, client.token);
        if (conversationId !== undefined && !announced) {
          announced = true;
          out({ event: 'conversation', conversationId }, undefined);
          note(`conversation ${conversationId}`);
        }
      } catch (error) {
        if (!(error instanceof GuestApiError)) throw error;
        // Shown by the error event already; a read-only session will refuse every later line too.
        if (client.readOnly) break;
        continue;
      }
      // Piped input: give the bot a chance to answer before the next line, as a person would.
      if (!interactive) await waitFor(() => answers > answeredBefore, waitMs);
    }
  } finally {
    lines.close();
  }
  // EOF: what is still on its way is shown, until the chat has been quiet for the wait.
  await waitFor(() => false, waitMs);
  await showHandoff(ended ? 'conversation ended' : 'chat ended');
  closingByUs = true;
  await client.close();
  out({ event: 'end', conversationId: conversationId ?? null }, undefined);
}

/** What a sandbox console's feed (`GET /console/events?session=<token>`) says of a guest's conversation. */
interface ConsoleView {
  conversationId?: string | null;
  participants?: { purpose: string; state?: string; name?: string; queue?: string }[];
  queue?: string | null;
  agentView?: { agent?: { name?: string }; participantData?: Record<string, string> } | null;
}

/**
 * One snapshot from a sandbox's console feed (Server-Sent Events: the first `data:` line), or
 * undefined when the origin is no sandbox with a console (a real org) or it does not answer in time.
 */
async function readSandboxConsole(origin: string, token: string): Promise<ConsoleView | undefined> {
  const url = new URL('/console/events', origin.replace(/^ws/i, 'http'));
  url.searchParams.set('session', token);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 3000);
  try {
    const res = await fetch(url, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
    if (!res.ok || !res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) return undefined;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return undefined;
      text += decoder.decode(value, { stream: true });
      const line = /^data: (.*)$/m.exec(text)?.[1];
      if (line !== undefined) return JSON.parse(line) as ConsoleView;
    }
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

function handoffFromConsole(view: ConsoleView): Handoff {
  const participants = (view.participants ?? []).map((p) => ({
    purpose: p.purpose,
    ...(p.name !== undefined && { name: p.name }),
    ...(p.state !== undefined && { state: p.state }),
    ...(p.queue !== undefined && { queue: p.queue }),
  }));
  const connected = (purpose: string) => participants.filter((p) => p.purpose === purpose && p.state !== 'disconnected');
  const agent = view.agentView?.agent?.name ?? connected('agent')[0]?.name;
  const everyoneGone = participants.length > 0 && participants.every((p) => p.state === 'disconnected');
  const outcome: Handoff['outcome'] =
    connected('agent').length > 0 ? 'agent' : connected('acd').length > 0 ? 'queued' : everyoneGone ? 'ended' : 'with_bot';
  return {
    outcome,
    ...(view.queue ? { queue: view.queue } : {}),
    ...(agent !== undefined && { agent }),
    participants,
    participantData: { ...(view.agentView?.participantData ?? {}) },
    source: 'sandbox console',
  };
}

/** The conversation a message belongs to: the documented details route, or the sandbox's own map. */
async function conversationOf(genesys: GenesysApi | undefined, messageId: string, sandbox: Sandbox | undefined, token: string): Promise<string | undefined> {
  if (genesys) {
    try {
      const { conversationId } = await genesys.getMessageDetails(messageId);
      if (conversationId) return conversationId;
    } catch {
      // Fall through: the chat goes on without the Platform API view.
    }
  }
  return sandbox?.guest.conversationIdOf(token);
}
