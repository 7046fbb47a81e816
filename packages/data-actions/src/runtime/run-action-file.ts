import { readFile } from 'node:fs/promises';
import type {
  DataActionCredentials,
  DataActionDefinition,
  JsonSchema,
} from '../definitions/action-definition.js';
import { parseDataActionDefinition } from '../definitions/definition-schema.js';
import { DataActionsError } from '../errors.js';
import { runDataAction, type RunDataActionOptions } from './run-action.js';
import type { TestExecutionResult } from './test-execution-result.js';

/** `["k=v", "a=b=c"]` → `{k: "v", a: "b=c"}` (the value is everything after the first `=`). */
export function parseKeyValues(pairs: readonly string[], what = 'argument'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new DataActionsError(
        'options_invalid',
        `${what} "${pair.split('=')[0] ?? ''}" must be written key=value`,
      );
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/**
 * Turns command-line text into the typed values Architect would send, by the input contract's
 * property types ("0.5" → 0.5 for a number, "true" → true for a boolean). Text that does not
 * convert stays text, so the input validation step reports it.
 */
export function coerceInputText(
  inputSchema: JsonSchema,
  values: Record<string, string>,
): Record<string, unknown> {
  const properties = (inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const type = properties[key]?.type;
    if ((type === 'number' || type === 'integer') && value.trim() !== '' && Number.isFinite(Number(value)))
      out[key] = Number(value);
    else if (type === 'boolean' && (value === 'true' || value === 'false')) out[key] = value === 'true';
    else out[key] = value;
  }
  return out;
}

/**
 * Credentials from `--credential k=v` pairs: with a custom auth action they are User Defined
 * (OAuth) fields; `userName` (+ `password`) alone means Basic Auth; anything else is User Defined.
 */
export function credentialsFromFields(
  fields: Record<string, string>,
  hasCustomAuth: boolean,
): DataActionCredentials {
  if (hasCustomAuth) return { type: 'userDefinedOAuth', fields };
  const keys = Object.keys(fields);
  if (keys.includes('userName') && keys.every((k) => k === 'userName' || k === 'password')) {
    return { type: 'basic', userName: fields.userName ?? '', password: fields.password ?? '' };
  }
  return { type: 'userDefined', fields };
}

export interface RunActionFileOptions extends Omit<
  RunDataActionOptions,
  'action' | 'input' | 'credentials' | 'customAuthAction'
> {
  /** Path of a `*.custom.json`. */
  file: string;
  /** `--input k=v` values, as text. */
  input: Record<string, string>;
  /** `--credential k=v` values. */
  credentials: Record<string, string>;
  /** Path of the integration's `*.customAuth.json` (User Defined (OAuth)). */
  customAuthFile?: string;
  /** Force a credential type instead of inferring it. */
  credentialType?: DataActionCredentials['type'];
  /** File reader seam; default fs.readFile. */
  readText?: (path: string) => Promise<string>;
}

async function loadDefinition(
  path: string,
  readText: (p: string) => Promise<string>,
): Promise<DataActionDefinition> {
  let text: string;
  try {
    text = await readText(path);
  } catch (cause) {
    throw new DataActionsError('definition_invalid', `Cannot read ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  return parseDataActionDefinition(text, path);
}

/** What `baton run-action <file.json> --input k=v … --credential k=v … [--custom-auth file]` runs. */
export async function runActionFile(options: RunActionFileOptions): Promise<TestExecutionResult> {
  const { file, input, credentials, customAuthFile, credentialType, readText, ...rest } = options;
  const read = readText ?? ((p: string) => readFile(p, 'utf8'));
  const action = await loadDefinition(file, read);
  const customAuthAction = customAuthFile ? await loadDefinition(customAuthFile, read) : undefined;
  let creds = credentialsFromFields(credentials, customAuthAction !== undefined);
  if (credentialType === 'basic')
    creds = { type: 'basic', userName: credentials.userName ?? '', password: credentials.password ?? '' };
  else if (credentialType) creds = { type: credentialType, fields: credentials };
  return runDataAction({
    ...rest,
    action,
    input: coerceInputText(action.contract.input.inputSchema, input),
    credentials: creds,
    ...(customAuthAction ? { customAuthAction } : {}),
  });
}
