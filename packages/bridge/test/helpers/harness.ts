import { createSandbox, type Sandbox } from '@baton/sandbox';
import { createBridge, type Bridge, type BridgeDeps } from '../../src/app.js';
import { loadConfig, configSecrets, type BridgeConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createRuntime, type BridgeRuntime } from '../../src/runtime.js';
import { startServer, type RunningServer } from '../../src/server.js';

/** Test credentials (long enough for the config's minimums). */
export const CREDS = {
  basicUser: 'genesys-integration',
  basicPassword: 'correct-horse-battery-staple',
  apiKey: 'test-api-key-0123456789abcdef',
  oauthClientId: 'baton-oauth-client',
  oauthClientSecret: 'oauth-client-secret-0123456789',
};

export const ALL_AUTH_ENV = {
  BATON_BASIC_USER: CREDS.basicUser,
  BATON_BASIC_PASSWORD: CREDS.basicPassword,
  BATON_API_KEY: CREDS.apiKey,
  BATON_OAUTH_CLIENT_ID: CREDS.oauthClientId,
  BATON_OAUTH_CLIENT_SECRET: CREDS.oauthClientSecret,
};

/** A pino destination that keeps every line, for asserting on logs. */
export function createLogCapture() {
  const chunks: string[] = [];
  return {
    stream: { write: (s: string) => void chunks.push(s) },
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export interface Harness {
  url: string;
  config: BridgeConfig;
  runtime: BridgeRuntime;
  sandbox: Sandbox;
  bridge: Bridge;
  server: RunningServer;
  logs: ReturnType<typeof createLogCapture>;
  /** Every secret in play: the assertions' blacklist for logs. */
  secrets: () => string[];
  close(): Promise<void>;
}

/**
 * The real bridge (runtime, core's handoff service, HTTP on 127.0.0.1 port 0) against an in-process
 * sandbox org, with logs captured.
 */
export async function startHarness(
  options: {
    env?: Record<string, string>;
    sandbox?: Parameters<typeof createSandbox>[0];
    /** Org mode: a sandbox started by the test, reached through GENESYS_BASE_URL (env must carry the client). */
    external?: Sandbox;
    steps?: BridgeDeps['steps'];
    clock?: BridgeDeps['clock'];
  } = {},
): Promise<Harness> {
  const config = loadConfig({
    ...ALL_AUTH_ENV,
    LOG_LEVEL: 'debug',
    ...(options.external && { GENESYS_BASE_URL: options.external.url }),
    ...options.env,
  });
  const logs = createLogCapture();
  const extra: string[] = [];
  const secrets = () => [...configSecrets(config), ...extra];
  const logger = createLogger({ level: config.logLevel, destination: logs.stream, secrets });
  const metrics = createMetrics({ defaultMetrics: false });
  const runtime = await createRuntime(config, {
    logger,
    onCall: (call) => metrics.recordUpstreamCall(call),
    startSandbox: (o) => createSandbox({ ...o, ...options.sandbox }),
  });
  extra.push(...runtime.secrets);
  if (options.external) extra.push(options.external.clientSecret);
  const sandbox = (runtime.sandbox ?? options.external)!;
  const bridge = createBridge({
    config: {
      deadlineMs: config.deadlineMs,
      maxBodyBytes: config.server.maxBodyBytes,
      auth: config.auth,
      authThrottle: config.authThrottle,
      ...(config.server.trustProxy !== undefined && { trustProxy: config.server.trustProxy }),
    },
    steps: options.steps ?? runtime.steps,
    genesys: runtime.genesys,
    logger,
    metrics,
    secrets,
    ...(options.clock && { clock: options.clock }),
    // As serve.ts: /readyz reports the shared state store too.
    ...(runtime.stores.check && { readinessChecks: [{ name: 'state', check: () => runtime.stores.check!() }] }),
  });
  const server = await startServer({
    app: bridge.app,
    port: 0,
    host: '127.0.0.1',
    logger,
    requestTimeoutMs: config.server.requestTimeoutMs,
    maxConnections: config.server.maxConnections,
    onConnectionDropped: () => metrics.recordConnectionDropped(),
  });
  return {
    url: server.url,
    config,
    runtime,
    sandbox,
    bridge,
    server,
    logs,
    secrets,
    async close() {
      await server.shutdown({ inFlight: bridge.inFlight, timeoutMs: 5000 });
      await runtime.close();
    },
  };
}
