/**
 * The output channel writes the lines the bridge writes: pino JSON with the level as a label, an
 * ISO time and a `service` field (see packages/bridge/src/logger.ts), so one grep or log tool
 * works on both. Values are redacted by the caller.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export function formatLogLine(level: LogLevel, msg: string, fields: Record<string, unknown>, now: number): string {
  return JSON.stringify({ level, time: new Date(now).toISOString(), service: 'baton-vscode', ...fields, msg });
}
