import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { systemClock } from '@baton/core';
import type { DestinationStream } from 'pino';
import { createBridge, type Bridge } from '../app.js';
import { configSecrets, enabledAuthModes, hasInboundAuth, loadConfig, type BridgeConfig, type InboundAuthConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import type { AttachedConsole } from '../console-wiring.js';
import type { SandboxLoop } from '../conversation-loop.js';
import { createRuntime, type BridgeRuntime } from '../runtime.js';
import { startServer, type RunningServer } from '../server.js';
import type { CliIo } from './io.js';
import { sandboxBanner } from './sandbox-banner.js';

export interface ServeOptions {
  /** Where JSON log lines go (default stdout). */
  logDestination?: DestinationStream;
  /** Seam for tests: overrides parts of the runtime construction. */
  runtimeOptions?: Partial<Parameters<typeof createRuntime>[1]>;
  /**
   * Sandbox mode: run the whole conversation (the exported flow, the sandbox's bot and agents, this
   * bridge's data actions) on the sandbox's Guest API. Default true; tests that play the bot
   * themselves turn it off.
   */
  conversationLoop?: boolean;
  /** Print the sandbox banner (default true). */
  banner?: boolean;
  /** The conversation scenarios the sandbox console offers to replay (default `<cwd>/examples/conversations`). */
  consoleScenarioDir?: string;
}

export interface ServeHandle {
  url: string;
  config: BridgeConfig;
  runtime: BridgeRuntime;
  bridge: Bridge;
  server: RunningServer;
  logger: Logger;
  /** The inbound auth in force (with a generated dev key in sandbox mode). */
  auth: InboundAuthConfig;
  /** Sandbox mode: the conversation loop (flow, bot, agents) on the sandbox's Guest API. */
  loop?: SandboxLoop;
  /** Graceful stop: stop accepting, finish in-flight handoffs, close. Idempotent. */
  stop(reason?: string): Promise<{ drained: boolean }>;
}

/**
 * `baton serve`: configuration → runtime (real org or in-process sandbox) → bridge → listening
 * server. In sandbox mode with no inbound credentials configured, a random API key is generated
 * for this run only, so even the dev bridge is never open.
 */
export async function serve(io: CliIo, options: ServeOptions = {}): Promise<ServeHandle> {
  const config = loadConfig(io.env);
  let auth: InboundAuthConfig = config.auth;
  let devApiKey: string | undefined;
  if (!hasInboundAuth(auth) && config.genesys.mode === 'sandbox') {
    devApiKey = `dev-${randomBytes(24).toString('base64url')}`;
    auth = { apiKey: devApiKey };
  }

  // Asked for on every log line and error answer: built once here (walking the config table per
  // line cost ~3% of the bridge's CPU under load), extended once the runtime knows its own.
  let allSecrets: readonly string[] = [...configSecrets(config), ...(devApiKey ? [devApiKey] : [])];
  const secrets = () => allSecrets;
  const logger = createLogger({ level: config.logLevel, secrets, ...(options.logDestination && { destination: options.logDestination }) });
  const metrics = createMetrics();
  const runtime = await createRuntime(config, { logger, onCall: (call) => metrics.recordUpstreamCall(call), ...options.runtimeOptions });
  allSecrets = [...allSecrets, ...runtime.secrets];

  let bridge: Bridge;
  let server: RunningServer;
  try {
    bridge = createBridge({
      config: {
        deadlineMs: config.deadlineMs,
        maxBodyBytes: config.server.maxBodyBytes,
        auth,
        authThrottle: config.authThrottle,
        ...(config.server.trustProxy !== undefined && { trustProxy: config.server.trustProxy }),
      },
      steps: runtime.steps,
      genesys: runtime.genesys,
      logger,
      metrics,
      secrets,
      // /readyz reports the shared state store too: without Redis a handoff would fail anyway.
      readinessChecks: runtime.stores.check ? [{ name: 'state', check: () => runtime.stores.check!() }] : [],
    });
    server = await startServer({
      app: bridge.app,
      port: config.server.port,
      host: config.server.host,
      logger,
      keepAliveTimeoutMs: config.server.keepAliveTimeoutMs,
      requestTimeoutMs: config.server.requestTimeoutMs,
      maxConnections: config.server.maxConnections,
      onConnectionDropped: () => metrics.recordConnectionDropped(),
    });
  } catch (error) {
    await runtime.close();
    throw error;
  }

  // The flow calls this bridge's data actions with the integration's API key (User Defined).
  let loop: SandboxLoop | undefined;
  let consoleView: AttachedConsole | undefined;
  if (runtime.sandbox && options.conversationLoop !== false && auth.apiKey) {
    try {
      // Loaded only in sandbox mode: the flow runtime and the data-action tooling stay out of a production bridge.
      const { startSandboxLoop } = await import('../conversation-loop.js');
      const { attachConsole, loadConsoleScenarios } = await import('../console-wiring.js');
      const clock = options.runtimeOptions?.clock ?? systemClock;
      consoleView = attachConsole({
        sandbox: runtime.sandbox,
        traces: runtime.stores.traces,
        clock,
        scenarios: await loadConsoleScenarios(options.consoleScenarioDir ?? path.join(io.cwd, 'examples', 'conversations'), logger),
      });
      loop = await startSandboxLoop({
        sandbox: runtime.sandbox,
        bridgeUrl: server.url,
        apiKey: auth.apiKey,
        clock,
        onTraceEntry: consoleView.onTraceEntry,
        onRunEnd: consoleView.onRunEnd,
        onError: (conversationId, error) => logger.warn({ conversationId, err: error }, 'the sandbox flow failed'),
      });
    } catch (error) {
      consoleView?.detach();
      await server.shutdown({ inFlight: bridge.inFlight, timeoutMs: 1000 });
      await runtime.close();
      throw error;
    }
  }
  if (runtime.sandbox && options.banner !== false) {
    io.stdout(sandboxBanner({ url: server.url, sandbox: runtime.sandbox, auth, ...(devApiKey && { devApiKey }), ...(loop && { loop }) }));
  }
  logger.info(
    {
      url: server.url,
      genesys: runtime.mode === 'sandbox' ? 'in-process sandbox org' : runtime.genesys.target.region ?? 'GENESYS_BASE_URL',
      auth: enabledAuthModes(auth),
      deadlineMs: config.deadlineMs,
      state: runtime.stores.kind,
    },
    'baton bridge listening',
  );

  let stopping: Promise<{ drained: boolean }> | undefined;
  const handle: ServeHandle = {
    url: server.url,
    config,
    runtime,
    bridge,
    server,
    logger,
    auth,
    ...(loop && { loop }),
    stop(reason = 'stop') {
      stopping ??= (async () => {
        logger.info({ reason, inFlight: bridge.inFlight.size }, 'shutting down: no new connections, finishing in-flight work');
        loop?.close();
        consoleView?.detach();
        const result = await server.shutdown({
          inFlight: bridge.inFlight,
          timeoutMs: config.server.shutdownTimeoutMs,
          beforeClose: () => bridge.beginShutdown(),
        });
        await runtime.close();
        logger.info({ drained: result.drained }, 'baton bridge stopped');
        return result;
      })();
      return stopping;
    },
  };
  return handle;
}
