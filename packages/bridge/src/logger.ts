import { redact, redactText } from '@baton/core';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: LogLevel;
  /**
   * Secret values to scrub from every line wherever they appear (client secret, inbound password,
   * API key, …). A function, so secrets known only after the logger exists (the sandbox's, a dev
   * key) are still covered.
   */
  secrets?: readonly string[] | (() => readonly string[]);
  /** Where lines go (default stdout). Tests inject a stream and read what was written. */
  destination?: DestinationStream;
}

/**
 * Headers that carry credentials, wherever a request or headers object ends up in a line. The
 * bridge never logs raw requests, so these are a second net; core's `redact` (secret-named keys,
 * `Bearer …`/`Basic …` in text, and the literal secret values) is the first.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
];

/** Structured JSON logs (pino), one object per line, secrets redacted before they are written. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = typeof options.secrets === 'function' ? options.secrets : () => (options.secrets as readonly string[] | undefined) ?? [];
  return pino(
    {
      level: options.level,
      base: { service: 'baton-bridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redact(object, secrets()) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? redactText(a, secrets()) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
