/**
 * Input fields of a data action, read from its input contract (`contract.input.inputSchema`, the
 * JSON Schema Genesys stores with every action). Works the same for an action generated from
 * Baton's contracts and for an action JSON exported from an org, so the form is never hand-written.
 */
export interface ActionField {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean';
  required: boolean;
  description: string;
  enum?: string[];
}

interface JsonSchemaProperty {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
}

export function actionInputFields(action: unknown): ActionField[] {
  const schema = (action as { contract?: { input?: { inputSchema?: unknown } } } | undefined)?.contract?.input?.inputSchema as
    | { properties?: Record<string, JsonSchemaProperty>; required?: string[] }
    | undefined;
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, p]) => {
    const types = Array.isArray(p.type) ? p.type : [p.type ?? 'string'];
    const type = (['integer', 'number', 'boolean'].find((t) => types.includes(t)) ?? 'string') as ActionField['type'];
    const field: ActionField = { name, type, required: required.has(name), description: p.description ?? '' };
    if (Array.isArray(p.enum)) field.enum = p.enum.map(String);
    return field;
  });
}

/**
 * Turns what the user typed into the value the action receives, or says why it cannot. Empty
 * means "not set" (Architect's NOT_SET) for an optional field.
 */
export function parseFieldValue(field: ActionField, raw: string): { value: unknown } | { error: string } | { unset: true } {
  const text = raw.trim();
  if (text === '') return field.required ? { error: `${field.name} is required` } : { unset: true };
  if (field.enum && !field.enum.includes(text)) return { error: `${field.name} must be one of ${field.enum.join(', ')}` };
  switch (field.type) {
    case 'boolean':
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return { error: `${field.name} must be true or false` };
    case 'integer':
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n) || (field.type === 'integer' && !Number.isInteger(n))) return { error: `${field.name} must be ${field.type === 'integer' ? 'an integer' : 'a number'}` };
      return { value: n };
    }
    default:
      return { value: text };
  }
}

/** A readable name for an action JSON (generated or exported). */
export function actionName(action: unknown): string {
  const name = (action as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : '(unnamed action)';
}

export function isActionJson(value: unknown): boolean {
  return actionInputFields(value).length > 0 || (typeof value === 'object' && value !== null && 'contract' in value && 'config' in value);
}
