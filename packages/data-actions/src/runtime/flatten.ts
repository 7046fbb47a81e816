/**
 * Architect's flattening of a data action result ("Flatten output" in test mode, `flatten=true`
 * on the API; docs/genesys-facts.md#flatten-output). The exact key format is UNCONFIRMED;
 * Baton's choice, documented in the README:
 * - nested objects become dotted keys: `{a: {b: 1}}` → `{"a.b": 1}`;
 * - arrays of scalars stay arrays (Architect collections);
 * - arrays of objects become one array per leaf key ("parallel collections"):
 *   `{a: [{b: 1}, {b: 2}]}` → `{"a.b": [1, 2]}`, with null where an element lacks the key.
 * Baton's own outputs are flat scalars, so for them flattening is the identity.
 */
export function flattenOutput(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  flattenInto(out, '', value);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flattenInto(out: Record<string, unknown>, prefix: string, value: Record<string, unknown>): void {
  for (const [key, child] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(child)) {
      flattenInto(out, name, child);
    } else if (Array.isArray(child) && child.some(isPlainObject)) {
      const rows = child.map((item) =>
        isPlainObject(item) ? (flattenOutput(item) as Record<string, unknown>) : {},
      );
      const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      for (const k of keys) out[`${name}.${k}`] = rows.map((r) => (Object.hasOwn(r, k) ? r[k] : null));
    } else {
      out[name] = child;
    }
  }
}
