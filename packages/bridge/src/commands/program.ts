import { Command, Option } from 'commander';
import type { DestinationStream } from 'pino';
import { isBatonError } from '@baton/core';
import { ConfigError } from '../config.js';
import { chatCommand, type ChatCommandOptions, type ChatDeps } from './chat.js';
import { exportActionsCommand } from './export-actions.js';
import { handoffCommand } from './handoff.js';
import { CommandFailed, type CliIo } from './io.js';
import { runActionCommand, type RunActionCommandOptions } from './run-action.js';
import { serve, type ServeHandle } from './serve.js';
import { terminalSafeIo } from './terminal-safe.js';
import { testCommand } from './test.js';

export interface ProgramHooks {
  /** Called once `baton serve` listens (cli.ts installs the signal handlers here). */
  onServing?: (handle: ServeHandle) => void;
  /** Where `serve` writes its JSON log lines (default stdout). */
  logDestination?: DestinationStream;
  /** Seams for `baton chat` (tests: the in-process sandbox it starts). */
  chat?: ChatDeps;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * The `baton` command line. Every command reads only `io` (environment, output, cwd), so tests
 * run it in-process. Errors are turned into a message on stderr and a non-zero exit code by
 * `runCli`, never a stack trace.
 */
export function createProgram(rawIo: CliIo, hooks: ProgramHooks = {}): Command {
  // Output carries customer text (transcripts, Genesys and data-action errors): shown, never obeyed.
  const io = terminalSafeIo(rawIo);
  const program = new Command('baton')
    .description('Hand a Genesys Cloud web-messaging conversation from a bot to a human agent, with the bot\'s context intact.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();

  program
    .command('serve')
    .description('Run the bridge Architect data actions call (an in-process sandbox org when no Genesys credentials are configured)')
    .action(async () => {
      const handle = await serve(io, hooks.logDestination ? { logDestination: hooks.logDestination } : {});
      hooks.onServing?.(handle);
    });

  program
    .command('handoff')
    .description('Run one handoff and print the decision and its trace (sandbox: the id may be a scenario name, e.g. lowConfidence)')
    .argument('<conversationId>', 'Genesys conversation id (or a sandbox scenario name)')
    .option('--queue <queueId>', 'target queue (default GENESYS_QUEUE_ID)')
    .addOption(new Option('--mode <mode>', 'flow: return the queue for the flow; api: transfer via the Platform API').choices(['flow', 'api']))
    .option('--priority <1-10>', 'queue priority')
    .option('--json', 'print {output, trace} as JSON')
    .action(async (conversationId: string, options: { queue?: string; mode?: string; priority?: string; json?: boolean }) => {
      await handoffCommand(conversationId, options, io);
    });

  program
    .command('export-actions')
    .description('Write the Genesys data actions for the bridge (importable JSON or CX as Code Terraform; archy adds the handoff flow as Archy YAML)')
    .requiredOption('--base-url <url>', "the bridge's public https URL")
    .addOption(new Option('--auth <mode>', 'credential type of the integration').choices(['basic', 'apikey', 'oauth']).makeOptionMandatory())
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'terraform', 'archy']).default('json'))
    .requiredOption('--out <dir>', 'output directory')
    .option('--timeout <seconds>', 'config.timeoutSeconds of each action (1–60)')
    .option('--allow-insecure', 'accept an http base URL (local testing only)')
    .option('--default-queue-id <id>', 'archy: the queue of the Failure and Timeout paths')
    .option('--bot-flow <name>', 'archy: the digital bot flow the message flow calls')
    .option('--integration-name <name>', 'archy: the Web Services Data Actions integration of the actions', 'Baton Bridge')
    .option('--slots <names>', "archy: the bot's slot names, comma-separated")
    .action(async (options: Parameters<typeof exportActionsCommand>[0]) => {
      await exportActionsCommand(options, io);
    });

  program
    .command('run-action')
    .description('Run an exported data action locally, as Genesys would, and print each step')
    .argument('<file>', 'a *.custom.json data action')
    .option('--input <key=value>', 'an input value (repeatable)', collect, [])
    .option('--credentials-file <file.json>', 'credential fields as a flat JSON object, e.g. {"apiKey": "…"} (preferred for secrets)')
    .option('--credential-env <key=ENV_VAR>', 'a credential field read from an environment variable (repeatable; preferred for secrets)', collect, [])
    .option('--credential <key=value>', 'a non-secret credential field (repeatable): userName, clientId; the value shows in shell history and the process list', collect, [])
    .option('--custom-auth <file>', "the integration's *.customAuth.json (User Defined (OAuth))")
    .option('--json', 'print the TestExecutionResult as JSON')
    .action(async (file: string, options: RunActionCommandOptions) => {
      await runActionCommand(file, options, io);
    });

  program
    .command('chat')
    .description(
      'Chat as the customer over the Web Messaging Guest API: lines from stdin, the bot\'s and the agent\'s messages on stdout, the handoff when it happens (in-process sandbox by default)',
    )
    .option('--url <ws-url>', 'Guest API origin of a sandbox started elsewhere (the webMessagingUrl `pnpm sandbox` prints); needs --deployment-id')
    .option('--region <region>', 'a real org\'s region, e.g. eu_west_1 (UNCONFIRMED: cannot be tried offline); needs --deployment-id')
    .option('--deployment-id <id>', 'the web messaging deployment (default: the sandbox\'s seeded one)')
    .option('--token <token>', 'resume the session of an earlier chat (its token is printed at the start)')
    .option('--attr <key=value>', 'customAttributes sent with the first message: the customer\'s participant data (repeatable)', collect, [])
    .option('--wait <seconds>', 'with piped input, how long to wait for an answer after each line and for quiet at the end', '5')
    .option('--json', 'print one JSON event per line')
    .action(async (options: ChatCommandOptions) => {
      await chatCommand(options, io, hooks.chat);
    });

  program
    .command('test')
    .description('Run *.handoff.json and *.conversation.yaml scenario files headless (exit 1 on any failure); conversations and inline fixtures need the sandbox org')
    .argument('<glob...>', 'scenario files, e.g. "**/*.handoff.json" "**/*.conversation.yaml"')
    .option('--junit <file>', 'also write a JUnit XML report of the conversation scenarios')
    .option('--concurrency <n>', 'conversation scenarios run at once (1–64; default 8 on the sandbox, 1 on a real org)')
    .action(async (patterns: string[], options: { junit?: string; concurrency?: string }) => {
      await testCommand(patterns, io, {
        ...(options.junit !== undefined && { junit: options.junit }),
        ...(options.concurrency !== undefined && { concurrency: parseConcurrency(options.concurrency, io) }),
      });
    });

  return program;
}

/** Runs the CLI: resolves with the exit code (0 on success). `serve` keeps running after it resolves. */
export async function runCli(argv: readonly string[], rawIo: CliIo, hooks: ProgramHooks = {}): Promise<number> {
  const io = terminalSafeIo(rawIo);
  const program = createProgram(io, hooks);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (error) {
    const commanderCode = (error as { code?: unknown }).code;
    if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
      // Commander already printed the problem (or the help / version asked for).
      return commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' ? 0 : ((error as { exitCode?: number }).exitCode ?? 1);
    }
    if (error instanceof CommandFailed) return error.exitCode;
    if (error instanceof ConfigError) {
      io.stderr(`baton: ${error.message}\n`);
      return 2;
    }
    if (isBatonError(error)) {
      io.stderr(`baton: ${error.code}: ${error.message}\n`);
      return 1;
    }
    io.stderr(`baton: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function parseConcurrency(text: string, io: CliIo): number {
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1 && n <= 64) return n;
  const message = `--concurrency must be an integer from 1 to 64, got ${JSON.stringify(text)}`;
  io.stderr(`baton: ${message}\n`);
  throw new CommandFailed(message, 2);
}
