/** What a command may touch of the outside world: passed in, so tests run commands in-process. */
export interface CliIo {
  /** The environment, `.env` already merged in by cli.ts. */
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** What the user types (`baton chat` reads it line by line); absent where no command needs it. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** A command failed in a way already explained to the user: the CLI exits with `exitCode`. */
export class CommandFailed extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CommandFailed';
    this.exitCode = exitCode;
  }
}
