import { formatStepTable, parseKeyValues, runActionFile } from '@baton/data-actions';
import { resolve } from 'node:path';
import { CommandFailed, type CliIo } from './io.js';

export interface RunActionCommandOptions {
  input: string[];
  credential: string[];
  customAuth?: string;
  json?: boolean;
}

/**
 * `baton run-action <file.json>`: runs an exported data action locally the way Genesys would
 * (request template, HTTP call, translation map, output contract) and prints each step.
 */
export async function runActionCommand(file: string, options: RunActionCommandOptions, io: CliIo): Promise<void> {
  const result = await runActionFile({
    file: resolve(io.cwd, file),
    input: parseKeyValues(options.input, '--input'),
    credentials: parseKeyValues(options.credential, '--credential'),
    ...(options.customAuth !== undefined && { customAuthFile: resolve(io.cwd, options.customAuth) }),
  });
  io.stdout(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatStepTable(result)}\n`);
  if (!result.success) throw new CommandFailed('the data action failed');
}
