import { JSONPath } from 'jsonpath-plus';

/** A translation-map entry that cannot produce a value. */
export class TranslationError extends Error {
  readonly key: string;
  readonly path: string;
  constructor(key: string, path: string, message: string) {
    super(message);
    this.name = 'TranslationError';
    this.key = key;
    this.path = path;
  }
}

/**
 * An "indefinite" path (wildcard, deep scan, filter, script, union or slice) returns a list even
 * for one match or none, as in Jayway JsonPath, which the Java runtime likely uses (UNCONFIRMED;
 * docs/genesys-facts.md#translation-maps: this is why `firstFromArray` exists).
 */
export function isIndefinitePath(path: string): boolean {
  return JSONPath.toPathArray(path).some(
    (segment) => segment === '*' || segment === '..' || /^[?(]/.test(segment) || /[,:]/.test(segment),
  );
}

/**
 * Applies a translation map to a response body. Each value is JSON text (strings keep their
 * quotes), ready to be printed unquoted in the success template (docs/genesys-facts.md#translation-maps).
 *
 * Defaults apply only when a path *fails to resolve*; a path that resolves to null yields `null`,
 * not the default (docs/genesys-facts.md#translation-maps). An indefinite path always resolves (to a possibly empty array). A path
 * that fails with no default fails the translation, which Genesys reports as a failure (docs/genesys-facts.md#translation-maps).
 */
export function applyTranslationMap(
  body: unknown,
  translationMap: Record<string, string>,
  translationMapDefaults: Record<string, string>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, path] of Object.entries(translationMap)) {
    if (typeof path !== 'string' || !path.startsWith('$')) {
      throw new TranslationError(
        key,
        String(path),
        `Translation "${key}": "${String(path)}" is not a JSONPath (it must start with $)`,
      );
    }
    let matches: unknown[];
    try {
      matches = JSONPath({ path, json: body as object, wrap: true, eval: 'safe' }) as unknown[];
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new TranslationError(
        key,
        path,
        `Translation "${key}": JSONPath ${path} could not be evaluated: ${detail}`,
      );
    }
    if (isIndefinitePath(path)) {
      values[key] = JSON.stringify(matches);
    } else if (matches.length > 0) {
      values[key] = JSON.stringify(matches[0] ?? null);
    } else if (Object.hasOwn(translationMapDefaults, key)) {
      values[key] = translationMapDefaults[key] as string;
    } else {
      throw new TranslationError(
        key,
        path,
        `Translation "${key}": JSONPath ${path} did not resolve and "${key}" has no default`,
      );
    }
  }
  return values;
}
