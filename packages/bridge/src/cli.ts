#!/usr/bin/env node
/**
 * The `baton` executable. The one place that touches the process: it reads `process.env` (with
 * `.env` from the working directory merged under it, loaded explicitly here and never at import
 * time elsewhere), writes to stdout/stderr, installs the SIGTERM/SIGINT handlers and sets the exit
 * code.
 */
import { config as loadDotenv } from 'dotenv';
import { runCli } from './commands/program.js';
import { STOP_SIGNAL_EXIT_CODE, type StopSignal } from './commands/io.js';
import type { ServeHandle } from './commands/serve.js';

const env: Record<string, string | undefined> = { ...process.env };
// Real environment variables win over .env (dotenv's default: no override).
loadDotenv({ processEnv: env as Record<string, string>, quiet: true });

const io = {
  env,
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
  cwd: process.cwd(),
  stdin: process.stdin,
  onStopSignal,
};

/**
 * A command's own stop on SIGINT/SIGTERM (`baton test` cancels, reports what ran, then exits): the
 * listeners exist only while the command is subscribed. A second signal while it stops means "now".
 */
function onStopSignal(handler: (signal: StopSignal) => void): () => void {
  let stopping = false;
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const listener = () => {
      if (stopping) process.exit(STOP_SIGNAL_EXIT_CODE[signal]);
      stopping = true;
      handler(signal);
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

function onServing(handle: ServeHandle): void {
  const stop = (signal: string) => {
    // A second signal while draining means "now".
    process.once(signal, () => process.exit(1));
    handle.stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        handle.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

const code = await runCli(process.argv.slice(2), io, { onServing });
if (code !== 0) process.exitCode = code;
