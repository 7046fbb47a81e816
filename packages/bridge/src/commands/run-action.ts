import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { parseKeyValues as ParseKeyValues } from '@baton/data-actions';
import { CommandFailed, type CliIo } from './io.js';

export interface RunActionCommandOptions {
  input: string[];
  /** `--credential key=value`: for non-secret fields (the value lands in shell history and the process list). */
  credential: string[];
  /** `--credentials-file <file.json>`: a flat JSON object of credential fields. */
  credentialsFile?: string;
  /** `--credential-env key=ENV_VAR`: the field's value read from the environment. */
  credentialEnv?: string[];
  customAuth?: string;
  json?: boolean;
}

/** Thrown with a message that never holds a credential value (the CLI prints it). */
class CredentialOptionError extends Error {}

/**
 * The flat `{field: "value"}` object of a credentials file. Errors name the file and the field,
 * never a value, and JSON.parse's message is not passed on (it quotes the text it failed on).
 */
async function readCredentialsFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CredentialOptionError(`--credentials-file: cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CredentialOptionError(`--credentials-file: ${path} is not valid JSON`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new CredentialOptionError(`--credentials-file: ${path} must hold a JSON object of credential fields`);
  for (const [key, value] of Object.entries(json))
    if (typeof value !== 'string')
      throw new CredentialOptionError(`--credentials-file: field "${key}" in ${path} must be a string`);
  return json as Record<string, string>;
}

/**
 * Credential fields from the file, then `--credential-env`, then `--credential`. A field given by
 * two of them is an error rather than a silent override.
 */
async function credentialFields(options: RunActionCommandOptions, io: CliIo, parseKeyValues: typeof ParseKeyValues): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  const add = (key: string, value: string, source: string) => {
    if (Object.hasOwn(fields, key)) throw new CredentialOptionError(`credential field "${key}" is given twice (again by ${source})`);
    fields[key] = value;
  };
  if (options.credentialsFile !== undefined) {
    const path = resolve(io.cwd, options.credentialsFile);
    for (const [key, value] of Object.entries(await readCredentialsFile(path))) add(key, value, '--credentials-file');
  }
  for (const [key, variable] of Object.entries(parseKeyValues(options.credentialEnv ?? [], '--credential-env'))) {
    const value = io.env[variable];
    if (value === undefined || value === '')
      throw new CredentialOptionError(`--credential-env ${key}=${variable}: the environment variable ${variable} is not set`);
    add(key, value, '--credential-env');
  }
  for (const [key, value] of Object.entries(parseKeyValues(options.credential, '--credential'))) add(key, value, '--credential');
  return fields;
}

/**
 * `baton run-action <file.json>`: runs an exported data action locally the way Genesys would
 * (request template, HTTP call, translation map, output contract) and prints each step.
 * Secrets belong in `--credentials-file` or `--credential-env`, not `--credential`.
 */
export async function runActionCommand(file: string, options: RunActionCommandOptions, io: CliIo): Promise<void> {
  // Loaded here, not at the top: `baton serve` loads this module too, and would otherwise carry
  // the data-action runtime (template and schema engines) in memory for nothing.
  const { formatStepTable, parseKeyValues, runActionFile } = await import('@baton/data-actions');
  let credentials: Record<string, string>;
  try {
    credentials = await credentialFields(options, io, parseKeyValues);
  } catch (error) {
    if (!(error instanceof CredentialOptionError)) throw error;
    io.stderr(`baton: ${error.message}\n`);
    throw new CommandFailed(error.message, 2);
  }
  const result = await runActionFile({
    file: resolve(io.cwd, file),
    input: parseKeyValues(options.input, '--input'),
    credentials,
    ...(options.customAuth !== undefined && { customAuthFile: resolve(io.cwd, options.customAuth) }),
  });
  io.stdout(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatStepTable(result)}\n`);
  if (!result.success) throw new CommandFailed('the data action failed');
}
