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
}

/** `baton export-actions`: the data actions for one auth mode, as importable JSON or CX as Code. */
export async function exportActionsCommand(options: ExportActionsCommandOptions, io: CliIo): Promise<void> {
  // Loaded here, not at the top: `baton serve` loads this module too, and would otherwise carry
  // the data-action tooling (template and schema engines) in memory for nothing.
  const { authModes, exportActions } = await import('@baton/data-actions');
  if (!(authModes as readonly string[]).includes(options.auth)) {
    throw new CommandFailed(`--auth must be one of ${authModes.join(', ')}, got "${options.auth}"`);
  }
  if (options.format !== 'json' && options.format !== 'terraform') {
    throw new CommandFailed(`--format must be json or terraform, got "${options.format}"`);
  }
  let timeoutSeconds: number | undefined;
  if (options.timeout !== undefined) {
    timeoutSeconds = Number(options.timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 60) {
      throw new CommandFailed(`--timeout must be a whole number of seconds 1–60, got "${options.timeout}"`);
    }
  }
  const result = await exportActions({
    baseUrl: options.baseUrl,
    auth: options.auth as AuthMode,
    format: options.format as ExportFormat,
    outDir: resolve(io.cwd, options.out),
    ...(timeoutSeconds !== undefined && { timeoutSeconds }),
    ...(options.allowInsecure && { allowInsecure: true }),
  });
  io.stdout(`Wrote ${result.files.length} file(s):\n${result.files.map((f) => `  ${f}`).join('\n')}\n`);
}
