import { z } from 'zod';
import type { ActionContract } from '@baton/core';
import { DataActionsError } from '../errors.js';
import type { JsonSchema } from './action-definition.js';

export const draft04SchemaUri = 'http://json-schema.org/draft-04/schema#';

/** Input names the contract validator accepts (docs/genesys-facts.md#data-action-contracts; the validator's error message quotes the pattern). */
export const inputNamePattern = /^[a-zA-Z][a-zA-Z0-9_-]*$/;

/** Reserved by Genesys for its own input variables (docs/genesys-facts.md#data-action-contracts). */
export const reservedInputNames: readonly string[] = ['orgId', 'integrationId', 'rawRequest'];

/**
 * Names a translation-map key must not take: the success template sees translation keys as
 * Velocity variables next to `$rawResult` and the tools, so such a key would shadow them.
 * (A Genesys rule is not documented; this is our own guard.)
 */
export const reservedOutputNames: readonly string[] = [
  'rawResult',
  'input',
  'credentials',
  'authResponse',
  'esc',
  'math',
  'encoding',
  'successTemplateUtils',
  'urlTool',
];

/** "Simple properties schema": the only property types the input validator accepts (docs/genesys-facts.md#data-action-contracts). */
const inputScalarTypes = new Set(['string', 'integer', 'number', 'boolean']);

/** Constraint keywords of draft-04 that we carry over from zod. */
const constraintKeys = [
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
] as const;

function unsupported(contractId: string, message: string): DataActionsError {
  return new DataActionsError('contract_unsupported', `Contract ${contractId}: ${message}`, {
    details: { contractId },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** zod writes ±MAX_SAFE_INTEGER bounds for `.int()`: noise in a contract, so they go. */
function isSafeIntegerBound(key: string, value: unknown): boolean {
  return (
    (key === 'minimum' || key === 'maximum') &&
    (value === Number.MAX_SAFE_INTEGER || value === -Number.MAX_SAFE_INTEGER)
  );
}

function pickConstraints(
  prop: Record<string, unknown>,
  keep: (key: string) => boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of constraintKeys) {
    if (prop[key] !== undefined && keep(key) && !isSafeIntegerBound(key, prop[key])) out[key] = prop[key];
  }
  return out;
}

/**
 * A union of scalars (zod's `z.union([z.boolean(), z.enum(['true','false'])])`) becomes one type,
 * because Architect binds an input to one variable type: the single non-string branch wins, the
 * string branches being the text forms the bridge also accepts. Anything else cannot be expressed.
 */
function collapseScalarUnion(
  contractId: string,
  name: string,
  prop: Record<string, unknown>,
): Record<string, unknown> {
  const branches = prop.anyOf;
  if (!Array.isArray(branches)) return prop;
  const types = branches.map((b) => (isRecord(b) ? b.type : undefined));
  if (!types.every((t) => typeof t === 'string' && inputScalarTypes.has(t))) {
    throw unsupported(
      contractId,
      `input "${name}" is a union of non-scalar types; data action inputs are flat scalars (docs/genesys-facts.md#data-action-contracts)`,
    );
  }
  const nonString = [...new Set(types.filter((t) => t !== 'string'))];
  if (nonString.length > 1) {
    throw unsupported(
      contractId,
      `input "${name}" is a union of ${nonString.join(' and ')}; an input has one type`,
    );
  }
  const chosen = nonString.length === 1 ? branches[types.indexOf(nonString[0])] : { type: 'string' };
  const { anyOf: _anyOf, ...rest } = prop;
  return { ...rest, ...(chosen as Record<string, unknown>) };
}

function describeIfAny(prop: Record<string, unknown>): Record<string, unknown> {
  return typeof prop.description === 'string' ? { description: prop.description } : {};
}

/**
 * The input contract of an action, as Genesys accepts it: draft-04, a top-level object of flat
 * scalar properties (docs/genesys-facts.md#data-action-contracts), names matching the validator's pattern, reserved names refused.
 *
 * Optional inputs (`optionalInput()`) treat "" as absent, and our request templates send an unset
 * optional input as "" (silent notation). So an optional *string* keeps only constraints "" meets
 * (`maxLength`): a `pattern` or `enum` would make Genesys reject the empty string the bridge accepts.
 */
export function toInputSchema(
  contract: Pick<ActionContract, 'id' | 'title' | 'description' | 'input'>,
): JsonSchema {
  const raw = z.toJSONSchema(contract.input, {
    target: 'draft-4',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  if (raw.type !== 'object' || !isRecord(raw.properties)) {
    throw unsupported(contract.id, 'the input is not an object of named properties');
  }
  const required = Array.isArray(raw.required) ? (raw.required as string[]) : [];
  const properties: Record<string, JsonSchema> = {};
  for (const [name, value] of Object.entries(raw.properties)) {
    if (!inputNamePattern.test(name)) {
      throw unsupported(
        contract.id,
        `input name "${name}" does not match ${inputNamePattern.source} (docs/genesys-facts.md#data-action-contracts)`,
      );
    }
    if (reservedInputNames.includes(name)) {
      throw unsupported(
        contract.id,
        `input name "${name}" is reserved by Genesys (${reservedInputNames.join(', ')})`,
      );
    }
    if (!isRecord(value)) throw unsupported(contract.id, `input "${name}" has no schema`);
    const prop = collapseScalarUnion(contract.id, name, value);
    if (typeof prop.type !== 'string' || !inputScalarTypes.has(prop.type)) {
      throw unsupported(
        contract.id,
        `input "${name}" is of type ${JSON.stringify(prop.type ?? 'unknown')}; inputs are flat scalars: string, integer, number, boolean (docs/genesys-facts.md#data-action-contracts)`,
      );
    }
    const isOptionalString = !required.includes(name) && prop.type === 'string';
    properties[name] = {
      type: prop.type,
      ...describeIfAny(prop),
      ...pickConstraints(prop, (key) => !isOptionalString || key === 'maxLength'),
    };
  }
  return {
    $schema: draft04SchemaUri,
    title: `${contract.title} input`,
    description: contract.description,
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: true,
  };
}

const outputScalarTypes = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * The output contract, checked against Architect's rules: outputs are flat, each a scalar or at
 * most an array of scalars (ARCHITECTURE.md "Budgets"; nested arrays are refused by Genesys,
 * docs/genesys-facts.md#data-action-contracts). Nested objects are allowed by Genesys but flattened by Architect in a format we
 * could not confirm, so Baton refuses them too.
 */
export function toOutputSchema(
  contract: Pick<ActionContract, 'id' | 'title' | 'description' | 'output'>,
): JsonSchema {
  const raw = z.toJSONSchema(contract.output, {
    target: 'draft-4',
    io: 'output',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  if (raw.type !== 'object' || !isRecord(raw.properties)) {
    throw unsupported(contract.id, 'the output is not an object of named properties');
  }
  const required = Array.isArray(raw.required) ? (raw.required as string[]) : [];
  const properties: Record<string, JsonSchema> = {};
  for (const [name, value] of Object.entries(raw.properties)) {
    if (!inputNamePattern.test(name)) {
      throw unsupported(
        contract.id,
        `output name "${name}" is not a Velocity identifier (${inputNamePattern.source})`,
      );
    }
    if (reservedOutputNames.includes(name)) {
      throw unsupported(contract.id, `output name "${name}" would shadow a success-template variable`);
    }
    if (!isRecord(value)) throw unsupported(contract.id, `output "${name}" has no schema`);
    if (typeof value.type === 'string' && outputScalarTypes.has(value.type)) {
      properties[name] = { type: value.type, ...describeIfAny(value), ...pickConstraints(value, () => true) };
      continue;
    }
    if (
      value.type === 'array' &&
      isRecord(value.items) &&
      typeof value.items.type === 'string' &&
      outputScalarTypes.has(value.items.type)
    ) {
      properties[name] = {
        type: 'array',
        ...describeIfAny(value),
        items: { type: value.items.type, ...pickConstraints(value.items, () => true) },
      };
      continue;
    }
    throw unsupported(
      contract.id,
      `output "${name}" is ${JSON.stringify(value.type ?? (value.anyOf ? 'a union' : 'unknown'))}; Architect outputs are flat: a scalar or an array of scalars`,
    );
  }
  return {
    $schema: draft04SchemaUri,
    title: `${contract.title} output`,
    description: contract.description,
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: true,
  };
}

/**
 * Our request templates send every input as a JSON string (so an unset optional input can be ""),
 * which only works when the contract coerces non-string inputs (`z.coerce`). Checked at generation
 * so a contract change cannot silently break the actions.
 */
export function assertInputsAcceptText(
  contract: Pick<ActionContract, 'id' | 'input'>,
  inputSchema: JsonSchema,
): void {
  if (!(contract.input instanceof z.ZodObject)) return;
  const shape = contract.input.shape as Record<string, z.ZodType>;
  const properties = inputSchema.properties as Record<string, JsonSchema>;
  for (const [name, prop] of Object.entries(properties)) {
    const field = shape[name];
    if (field === undefined || prop.type === 'string') continue;
    const sample = sampleText(prop);
    if (!field.safeParse(sample).success) {
      throw unsupported(
        contract.id,
        `input "${name}" is a ${String(prop.type)} but its schema refuses the text "${sample}" that the request template sends; use z.coerce`,
      );
    }
  }
}

function sampleText(prop: JsonSchema): string {
  if (prop.type === 'boolean') return 'true';
  const min = typeof prop.minimum === 'number' ? prop.minimum : undefined;
  const max = typeof prop.maximum === 'number' ? prop.maximum : undefined;
  const value = min ?? (max !== undefined ? Math.min(max, 1) : 1);
  return String(prop.type === 'integer' ? Math.ceil(value) : value);
}
