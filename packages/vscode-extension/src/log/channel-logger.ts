import { createLogger, type Logger } from '@baton/bridge';

export type { Logger } from '@baton/bridge';

/** The levels the extension writes at (a subset of pino's). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ChannelLoggerOptions {
  /** Receives each JSON line, newline included (the output channel's `append`). */
  append: (text: string) => void;
  /** Secret values to scrub from every line; read at each write, so secrets known later are covered. */
  secrets: () => readonly string[];
  level?: LogLevel;
}

/**
 * The bridge's own logger (pino JSON lines, `level` label, ISO `time`, `service: "baton-bridge"`,
 * secrets redacted by core's `redact`) writing to the output channel instead of stdout, so the
 * in-process bridge and the extension write identical lines through one redaction path. The root
 * logger is what the in-process bridge gets; the extension's own lines carry `component: "vscode"`.
 */
export function createChannelLogger(options: ChannelLoggerOptions): { root: Logger; extension: Logger } {
  const root = createLogger({
    level: options.level ?? 'info',
    secrets: options.secrets,
    // pino calls write() synchronously with one serialised line.
    destination: { write: (line: string) => options.append(line) },
  });
  return { root, extension: root.child({ component: 'vscode' }) };
}
