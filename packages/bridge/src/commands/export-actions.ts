import type { AuthMode, ExportFormat } from '@baton/data-actions';
import { CommandFailed, type CliIo } from './io.js';
import { resolve } from 'node:path';

export interface ExportActionsCommandOptions {
  baseUrl: string;
  auth: string;
  format: string;
  out: string;
  timeout?: string;
  allowInsecure?: boolean;
  /** archy: the queue of the Failure/Timeout paths. */
  defaultQueueId?: string;
  /** archy: the digital bot flow the message flow calls. */
  botFlow?: string;
  /** archy: the integration the actions are imported into. */
  integrationName?: string;
  /** archy: the bot's slot names, comma-separated. */
  slots?: string;
}

/**
 * `baton export-actions`: the data actions for one auth mode, as importable JSON or CX as Code;
 * `--format archy` adds the recommended handoff flow as Archy YAML calling the JSON actions.
 */
export async function exportActionsCommand(options: ExportActionsCommandOptions, io: CliIo): Promise<void> {
  // Loaded here, not at the top: `baton serve` loads this module too, and would otherwise carry
  // the data-action tooling (template and schema engines) in memory for nothing.
  const { authModes, exportActions } = await import('@baton/data-actions');
  // runCli prints nothing for a CommandFailed (commands that fail after output print their own
  // summary), so a bad option says what is wrong here.
  const fail = (message: string): never => {
    io.stderr(`baton: ${message}\n`);
    throw new CommandFailed(message);
  };
  if (!(authModes as readonly string[]).includes(options.auth)) {
    fail(`--auth must be one of ${authModes.join(', ')}, got "${options.auth}"`);
  }
  if (options.format !== 'json' && options.format !== 'terraform' && options.format !== 'archy') {
    fail(`--format must be json, terraform or archy, got "${options.format}"`);
  }
  if (options.format === 'archy' && !options.defaultQueueId) {
    fail('--format archy needs --default-queue-id (the queue of the Failure and Timeout paths)');
  }
  let timeoutSeconds: number | undefined;
  if (options.timeout !== undefined) {
    timeoutSeconds = Number(options.timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 60) {
      fail(`--timeout must be a whole number of seconds 1–60, got "${options.timeout}"`);
    }
  }
  const result = await exportActions({
    baseUrl: options.baseUrl,
    auth: options.auth as AuthMode,
    format: options.format as ExportFormat,
    outDir: resolve(io.cwd, options.out),
    ...(timeoutSeconds !== undefined && { timeoutSeconds }),
    ...(options.allowInsecure && { allowInsecure: true }),
    ...(options.format === 'archy' && {
      archy: {
        defaultQueueId: options.defaultQueueId!,
        ...(options.botFlow && { botFlowName: options.botFlow }),
        ...(options.integrationName && { integrationName: options.integrationName }),
        ...(options.slots && { slots: options.slots.split(',').map((s) => s.trim()).filter((s) => s !== '') }),
      },
    }),
  });
  io.stdout(`Wrote ${result.files.length} file(s):\n${result.files.map((f) => `  ${f}`).join('\n')}\n`);
}
