/**
 * @baton/bridge: the Express server Genesys Cloud Architect calls through Web Services Data
 * Actions, and the `baton` CLI (src/cli.ts, not exported: it is the executable).
 */
export { createBridge, type Bridge, type BridgeAppConfig, type BridgeDeps } from './app.js';
export {
  ConfigError,
  configSecrets,
  configVariables,
  enabledAuthModes,
  hasInboundAuth,
  loadConfig,
  configReadmeTable,
  configTable,
  type BridgeConfig,
  type ConfigIssue,
  type ConfigVariable,
  type InboundAuthConfig,
  type LogLevel,
} from './config.js';
export { createRuntime, type BridgeRuntime, type RuntimeOptions } from './runtime.js';
export { createStateStores, type StateStores } from './state.js';
export type { GenesysClientIdentity } from './redis/index.js';
export { startServer, type RunningServer, type StartServerOptions } from './server.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { createMetrics, type BridgeMetrics, type MetricsOptions } from './metrics.js';
export { buildOpenApiDocument, type OpenApiOptions } from './openapi.js';
export { computeDeadlines, raceDeadline, type RequestDeadlines } from './deadline.js';
export { systemClock, type Clock } from './clock.js';
export { createInFlight, type InFlight } from './in-flight.js';
export { mapError, type ErrorBody } from './errors.js';
export { HttpError, type HttpErrorCode } from './http-errors.js';
export { createBearerTokenIssuer, type BearerTokenIssuer, type IssuedToken } from './auth/bearer-token.js';
export { createAuthenticator, type AuthMode, type Authenticator } from './auth/authenticate.js';
export type { HandoffSteps, BridgeStepContext } from './handoff-steps.js';
export { serve, type ServeHandle, type ServeOptions } from './commands/serve.js';
export { createProgram, runCli, type ProgramHooks } from './commands/program.js';
export type { CliIo } from './commands/io.js';
