/** What a command may touch of the outside world: passed in, so tests run commands in-process. */
export interface CliIo {
  /** The environment, `.env` already merged in by cli.ts. */
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** What the user types (`baton chat` reads it line by line); absent where no command needs it. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /**
   * Subscribes `handler` to the user's interrupt (Ctrl-C: SIGINT) and to SIGTERM while a command
   * runs; returns the unsubscribe. cli.ts wires it to the process (only while subscribed, so a
   * command that does not ask keeps Node's default: the process ends); tests pass their own.
   */
  onStopSignal?: (handler: (signal: StopSignal) => void) => () => void;
}

/** The signals a command stops cleanly on. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The shell's convention for a process ended by a signal: 128 + its number (SIGINT 2, SIGTERM 15). */
export const STOP_SIGNAL_EXIT_CODE: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** A command failed in a way already explained to the user: the CLI exits with `exitCode`. */
export class CommandFailed extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CommandFailed';
    this.exitCode = exitCode;
  }
}
