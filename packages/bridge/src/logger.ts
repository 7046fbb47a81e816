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

/** Longest a log line waits in the stdout buffer before it is written. */
export const FLUSH_AFTER_MS = 100;

/**
 * Structured JSON logs (pino), one object per line, secrets redacted before they are written.
 * The log's redaction edge is here, once per line: core's `redact` (secret-named keys such as
 * `authorization`, `x-api-key` and `cookie` at any depth, `Bearer …`/`Basic …` and secret-named
 * parameters in text, and the literal secret values) over the line's fields, its bindings and its
 * message. No second, path-based pass: the secret-named keys already cover every header path.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = typeof options.secrets === 'function' ? options.secrets : () => (options.secrets as readonly string[] | undefined) ?? [];
  // Asynchronous and batched: a synchronous write(2) per request line was ~4% of the bridge's CPU
  // under load, and one asynchronous write per line still ~4%. Lines collect up to 4 KB, and a
  // line never waits more than FLUSH_AFTER_MS for the fd (the timer is armed by the first line
  // after a write). pino flushes what is buffered on exit (its on-exit hook for `sync: false`
  // destinations), so a fatal line before process.exit is still written.
  const stdout = options.destination ? undefined : pino.destination({ dest: 1, sync: false, minLength: 4096 });
  let flushTimer: NodeJS.Timeout | undefined;
  const armFlush = (line: string): string => {
    if (stdout && flushTimer === undefined) {
      flushTimer = setTimeout(() => {
        flushTimer = undefined;
        stdout.flush();
      }, FLUSH_AFTER_MS);
      flushTimer.unref();
    }
    return line;
  };
  return pino(
    {
      level: options.level,
      base: { service: 'baton-bridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redact(bindings, { secrets: secrets() }) as Record<string, unknown>,
        log: (object) => redact(object, { secrets: secrets() }) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? redactText(a, { secrets: secrets() }) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
        streamWrite: armFlush,
      },
    },
    options.destination ?? stdout!,
  );
}
