import { randomBytes } from 'node:crypto';
import { createBridge, createMetrics, createRuntime, loadConfig, startServer, type Logger } from '@baton/bridge';
import type { HandoffTrace } from '@baton/core';
import type { Sandbox } from '@baton/sandbox';
import type { BridgeEndpoint } from './org-backend.js';

export interface InProcessBridge {
  endpoint: BridgeEndpoint;
  /** The dev API key, for redaction. It lives only in this process's memory. */
  secrets: readonly string[];
  /** The bridge's handoff traces of a conversation, newest first (redacted when they were recorded). */
  traces(conversationId: string): Promise<HandoffTrace[]>;
  close(): Promise<void>;
}

/**
 * VS Code gives `deactivate()` about five seconds; a data action still running after this is cut
 * off rather than holding the window open (the bridge's own default, 30 s, is for SIGTERM).
 */
const CLOSE_TIMEOUT_MS = 3000;

/**
 * A bridge in the extension host for Test Data Action on the Sandbox org, wired the way
 * `baton serve` wires it (packages/bridge/src/commands/serve.ts): loadConfig → createRuntime →
 * createBridge → startServer, on 127.0.0.1 port 0, behind a random API key generated for this run.
 * The runtime's `startSandbox` seam is given the extension's running sandbox (with a no-op close:
 * the backend owns it), so the data actions see the same conversations as Run Handoff.
 */
export async function startSandboxBridge(sandbox: Sandbox, logger: Logger): Promise<InProcessBridge> {
  // A fixed environment, never process.env: the extension host's environment is not the bridge's config.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1' });
  const apiKey = `dev-${randomBytes(24).toString('base64url')}`;
  const secrets = [apiKey, sandbox.clientSecret];
  // No process metrics: in the extension host they would describe VS Code's process.
  const metrics = createMetrics({ defaultMetrics: false });
  const runtime = await createRuntime(config, {
    logger,
    onCall: (call) => metrics.recordUpstreamCall(call),
    startSandbox: async () => ({ ...sandbox, close: async () => {} }),
  });
  try {
    const bridge = createBridge({
      config: { deadlineMs: config.deadlineMs, maxBodyBytes: config.server.maxBodyBytes, auth: { apiKey } },
      steps: runtime.steps,
      genesys: runtime.genesys,
      logger,
      metrics,
      secrets: () => secrets,
    });
    const server = await startServer({
      app: bridge.app,
      port: config.server.port,
      host: config.server.host,
      logger,
      keepAliveTimeoutMs: config.server.keepAliveTimeoutMs,
    });
    logger.info({ url: server.url, genesys: 'extension sandbox org', auth: ['apiKey'], deadlineMs: config.deadlineMs }, 'baton bridge listening');
    let closing: Promise<void> | undefined;
    return {
      endpoint: { url: server.url, auth: { apiKey } },
      secrets,
      traces: (conversationId) => runtime.stores.traces.list({ conversationId }),
      close() {
        closing ??= (async () => {
          const { drained } = await server.shutdown({ inFlight: bridge.inFlight, timeoutMs: CLOSE_TIMEOUT_MS, beforeClose: () => bridge.beginShutdown() });
          await runtime.close();
          logger.info({ drained }, 'baton bridge stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
