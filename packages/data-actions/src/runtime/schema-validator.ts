import Ajv04Module from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';

// ajv-draft-04 is CommonJS with `exports.default`; under NodeNext the default import is the module.
const Ajv04 = Ajv04Module.default;

/**
 * A draft-04 validator for data-action contracts. One Ajv instance per factory call (no module
 * singleton); `strict: false` because contracts legitimately carry annotations Ajv's strict mode
 * would flag, and Genesys's validator is not known to be strict.
 */
export function createSchemaValidator(): { compile(schema: object): ValidateFunction } {
  const ajv = new Ajv04({ allErrors: true, strict: false });
  return { compile: (schema) => ajv.compile(schema) };
}

/** Ajv errors in one line, each naming the field: `/confidence must be number`. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'invalid';
  return errors
    .map((e) => {
      const field = e.instancePath === '' ? '(root)' : e.instancePath;
      const extra =
        e.keyword === 'required'
          ? ` (${String((e.params as { missingProperty?: string }).missingProperty)})`
          : '';
      const allowed =
        e.keyword === 'enum'
          ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
          : '';
      return `${field} ${e.message ?? 'invalid'}${extra}${allowed}`;
    })
    .join('; ');
}
