import { readFileSync } from 'node:fs';
import { BatonError, DEFAULT_IDEMPOTENCY_BOUNDS, DEFAULT_MAX_HOLD_MS, DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_TRACE_BOUNDS, defaultHandoffConfig, findRegion, parseRoutingTable, type RoutingTable } from '@baton/core';
import { z } from 'zod';
import { allOrNone, describeVariable, markdownTable, parseTable, secretsAt, variable, variablesOf, type ConfigVariable, type ShapeOf } from './config-table.js';
import { beforeColon, booleanText, fraction, httpUrl, int, redisPassword, redisUrl, secret, trustProxy, uuid, wsUrl } from './config-values.js';

export { secretWeakness } from './config-values.js';
export type { ConfigVariable } from './config-table.js';

/**
 * The bridge's whole configuration, parsed once from the environment (and `.env`, which only the
 * CLI loads) into a frozen object. Nothing else in the bridge reads `process.env`.
 *
 * `configTable` below is the only place a variable is spelled: its name, schema, default, README
 * text and secret flag, placed where its value lands in the config object. The parser, the
 * `BridgeConfig` type, the README table (`pnpm --filter @baton/bridge docs:config`) and the secret
 * list are derived from it. Defaults that belong to core (the handoff's, the pacer's) are core's
 * constants, referenced here, never repeated.
 */

/** Failed-authentication throttling when nothing configures it (library use, the extension). */
export const AUTH_THROTTLE_DEFAULTS = Object.freeze({ maxFailures: 20, windowMs: 60_000 });

/**
 * Time allowed to receive a whole request on top of BATON_DEADLINE_MS. Genesys sends a small body at
 * once and gives up after the action's timeout anyway, so a request still arriving after the deadline
 * plus this margin is a slow (or malicious) client holding a connection: it gets 408.
 */
export const REQUEST_RECEIVE_MARGIN_MS = 2000;

/** Prefix of every Redis key when BATON_REDIS_PREFIX is unset. */
export const DEFAULT_REDIS_KEY_PREFIX = 'baton:';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const configTable = {
  genesys: {
    region: variable('GENESYS_REGION', {
      schema: z.string().trim(),
      doc: 'Genesys Cloud region (`us_east_1`, `eu_west_1`, … or its domain such as `mypurecloud.ie`).',
    }),
    clientId: variable('GENESYS_CLIENT_ID', {
      schema: z.string().trim(),
      doc: 'OAuth client-credentials client id. Unset (with the secret) = in-process sandbox org.',
    }),
    clientSecret: variable('GENESYS_CLIENT_SECRET', { schema: z.string(), doc: 'OAuth client secret.', secret: true }),
    baseUrl: variable('GENESYS_BASE_URL', {
      schema: httpUrl,
      doc: 'Explicit non-Genesys base URL serving `/oauth/token` and `/api/v2` (e.g. a standalone sandbox). Operator-only: never taken from request input. Overrides GENESYS_REGION.',
    }),
    requestsPerMinute: variable('GENESYS_REQUESTS_PER_MINUTE', {
      schema: int(1, 100000),
      default: DEFAULT_REQUESTS_PER_MINUTE,
      doc: 'Platform API request budget per token (Genesys default 300/min).',
    }),
    maxRetryAfterHoldMs: variable('GENESYS_MAX_RETRY_AFTER_HOLD_MS', {
      schema: int(1000, 600000),
      default: DEFAULT_MAX_HOLD_MS,
      doc: "Longest a 429's `Retry-After` pauses every Platform API call (on every replica, with Redis); a longer one is cut to this and logged as a warning (1000–600000).",
    }),
  },
  /** `baton test` conversation scenarios against a real org's deployment (UNCONFIRMED). */
  conversations: {
    deploymentId: variable('GENESYS_DEPLOYMENT_ID', {
      schema: uuid,
      doc: "`baton test` with a real org (GENESYS_CLIENT_ID set): the web-messaging (Messenger) deployment whose Guest API the conversation scenarios talk to, as a customer.",
    }),
    webMessagingUrl: variable('GENESYS_WEB_MESSAGING_URL', {
      schema: wsUrl,
      doc: "Guest API origin for `baton test` (`/v1?deploymentId=` is added). Default `wss://webmessaging.<GENESYS_REGION's domain>`; required with GENESYS_BASE_URL. Operator-only, like GENESYS_BASE_URL.",
    }),
    agent: variable('BATON_TEST_AGENT', {
      schema: z.enum(['none', 'human'], { error: 'expected none or human' }),
      default: 'none',
      doc: "`baton test` with a real org: `none` skips (and reports) the steps that need an agent; `human`: someone answers as the agent, and `expectAgentAnswers`/`expectAgent` are checked (`agentSays`/`disconnect` are still skipped: Baton cannot act for a human).",
    }),
  },
  handoff: {
    defaultQueueId: variable('GENESYS_QUEUE_ID', {
      schema: uuid,
      doc: 'Default target queue when a request carries no `queueId`.',
    }),
    threshold: variable('BATON_THRESHOLD', {
      schema: fraction(0, 1),
      default: defaultHandoffConfig.threshold,
      doc: 'Hand off when intent confidence is below this (0..1).',
    }),
    maskTranscript: variable('BATON_MASK_TRANSCRIPT', {
      schema: booleanText,
      default: defaultHandoffConfig.transcript.mask,
      doc: 'Mask e-mail addresses, card numbers and phone numbers in the transcript written for the agent (a request may override).',
    }),
    writeContext: variable('BATON_WRITE_CONTEXT', {
      schema: z.enum(['bridge', 'flow'], { error: 'expected bridge or flow' }),
      default: defaultHandoffConfig.writeContext,
      doc: "Who writes the agent's context: `bridge` (a PATCH of the customer's participant data) or `flow` (Baton writes nothing and returns it as `context*` outputs for the flow's own Set Participant Data: one Platform API call fewer, no permission on the attributes endpoint). A request may override (`writeContext`).",
    }),
    contextTranscript: variable('BATON_CONTEXT_TRANSCRIPT', {
      schema: booleanText,
      default: defaultHandoffConfig.contextTranscript,
      doc: "Also write the full transcript into the agent's context (as `Baton Transcript <n>` parts, bounded by the 50-attribute and 256-character participant-data limits). Off: in web messaging the agent already sees the messages, and participant data is kept in analytics. A request may override (`includeTranscript`).",
    }),
    defaultMode: variable('BATON_DEFAULT_MODE', {
      schema: z.enum(['flow', 'api'], { error: 'expected flow or api' }),
      default: defaultHandoffConfig.defaultMode,
      doc: "`flow` (the flow's Transfer to ACD transfers) or `api` (Baton transfers).",
    }),
    defaultPriority: variable('BATON_DEFAULT_PRIORITY', {
      schema: int(1, 10),
      doc: 'Queue priority 1–10 when a request carries none.',
    }),
    botFlowId: variable('BATON_BOT_FLOW_ID', {
      schema: uuid,
      doc: 'Bot flow id for reading intent confidence from bot-flow analytics.',
    }),
    botFlowLookbackMinutes: variable('BATON_BOT_FLOW_LOOKBACK_MINUTES', {
      schema: int(1, 14400),
      default: defaultHandoffConfig.botFlowLookbackMinutes,
      doc: "Bot-flow analytics: only sessions completed in the last this many minutes are searched for the conversation's (1–14400).",
    }),
    botFlowMaxPages: variable('BATON_BOT_FLOW_MAX_PAGES', {
      schema: int(1, 100),
      default: defaultHandoffConfig.botFlowMaxPages,
      doc: 'Bot-flow analytics: at most this many pages of sessions (newest first, 250 each) per lookup; not found = intent unknown (1–100).',
    }),
    routingFile: variable('BATON_ROUTING_FILE', {
      schema: z.string().trim().min(1),
      doc: 'JSON file of routes: intent (and optionally exit reason) → queue (`queueId` or `queueName`) and priority, plus a `default`; read and validated at start (a bad entry stops start-up naming its line). Unset: every handoff goes to `GENESYS_QUEUE_ID`. See examples/routing.json.',
    }),
    maxCallsPerHandoff: variable('BATON_MAX_CALLS_PER_HANDOFF', {
      schema: int(1, 10000),
      default: defaultHandoffConfig.maxCallsPerHandoff,
      doc: 'Most Platform API calls (retries included) one request may make, so that none can spend the per-token budget every request shares; past it the request fails with rate_budget_exhausted (1–10000).',
    }),
  },
  deadlineMs: variable('BATON_DEADLINE_MS', {
    schema: int(500, 58000),
    default: 25000,
    doc: "Per-request deadline. Keep it below the data action's timeout (1–60 s) so the bridge answers 504 before Genesys times out.",
  }),
  /** Inbound credentials: any subset may be enabled; at least one is required to serve. */
  auth: {
    basic: allOrNone({
      user: variable('BATON_BASIC_USER', {
        schema: beforeColon('a user name'),
        doc: 'Inbound Basic Auth user (Basic Auth credential type). Needs BATON_BASIC_PASSWORD.',
      }),
      password: variable('BATON_BASIC_PASSWORD', {
        schema: secret(12),
        doc: 'Inbound Basic Auth password (at least 12 characters; obviously weak values such as one repeated character, a sequence or a template placeholder are refused).',
        secret: true,
      }),
    }),
    apiKey: variable('BATON_API_KEY', {
      schema: secret(16),
      doc: 'Inbound API key, sent as `X-API-Key` (User Defined credential type; at least 16 characters, not obviously weak).',
      secret: true,
    }),
    oauth: allOrNone({
      clientId: variable('BATON_OAUTH_CLIENT_ID', {
        schema: beforeColon('a client id'),
        doc: "Client id the integration's custom auth action sends to `POST /oauth/token` (User Defined (OAuth)).",
      }),
      clientSecret: variable('BATON_OAUTH_CLIENT_SECRET', {
        schema: secret(16),
        doc: 'Its client secret (at least 16 characters, not obviously weak); also the key material of the token signatures.',
        secret: true,
      }),
      tokenTtlSeconds: variable('BATON_OAUTH_TOKEN_TTL_SECONDS', {
        schema: int(60, 86400),
        default: 900,
        doc: 'Lifetime of bearer tokens issued by `POST /oauth/token` (60–86400).',
      }),
    }),
  },
  /** Failed authentications per source address before 429; maxFailures 0 = off. */
  authThrottle: {
    maxFailures: variable('BATON_AUTH_FAILURE_LIMIT', {
      schema: int(0, 100_000),
      default: AUTH_THROTTLE_DEFAULTS.maxFailures,
      doc: 'Failed authentications a source address may make per window before its further failures get 429 with Retry-After (correct credentials always pass). 0 = no throttling.',
    }),
    windowMs: variable('BATON_AUTH_FAILURE_WINDOW_SECONDS', {
      schema: int(1, 3600).transform((seconds) => seconds * 1000),
      default: AUTH_THROTTLE_DEFAULTS.windowMs / 1000,
      doc: 'The window of BATON_AUTH_FAILURE_LIMIT (1–3600).',
    }),
  },
  server: {
    maxBodyBytes: variable('BATON_MAX_BODY_BYTES', {
      schema: int(1024, 10 * 1024 * 1024),
      default: 102400,
      doc: 'Largest accepted JSON body; larger ones get 413.',
    }),
    maxConnections: variable('BATON_MAX_CONNECTIONS', {
      schema: int(1, 1_000_000),
      default: 4096,
      doc: 'Most TCP connections open at once; further ones are closed as they arrive (counted in `baton_http_connections_dropped_total`).',
    }),
    /** Express `trust proxy`: unset = the TCP peer is the source address. */
    trustProxy: variable('BATON_TRUST_PROXY', {
      schema: trustProxy,
      doc: 'Unset: the source address is the TCP peer and `X-Forwarded-For` is ignored. Behind a load balancer, the number of proxy hops to trust (e.g. `1`) or a comma-separated list of their addresses/CIDRs (`loopback`, `linklocal`, `uniquelocal` allowed).',
    }),
    shutdownTimeoutMs: variable('BATON_SHUTDOWN_TIMEOUT_MS', {
      schema: int(0, 600000),
      default: 30000,
      doc: 'On SIGTERM, how long to wait for in-flight handoffs before closing anyway.',
    }),
    keepAliveTimeoutMs: variable('BATON_KEEP_ALIVE_TIMEOUT_MS', {
      schema: int(1000, 600000),
      default: 65000,
      doc: 'HTTP keep-alive timeout; keep it above your load balancer idle timeout (Genesys reports reused closed connections as 500 Connection reset).',
    }),
    port: variable('PORT', { schema: int(0, 65535), default: 3000, doc: 'Listen port (0 = any free port).' }),
    /** Filled in by loadConfig when unset: it depends on the mode. */
    host: variable('HOST', {
      schema: z.string().trim(),
      shownDefault: '127.0.0.1 in sandbox mode, 0.0.0.0 otherwise',
      doc: 'Listen address.',
    }),
  },
  sandbox: {
    latencyMs: variable('BATON_SANDBOX_LATENCY_MS', {
      schema: int(0, 60000),
      default: 0,
      doc: 'Sandbox mode only: simulated Genesys latency per call.',
    }),
    seed: variable('BATON_SANDBOX_SEED', {
      schema: int(0, 2147483647),
      doc: 'Sandbox mode only: seed of the simulated org (same seed, same ids).',
    }),
  },
  logLevel: variable('LOG_LEVEL', {
    schema: z.enum(LOG_LEVELS, { error: `expected ${LOG_LEVELS.slice(0, -1).join(', ')} or ${LOG_LEVELS.at(-1)}` }),
    default: 'info',
    doc: 'fatal, error, warn, info, debug, trace or silent.',
  }),
  redisUrl: variable('REDIS_URL', {
    schema: redisUrl,
    doc: 'Redis for state shared by replicas (idempotency, traces, the Genesys token and its rate budget). Unset = in memory, one replica.',
    secret: { part: 'its password', of: redisPassword },
  }),
  /** In-memory state only (no REDIS_URL): its bounds, so memory stays flat under sustained load. */
  memory: {
    handoffsMaxEntries: variable('BATON_MEMORY_HANDOFFS_MAX', {
      schema: int(100, 10_000_000),
      default: DEFAULT_IDEMPOTENCY_BOUNDS.maxEntries,
      doc: 'In memory (no REDIS_URL): most handoff results kept for repeats; past it (or past BATON_MEMORY_HANDOFFS_MAX_BYTES) the oldest go first. A repeat of a dropped one re-reads the conversation instead.',
    }),
    handoffsMaxBytes: variable('BATON_MEMORY_HANDOFFS_MAX_BYTES', {
      schema: int(1024 * 1024, 4 * 1024 * 1024 * 1024),
      default: DEFAULT_IDEMPOTENCY_BOUNDS.maxBytes,
      doc: 'In memory: most bytes (the results\' JSON) of kept handoff results.',
    }),
    tracesMaxEntries: variable('BATON_MEMORY_TRACES_MAX', {
      schema: int(10, 1_000_000),
      default: DEFAULT_TRACE_BOUNDS.maxEntries,
      doc: 'In memory: most handoff traces kept (the newest).',
    }),
    tracesMaxBytes: variable('BATON_MEMORY_TRACES_MAX_BYTES', {
      schema: int(64 * 1024, 4 * 1024 * 1024 * 1024),
      default: DEFAULT_TRACE_BOUNDS.maxBytes,
      doc: 'In memory: most bytes (the traces\' JSON) of kept traces.',
    }),
  },
  redisKeyPrefix: variable('BATON_REDIS_PREFIX', {
    schema: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'expected 1–64 letters, digits or : _ . -'),
    default: DEFAULT_REDIS_KEY_PREFIX,
    doc: 'Prefix of every Redis key (several deployments on one Redis).',
  }),
};

type TableConfig = ShapeOf<typeof configTable>;

/** The parsed configuration: the table's shape, plus what loadConfig derives from several variables. */
export type BridgeConfig = Omit<TableConfig, 'genesys' | 'server' | 'handoff'> & {
  handoff: TableConfig['handoff'] & {
    /** BATON_ROUTING_FILE, read and validated. */
    routing?: RoutingTable;
  };
  genesys: TableConfig['genesys'] & {
    /** `org`: a configured Genesys org (or explicit base URL); `sandbox`: the in-process simulated org. */
    mode: 'org' | 'sandbox';
  };
  server: Omit<TableConfig['server'], 'host'> & {
    host: string;
    /** Longest a request may take to arrive (headers and body): BATON_DEADLINE_MS + REQUEST_RECEIVE_MARGIN_MS. */
    requestTimeoutMs: number;
  };
};
export type InboundAuthConfig = BridgeConfig['auth'];
export type LogLevel = BridgeConfig['logLevel'];

/** Documentation of every variable, in table order (the README's configuration table). */
export const configVariables: readonly ConfigVariable[] = variablesOf(configTable).map(({ variable: v }) => describeVariable(v));

/** The README's configuration table, as `pnpm --filter @baton/bridge docs:config` writes it. */
export function configReadmeTable(): string {
  return markdownTable(configTable);
}

export interface ConfigIssue {
  variable: string;
  problem: string;
}

/** A bad configuration value: start-up stops with a message naming each variable. Never echoes a secret. */
export class ConfigError extends BatonError {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super('configuration_invalid', `Invalid configuration: ${issues.map((i) => `${i.variable}: ${i.problem}`).join('; ')}`, {
      details: { issues },
    });
    this.issues = issues;
  }
}

/**
 * Parses the environment. Throws ConfigError naming every bad variable. `env` is passed in (the CLI
 * passes `process.env` after loading `.env`), so tests never touch the real environment.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  files: { readText(path: string): string } = { readText: (path) => readFileSync(path, 'utf8') },
): BridgeConfig {
  const { value, parseIssues, groupIssues } = parseTable(configTable, env);
  if (parseIssues.length > 0) throw new ConfigError(parseIssues);
  const e = value as TableConfig;

  // Rules across variables, checked once every value is valid.
  const issues: ConfigIssue[] = [];
  pairCheck(issues, 'GENESYS_CLIENT_ID', e.genesys.clientId, 'GENESYS_CLIENT_SECRET', e.genesys.clientSecret);
  issues.push(...groupIssues);
  const hasGenesysCredentials = e.genesys.clientId !== undefined && e.genesys.clientSecret !== undefined;
  if (hasGenesysCredentials && e.genesys.region === undefined && e.genesys.baseUrl === undefined) {
    issues.push({ variable: 'GENESYS_REGION', problem: 'required with GENESYS_CLIENT_ID (or set GENESYS_BASE_URL)' });
  }
  if (e.genesys.region !== undefined && e.genesys.baseUrl === undefined && findRegion(e.genesys.region) === undefined) {
    issues.push({ variable: 'GENESYS_REGION', problem: `unknown region "${e.genesys.region.slice(0, 64)}": expected e.g. us_east_1, eu_west_1 or a domain such as mypurecloud.ie` });
  }
  if (e.genesys.clientId === undefined && e.genesys.clientSecret === undefined && e.genesys.baseUrl !== undefined) {
    issues.push({ variable: 'GENESYS_CLIENT_ID', problem: 'required with GENESYS_BASE_URL (with GENESYS_CLIENT_SECRET)' });
  }
  if (e.server.shutdownTimeoutMs > 0 && e.server.shutdownTimeoutMs < e.deadlineMs) {
    issues.push({
      variable: 'BATON_SHUTDOWN_TIMEOUT_MS',
      problem: `expected at least BATON_DEADLINE_MS (${e.deadlineMs}), so in-flight handoffs can finish on SIGTERM`,
    });
  }
  const routing = e.handoff.routingFile === undefined ? undefined : readRouting(e.handoff.routingFile, files, issues);
  if (issues.length > 0) throw new ConfigError(issues);

  const mode = hasGenesysCredentials ? 'org' : 'sandbox';
  const config: BridgeConfig = {
    ...e,
    genesys: { mode, ...e.genesys },
    handoff: { ...e.handoff, ...(routing && { routing }) },
    server: {
      ...e.server,
      // The sandbox has nothing real behind it, but a dev machine's bridge still has no business on the LAN.
      host: e.server.host ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
      requestTimeoutMs: e.deadlineMs + REQUEST_RECEIVE_MARGIN_MS,
    },
  };
  return deepFreeze(config);
}

/** The routing file, parsed; an unreadable file or a bad entry is an issue naming BATON_ROUTING_FILE (and the line). */
function readRouting(path: string, files: { readText(path: string): string }, issues: ConfigIssue[]): RoutingTable | undefined {
  let text: string;
  try {
    text = files.readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    issues.push({ variable: 'BATON_ROUTING_FILE', problem: `cannot read ${path}${code ? ` (${code})` : ''}` });
    return undefined;
  }
  try {
    return parseRoutingTable(text, path);
  } catch (error) {
    issues.push({ variable: 'BATON_ROUTING_FILE', problem: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** Whether any inbound credential type is enabled. */
export function hasInboundAuth(auth: InboundAuthConfig): boolean {
  return auth.basic !== undefined || auth.apiKey !== undefined || auth.oauth !== undefined;
}

/** Every secret value in the configuration, for log redaction (the Redis password in REDIS_URL too). */
export function configSecrets(config: BridgeConfig): string[] {
  return secretsAt(configTable, config);
}

/** Which inbound credential types are enabled, by name (for the start-up log). */
export function enabledAuthModes(auth: InboundAuthConfig): string[] {
  return [auth.basic && 'basic', auth.apiKey && 'apikey', auth.oauth && 'oauth'].filter((m): m is string => typeof m === 'string');
}

function pairCheck(issues: ConfigIssue[], aName: string, a: unknown, bName: string, b: unknown): void {
  if (a !== undefined && b === undefined) issues.push({ variable: bName, problem: `required with ${aName}` });
  if (a === undefined && b !== undefined) issues.push({ variable: aName, problem: `required with ${bName}` });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
