import type { DataActionResponseConfig, JsonSchema } from './action-definition.js';

/** A JSONPath to a top-level key of the response body. */
export function jsonPathToKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
    ? `$.${key}`
    : `$['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/**
 * The default of an output when its path does not resolve, as a JSON literal: the translated
 * value is inserted into the success template as JSON, so a string default carries its quotes
 * (`"\"\""`, as the blueprints write it; the TF doc's unquoted `"UNKNOWN"` would render invalid
 * JSON). Enums get no default: no neutral member exists, and a missing status must fail loudly.
 */
function defaultLiteral(prop: JsonSchema): string | undefined {
  if (Array.isArray(prop.enum)) return undefined;
  switch (prop.type) {
    case 'string':
      return '""';
    case 'number':
    case 'integer':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
      return '[]';
    default:
      return undefined;
  }
}

/**
 * Response config for a flat output contract: one translation per output key, defaults for the
 * keys that have a neutral value (so a bridge one version behind, missing a newer field, keeps the
 * flow on its Success path instead of failing the translation: Genesys advises tolerant
 * translations), and a success template that writes each translated value unquoted, because
 * translated values are JSON literals already (docs/genesys-facts.md#translation-maps).
 */
export function buildResponseConfig(outputSchema: JsonSchema): DataActionResponseConfig {
  const properties = (outputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const translationMap: Record<string, string> = {};
  const translationMapDefaults: Record<string, string> = {};
  const members: string[] = [];
  for (const [key, prop] of Object.entries(properties)) {
    translationMap[key] = jsonPathToKey(key);
    const fallback = defaultLiteral(prop);
    if (fallback !== undefined) translationMapDefaults[key] = fallback;
    members.push(`"${key}": \${${key}}`);
  }
  return { translationMap, translationMapDefaults, successTemplate: `{${members.join(', ')}}` };
}
