import { isIP } from 'node:net';
import { BatonError, findRegion } from '@baton/core';
import { z } from 'zod';

/**
 * The bridge's whole configuration, parsed once from the environment (and `.env`, which only the
 * CLI loads) into a frozen object. Nothing else in the bridge reads `process.env`.
 *
 * Empty values count as unset: `.env` templates and container specs often carry `NAME=`.
 */

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
}
function withDefault<T extends z.ZodType>(schema: T, fallback: z.input<T>) {
  return z.preprocess((v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? fallback : v), schema);
}
const int = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected a whole number between ${min} and ${max}` })
    .int(`expected a whole number between ${min} and ${max}`)
    .min(min, `expected a whole number between ${min} and ${max}`)
    .max(max, `expected a whole number between ${min} and ${max}`);
const uuid = z.string().trim().regex(UUID, 'expected a Genesys id (UUID, 8-4-4-4-12 hex)');
const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'expected an http(s) URL');
const secret = (min: number) =>
  z
    .string()
    .min(min, `expected at least ${min} characters`)
    .superRefine((value, ctx) => {
      const weakness = secretWeakness(value);
      if (weakness !== undefined) ctx.addIssue({ code: 'custom', message: `too weak: ${weakness}; use a long random value (e.g. openssl rand -base64 32)` });
    });

/**
 * Why an inbound secret is too easy to guess, or undefined. A length minimum alone accepted
 * `aaaaaaaaaaaaaaaa`. These checks are deliberately simple (no dictionary): they catch the values
 * people type by hand or leave from a template, not every weak secret. Throttling failed attempts
 * (auth/failure-throttle.ts) does not lock out correct credentials, so the secret's strength is what
 * stops guessing. The message never quotes the value.
 */
export function secretWeakness(value: string): string | undefined {
  const chars = [...value];
  const distinct = new Set(chars).size;
  if (distinct === 1) return 'a single repeated character';
  if (/^<[^>]*>$|^\$\{[^}]*\}$|^\{\{.*\}\}$/.test(value.trim())) return 'a template placeholder, not a secret';
  const alnum = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (WELL_KNOWN_WEAK.test(alnum)) return 'a well-known weak value (a common word or placeholder followed at most by digits)';
  for (let unit = 1; unit <= chars.length / 2; unit++) {
    if (chars.length % unit === 0 && value === value.slice(0, unit).repeat(chars.length / unit)) return 'a short pattern repeated';
  }
  const minDistinct = Math.min(10, Math.max(5, Math.floor(chars.length / 3)));
  if (distinct < minDistinct) return `only ${distinct} distinct characters (expected at least ${minDistinct})`;
  let steps = 0;
  for (let i = 1; i < chars.length; i++) if (Math.abs(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) <= 1) steps++;
  if (steps / (chars.length - 1) >= 0.75) return 'mostly a run of consecutive or repeated characters (an alphabet or digit sequence)';
  // Shannon entropy of the value's own character frequencies, times its length: a rough upper
  // bound of what a guesser must search. 40 bits lets a random 12-character password through.
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / chars.length) * Math.log2(n / chars.length);
  const bits = Math.floor(bitsPerChar * chars.length);
  if (bits < MIN_SECRET_BITS) return `an estimated ${bits} bits of entropy (expected at least ${MIN_SECRET_BITS})`;
  return undefined;
}
const MIN_SECRET_BITS = 40;
/** Lower-cased, letters and digits only: common password bases and template fillers. */
const WELL_KNOWN_WEAK =
  /^(password|passw0rd|p4ssw0rd|secret|changeme|changeit|replaceme|letmein|welcome|admin|administrator|qwerty|qwertyuiop|asdfgh|default|example|placeholder|apikey|yourapikey|yoursecret|yourpassword|test|testing|baton|genesys|iloveyou|trustno1)+[0-9]*$/;

/** Failed-authentication throttling when nothing configures it (library use, the extension). */
export const AUTH_THROTTLE_DEFAULTS = Object.freeze({ maxFailures: 20, windowMs: 60_000 });

/**
 * Time allowed to receive a whole request on top of BATON_DEADLINE_MS. Genesys sends a small body at
 * once and gives up after the action's timeout anyway, so a request still arriving after the deadline
 * plus this margin is a slow (or malicious) client holding a connection: it gets 408.
 */
export const REQUEST_RECEIVE_MARGIN_MS = 2000;

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
/** Express' `trust proxy`, restricted to hop counts and explicit addresses: never `true` (trust anyone). */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): number | string[] => {
    if (/^\d+$/.test(v)) {
      const hops = Number(v);
      if (hops >= 1 && hops <= 10) return hops;
    } else {
      const entries = v.split(',').map((e) => e.trim());
      if (entries.every((e) => PROXY_NAMES.has(e) || isAddressOrCidr(e))) return entries;
    }
    ctx.addIssue({ code: 'custom', message: 'expected a hop count 1–10 or a comma-separated list of addresses, CIDRs, loopback, linklocal or uniquelocal' });
    return z.NEVER;
  });
function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Documentation of every variable: the README's configuration table is generated from this. */
export interface ConfigVariable {
  name: string;
  description: string;
  default?: string;
  secret?: boolean;
}

export const configVariables: readonly ConfigVariable[] = [
  { name: 'GENESYS_REGION', description: 'Genesys Cloud region (`us_east_1`, `eu_west_1`, … or its domain such as `mypurecloud.ie`).' },
  { name: 'GENESYS_CLIENT_ID', description: 'OAuth client-credentials client id. Unset (with the secret) = in-process sandbox org.' },
  { name: 'GENESYS_CLIENT_SECRET', description: 'OAuth client secret.', secret: true },
  { name: 'GENESYS_QUEUE_ID', description: 'Default target queue when a request carries no `queueId`.' },
  {
    name: 'GENESYS_BASE_URL',
    description: 'Explicit non-Genesys base URL serving `/oauth/token` and `/api/v2` (e.g. a standalone sandbox). Operator-only: never taken from request input. Overrides GENESYS_REGION.',
  },
  { name: 'GENESYS_REQUESTS_PER_MINUTE', description: 'Platform API request budget per token (Genesys default 300/min).', default: '300' },
  {
    name: 'GENESYS_MAX_RETRY_AFTER_HOLD_MS',
    description:
      "Longest a 429's `Retry-After` pauses every Platform API call (on every replica, with Redis); a longer one is cut to this and logged as a warning (1000–600000).",
    default: '60000',
  },
  { name: 'BATON_THRESHOLD', description: 'Hand off when intent confidence is below this (0..1).', default: '0.7' },
  {
    name: 'BATON_MASK_TRANSCRIPT',
    description: 'Mask e-mail addresses, card numbers and phone numbers in the transcript written for the agent (a request may override).',
    default: 'true',
  },
  { name: 'BATON_DEFAULT_MODE', description: "`flow` (the flow's Transfer to ACD transfers) or `api` (Baton transfers).", default: 'flow' },
  { name: 'BATON_DEFAULT_PRIORITY', description: 'Queue priority 1–10 when a request carries none.' },
  { name: 'BATON_BOT_FLOW_ID', description: 'Bot flow id for reading intent confidence from bot-flow analytics.' },
  {
    name: 'BATON_BOT_FLOW_LOOKBACK_MINUTES',
    description: "Bot-flow analytics: only sessions completed in the last this many minutes are searched for the conversation's (1–14400).",
    default: '60',
  },
  {
    name: 'BATON_BOT_FLOW_MAX_PAGES',
    description: 'Bot-flow analytics: at most this many pages of sessions (newest first, 250 each) per lookup; not found = intent unknown (1–100).',
    default: '2',
  },
  {
    name: 'BATON_MAX_CALLS_PER_HANDOFF',
    description:
      'Most Platform API calls (retries included) one request may make, so that none can spend the per-token budget every request shares; past it the request fails with rate_budget_exhausted (1–10000).',
    default: '20',
  },
  {
    name: 'BATON_DEADLINE_MS',
    description: "Per-request deadline. Keep it below the data action's timeout (1–60 s) so the bridge answers 504 before Genesys times out.",
    default: '25000',
  },
  { name: 'BATON_BASIC_USER', description: 'Inbound Basic Auth user (Basic Auth credential type). Needs BATON_BASIC_PASSWORD.' },
  {
    name: 'BATON_BASIC_PASSWORD',
    description: 'Inbound Basic Auth password (at least 12 characters; obviously weak values such as one repeated character, a sequence or a template placeholder are refused).',
    secret: true,
  },
  {
    name: 'BATON_API_KEY',
    description: 'Inbound API key, sent as `X-API-Key` (User Defined credential type; at least 16 characters, not obviously weak).',
    secret: true,
  },
  { name: 'BATON_OAUTH_CLIENT_ID', description: "Client id the integration's custom auth action sends to `POST /oauth/token` (User Defined (OAuth))." },
  {
    name: 'BATON_OAUTH_CLIENT_SECRET',
    description: 'Its client secret (at least 16 characters, not obviously weak); also the key material of the token signatures.',
    secret: true,
  },
  { name: 'BATON_OAUTH_TOKEN_TTL_SECONDS', description: 'Lifetime of bearer tokens issued by `POST /oauth/token` (60–86400).', default: '900' },
  { name: 'BATON_MAX_BODY_BYTES', description: 'Largest accepted JSON body; larger ones get 413.', default: '102400' },
  {
    name: 'BATON_MAX_CONNECTIONS',
    description: 'Most TCP connections open at once; further ones are closed as they arrive (counted in `baton_http_connections_dropped_total`).',
    default: '1000',
  },
  {
    name: 'BATON_AUTH_FAILURE_LIMIT',
    description: 'Failed authentications a source address may make per window before its further failures get 429 with Retry-After (correct credentials always pass). 0 = no throttling.',
    default: '20',
  },
  { name: 'BATON_AUTH_FAILURE_WINDOW_SECONDS', description: 'The window of BATON_AUTH_FAILURE_LIMIT (1–3600).', default: '60' },
  {
    name: 'BATON_TRUST_PROXY',
    description:
      'Unset: the source address is the TCP peer and `X-Forwarded-For` is ignored. Behind a load balancer, the number of proxy hops to trust (e.g. `1`) or a comma-separated list of their addresses/CIDRs (`loopback`, `linklocal`, `uniquelocal` allowed).',
  },
  { name: 'BATON_SHUTDOWN_TIMEOUT_MS', description: 'On SIGTERM, how long to wait for in-flight handoffs before closing anyway.', default: '30000' },
  {
    name: 'BATON_KEEP_ALIVE_TIMEOUT_MS',
    description: 'HTTP keep-alive timeout; keep it above your load balancer idle timeout (Genesys reports reused closed connections as 500 Connection reset).',
    default: '65000',
  },
  { name: 'BATON_SANDBOX_LATENCY_MS', description: 'Sandbox mode only: simulated Genesys latency per call.', default: '0' },
  { name: 'BATON_SANDBOX_SEED', description: 'Sandbox mode only: seed of the simulated org (same seed, same ids).' },
  { name: 'PORT', description: 'Listen port (0 = any free port).', default: '3000' },
  { name: 'HOST', description: 'Listen address.', default: '127.0.0.1 in sandbox mode, 0.0.0.0 otherwise' },
  { name: 'LOG_LEVEL', description: 'fatal, error, warn, info, debug, trace or silent.', default: 'info' },
  {
    name: 'REDIS_URL',
    description:
      'Redis for state shared by replicas (idempotency, traces, the Genesys token and its rate budget). Unset = in memory, one replica.',
  },
  { name: 'BATON_REDIS_PREFIX', description: 'Prefix of every Redis key (several deployments on one Redis).', default: 'baton:' },
];

const envSchema = z.object({
  GENESYS_REGION: optional(z.string().trim()),
  GENESYS_CLIENT_ID: optional(z.string().trim()),
  GENESYS_CLIENT_SECRET: optional(z.string()),
  GENESYS_QUEUE_ID: optional(uuid),
  GENESYS_BASE_URL: optional(httpUrl),
  GENESYS_REQUESTS_PER_MINUTE: withDefault(int(1, 100000), '300'),
  GENESYS_MAX_RETRY_AFTER_HOLD_MS: withDefault(int(1000, 600000), '60000'),
  BATON_MASK_TRANSCRIPT: withDefault(z.enum(['true', 'false'], { error: 'expected true or false' }), 'true'),
  BATON_THRESHOLD: withDefault(
    z.coerce.number({ error: 'expected a number between 0 and 1' }).min(0, 'expected a number between 0 and 1').max(1, 'expected a number between 0 and 1'),
    '0.7',
  ),
  BATON_DEFAULT_MODE: withDefault(z.enum(['flow', 'api'], { error: 'expected flow or api' }), 'flow'),
  BATON_DEFAULT_PRIORITY: optional(int(1, 10)),
  BATON_BOT_FLOW_ID: optional(uuid),
  BATON_BOT_FLOW_LOOKBACK_MINUTES: withDefault(int(1, 14400), '60'),
  BATON_BOT_FLOW_MAX_PAGES: withDefault(int(1, 100), '2'),
  BATON_MAX_CALLS_PER_HANDOFF: withDefault(int(1, 10000), '20'),
  BATON_DEADLINE_MS: withDefault(int(500, 58000), '25000'),
  BATON_BASIC_USER: optional(z.string().trim().regex(/^[^:]+$/, 'expected a user name without ":"')),
  BATON_BASIC_PASSWORD: optional(secret(12)),
  BATON_API_KEY: optional(secret(16)),
  BATON_OAUTH_CLIENT_ID: optional(z.string().trim().regex(/^[^:]+$/, 'expected a client id without ":"')),
  BATON_OAUTH_CLIENT_SECRET: optional(secret(16)),
  BATON_OAUTH_TOKEN_TTL_SECONDS: withDefault(int(60, 86400), '900'),
  BATON_MAX_BODY_BYTES: withDefault(int(1024, 10 * 1024 * 1024), '102400'),
  BATON_MAX_CONNECTIONS: withDefault(int(1, 1_000_000), '1000'),
  BATON_AUTH_FAILURE_LIMIT: withDefault(int(0, 100_000), String(AUTH_THROTTLE_DEFAULTS.maxFailures)),
  BATON_AUTH_FAILURE_WINDOW_SECONDS: withDefault(int(1, 3600), String(AUTH_THROTTLE_DEFAULTS.windowMs / 1000)),
  BATON_TRUST_PROXY: optional(trustProxy),
  BATON_SHUTDOWN_TIMEOUT_MS: withDefault(int(0, 600000), '30000'),
  BATON_KEEP_ALIVE_TIMEOUT_MS: withDefault(int(1000, 600000), '65000'),
  BATON_SANDBOX_LATENCY_MS: withDefault(int(0, 60000), '0'),
  BATON_SANDBOX_SEED: optional(int(0, 2147483647)),
  PORT: withDefault(int(0, 65535), '3000'),
  HOST: optional(z.string().trim()),
  LOG_LEVEL: withDefault(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected fatal, error, warn, info, debug, trace or silent' }),
    'info',
  ),
  REDIS_URL: optional(
    z
      .string()
      .trim()
      .refine((v) => /^rediss?:\/\//.test(v), 'expected a redis:// or rediss:// URL'),
  ),
  BATON_REDIS_PREFIX: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'expected 1–64 letters, digits or : _ . -'),
  ),
});

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Inbound credentials: any subset may be enabled; at least one is required to serve. */
export interface InboundAuthConfig {
  basic?: { user: string; password: string };
  apiKey?: string;
  oauth?: { clientId: string; clientSecret: string; tokenTtlSeconds: number };
}

export interface BridgeConfig {
  genesys: {
    /** `org`: a configured Genesys org (or explicit base URL); `sandbox`: the in-process simulated org. */
    mode: 'org' | 'sandbox';
    region?: string;
    baseUrl?: string;
    clientId?: string;
    clientSecret?: string;
    requestsPerMinute: number;
    /** Longest hold one 429's Retry-After imposes on every call (GENESYS_MAX_RETRY_AFTER_HOLD_MS). */
    maxRetryAfterHoldMs: number;
  };
  handoff: {
    defaultQueueId?: string;
    threshold: number;
    maskTranscript: boolean;
    defaultMode: 'flow' | 'api';
    defaultPriority?: number;
    botFlowId?: string;
    botFlowLookbackMinutes: number;
    botFlowMaxPages: number;
    maxCallsPerHandoff: number;
  };
  deadlineMs: number;
  auth: InboundAuthConfig;
  /** Failed authentications per source address before 429; maxFailures 0 = off. */
  authThrottle: { maxFailures: number; windowMs: number };
  server: {
    port: number;
    host: string;
    maxBodyBytes: number;
    shutdownTimeoutMs: number;
    keepAliveTimeoutMs: number;
    /** Longest a request may take to arrive (headers and body): BATON_DEADLINE_MS + REQUEST_RECEIVE_MARGIN_MS. */
    requestTimeoutMs: number;
    maxConnections: number;
    /** Express `trust proxy`: unset = the TCP peer is the source address. */
    trustProxy?: number | string[];
  };
  sandbox: { latencyMs: number; seed?: number };
  logLevel: LogLevel;
  redisUrl?: string;
  redisKeyPrefix?: string;
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
export function loadConfig(env: Readonly<Record<string, string | undefined>>): BridgeConfig {
  const parsed = envSchema.safeParse(pickKnown(env));
  const issues: ConfigIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ variable: String(issue.path[0] ?? '(environment)'), problem: issue.message });
    }
    throw new ConfigError(issues);
  }
  const e = parsed.data;

  pairCheck(issues, 'GENESYS_CLIENT_ID', e.GENESYS_CLIENT_ID, 'GENESYS_CLIENT_SECRET', e.GENESYS_CLIENT_SECRET);
  pairCheck(issues, 'BATON_BASIC_USER', e.BATON_BASIC_USER, 'BATON_BASIC_PASSWORD', e.BATON_BASIC_PASSWORD);
  pairCheck(issues, 'BATON_OAUTH_CLIENT_ID', e.BATON_OAUTH_CLIENT_ID, 'BATON_OAUTH_CLIENT_SECRET', e.BATON_OAUTH_CLIENT_SECRET);

  const hasGenesysCredentials = e.GENESYS_CLIENT_ID !== undefined && e.GENESYS_CLIENT_SECRET !== undefined;
  if (hasGenesysCredentials && e.GENESYS_REGION === undefined && e.GENESYS_BASE_URL === undefined) {
    issues.push({ variable: 'GENESYS_REGION', problem: 'required with GENESYS_CLIENT_ID (or set GENESYS_BASE_URL)' });
  }
  if (e.GENESYS_REGION !== undefined && e.GENESYS_BASE_URL === undefined && findRegion(e.GENESYS_REGION) === undefined) {
    issues.push({ variable: 'GENESYS_REGION', problem: `unknown region "${e.GENESYS_REGION.slice(0, 64)}": expected e.g. us_east_1, eu_west_1 or a domain such as mypurecloud.ie` });
  }
  if (!hasGenesysCredentials && e.GENESYS_CLIENT_ID === undefined && e.GENESYS_CLIENT_SECRET === undefined && e.GENESYS_BASE_URL !== undefined) {
    issues.push({ variable: 'GENESYS_CLIENT_ID', problem: 'required with GENESYS_BASE_URL (with GENESYS_CLIENT_SECRET)' });
  }
  if (e.BATON_SHUTDOWN_TIMEOUT_MS > 0 && e.BATON_SHUTDOWN_TIMEOUT_MS < e.BATON_DEADLINE_MS) {
    issues.push({
      variable: 'BATON_SHUTDOWN_TIMEOUT_MS',
      problem: `expected at least BATON_DEADLINE_MS (${e.BATON_DEADLINE_MS}), so in-flight handoffs can finish on SIGTERM`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const mode = hasGenesysCredentials ? 'org' : 'sandbox';
  const auth: InboundAuthConfig = {};
  if (e.BATON_BASIC_USER !== undefined && e.BATON_BASIC_PASSWORD !== undefined) {
    auth.basic = { user: e.BATON_BASIC_USER, password: e.BATON_BASIC_PASSWORD };
  }
  if (e.BATON_API_KEY !== undefined) auth.apiKey = e.BATON_API_KEY;
  if (e.BATON_OAUTH_CLIENT_ID !== undefined && e.BATON_OAUTH_CLIENT_SECRET !== undefined) {
    auth.oauth = { clientId: e.BATON_OAUTH_CLIENT_ID, clientSecret: e.BATON_OAUTH_CLIENT_SECRET, tokenTtlSeconds: e.BATON_OAUTH_TOKEN_TTL_SECONDS };
  }

  const config: BridgeConfig = {
    genesys: {
      mode,
      ...(e.GENESYS_REGION !== undefined && { region: e.GENESYS_REGION }),
      ...(e.GENESYS_BASE_URL !== undefined && { baseUrl: e.GENESYS_BASE_URL }),
      ...(e.GENESYS_CLIENT_ID !== undefined && { clientId: e.GENESYS_CLIENT_ID }),
      ...(e.GENESYS_CLIENT_SECRET !== undefined && { clientSecret: e.GENESYS_CLIENT_SECRET }),
      requestsPerMinute: e.GENESYS_REQUESTS_PER_MINUTE,
      maxRetryAfterHoldMs: e.GENESYS_MAX_RETRY_AFTER_HOLD_MS,
    },
    handoff: {
      threshold: e.BATON_THRESHOLD,
      maskTranscript: e.BATON_MASK_TRANSCRIPT === 'true',
      defaultMode: e.BATON_DEFAULT_MODE,
      botFlowLookbackMinutes: e.BATON_BOT_FLOW_LOOKBACK_MINUTES,
      botFlowMaxPages: e.BATON_BOT_FLOW_MAX_PAGES,
      maxCallsPerHandoff: e.BATON_MAX_CALLS_PER_HANDOFF,
      ...(e.GENESYS_QUEUE_ID !== undefined && { defaultQueueId: e.GENESYS_QUEUE_ID }),
      ...(e.BATON_DEFAULT_PRIORITY !== undefined && { defaultPriority: e.BATON_DEFAULT_PRIORITY }),
      ...(e.BATON_BOT_FLOW_ID !== undefined && { botFlowId: e.BATON_BOT_FLOW_ID }),
    },
    deadlineMs: e.BATON_DEADLINE_MS,
    auth,
    authThrottle: { maxFailures: e.BATON_AUTH_FAILURE_LIMIT, windowMs: e.BATON_AUTH_FAILURE_WINDOW_SECONDS * 1000 },
    server: {
      port: e.PORT,
      // The sandbox has nothing real behind it, but a dev machine's bridge still has no business on the LAN.
      host: e.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
      maxBodyBytes: e.BATON_MAX_BODY_BYTES,
      shutdownTimeoutMs: e.BATON_SHUTDOWN_TIMEOUT_MS,
      keepAliveTimeoutMs: e.BATON_KEEP_ALIVE_TIMEOUT_MS,
      requestTimeoutMs: e.BATON_DEADLINE_MS + REQUEST_RECEIVE_MARGIN_MS,
      maxConnections: e.BATON_MAX_CONNECTIONS,
      ...(e.BATON_TRUST_PROXY !== undefined && { trustProxy: e.BATON_TRUST_PROXY }),
    },
    sandbox: { latencyMs: e.BATON_SANDBOX_LATENCY_MS, ...(e.BATON_SANDBOX_SEED !== undefined && { seed: e.BATON_SANDBOX_SEED }) },
    logLevel: e.LOG_LEVEL,
    ...(e.REDIS_URL !== undefined && { redisUrl: e.REDIS_URL }),
    ...(e.BATON_REDIS_PREFIX !== undefined && { redisKeyPrefix: e.BATON_REDIS_PREFIX }),
  };
  return deepFreeze(config);
}

/** The names of every variable the schema reads (the README table must document each one). */
export function schemaVariableNames(): string[] {
  return Object.keys(envSchema.shape);
}

/** Whether any inbound credential type is enabled. */
export function hasInboundAuth(auth: InboundAuthConfig): boolean {
  return auth.basic !== undefined || auth.apiKey !== undefined || auth.oauth !== undefined;
}

/** Every secret value in the configuration, for log redaction (the Redis password in REDIS_URL too). */
export function configSecrets(config: BridgeConfig): string[] {
  return [
    config.genesys.clientSecret,
    config.auth.basic?.password,
    config.auth.apiKey,
    config.auth.oauth?.clientSecret,
    redisPassword(config.redisUrl),
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

function redisPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** Which inbound credential types are enabled, by name (for the start-up log). */
export function enabledAuthModes(auth: InboundAuthConfig): string[] {
  return [auth.basic && 'basic', auth.apiKey && 'apikey', auth.oauth && 'oauth'].filter((m): m is string => typeof m === 'string');
}

function pickKnown(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) out[key] = env[key];
  return out;
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
