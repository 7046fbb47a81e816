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

type StdoutDestination = ReturnType<typeof pino.destination>;

/**
 * Stdout destinations to flush synchronously when the process exits. pino registers its own exit
 * flush only for `sync: false` destinations; ours are synchronous (see createLogger), so this does
 * it, with one `exit` listener for every logger and weak references so a dropped logger is freed.
 */
const flushOnExit = new Set<WeakRef<StdoutDestination>>();
function flushStdoutOnExit(destination: StdoutDestination): void {
  if (flushOnExit.size === 0) {
    process.once('exit', () => {
      for (const ref of flushOnExit) {
        try {
          ref.deref()?.flushSync();
        } catch {
          // Destroyed, or stdout already gone: nothing more can be written at exit.
        }
      }
    });
  }
  for (const ref of flushOnExit) if (ref.deref() === undefined) flushOnExit.delete(ref);
  flushOnExit.add(new WeakRef(destination));
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
  // Batched: a synchronous write(2) per request line was ~4% of the bridge's CPU under load, and
  // one asynchronous write per line still ~4%. Lines collect up to 4 KB and leave in one write;
  // a line never waits more than FLUSH_AFTER_MS for the fd (the timer is armed by the first line
  // after a write). The batch write is synchronous: with `sync: false`, pino's on-exit flush
  // wrote the last lines while an earlier batch was still in the thread pool, so lines logged
  // just before process.exit could land before the ones logged earlier (seen in CI). One
  // write(2) per 4 KB costs what the asynchronous one did, and keeps the order; the lines still
  // buffered at exit are written by flushStdoutOnExit.
  const stdout = options.destination ? undefined : pino.destination({ dest: 1, sync: true, minLength: 4096 });
  if (stdout) flushStdoutOnExit(stdout);
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
