/**
 * Genesys redacts authorization values in test output (docs/genesys-facts.md#data-action-credentials); so do we, everywhere in a
 * result: header values of auth headers, and every occurrence of a credential or token value
 * in URLs, bodies and error messages.
 */
export const redactedText = '*****';

const authHeaderNames = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'cookie',
  'set-cookie',
]);

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, authHeaderNames.has(k.toLowerCase()) ? redactedText : v]),
  );
}

/** Values too short to be secrets would redact ordinary text ("a", "1"), so they are skipped. */
const minimumSecretLength = 3;

/** Replaces every occurrence of any secret in every string of `value`. */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const list = [...new Set(secrets.filter((s) => s.length >= minimumSecretLength))].sort(
    (a, b) => b.length - a.length,
  );
  if (list.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return list.reduce((s, secret) => s.split(secret).join(redactedText), v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Secrets derived from a secret: its base64 (Basic headers) and URL-encoded forms. */
export function secretForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret, 'utf8').toString('base64')];
}
