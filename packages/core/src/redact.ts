/**
 * The one redactor. Each box redacts once, where what it holds leaves it: the bridge's logger (every
 * line), the handoff trace recorder (every call record and free text as it enters the trace, so
 * stored and returned traces are clean), the bridge's error bodies, the extension's history, and the
 * data-action runtime's TestExecutionResult (with Genesys's own marker). STYLE.md: secrets never
 * appear in logs, traces, history, errors or snapshots.
 */

/** The default marker a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

export interface RedactOptions {
  /** Literal secret values to replace wherever they appear (strings, keys, error messages). */
  secrets?: readonly string[];
  /** What replaces a secret; default `[REDACTED]`. */
  marker?: string;
}

/**
 * Given secrets shorter than this are ignored: a one- or two-character value ("a", "1") is not a
 * secret, and replacing it would mangle every line.
 */
export const MIN_SECRET_LENGTH = 3;

/**
 * Keys whose values are secrets whatever they hold. Compared after lower-casing and removing `-`
 * and `_`, so `client_secret`, `clientSecret` and `Client-Secret` all match; compared whole (never
 * as a substring), so a counter named `tokenRequests`, a `token_type` of `Bearer` or a key
 * `monkey` are kept.
 */
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'clientsecret',
  'secret',
  'password',
  'passwd',
  'apikey',
  'xapikey',
  'cookie',
  'setcookie',
]);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/**
 * Credentials that show up inside free text: HTTP auth schemes (a logged header line, an error
 * message quoting a request) and secret-named query/form parameters (`?access_token=...`,
 * `client_secret=...` in a token request body).
 */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const SECRET_PARAM =
  /\b(access_token|refresh_token|id_token|client_secret|password|api_key|apikey|token)=([^&\s"']+)/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The pattern matching any of `secrets`, longest first so a secret that contains another is
 * replaced whole; undefined when there is none. The last one built is kept: callers pass the same
 * few secrets every time (a logger redacts every line with them), and building the pattern per
 * string was most of what redaction cost.
 */
let lastSecrets: { key: string; pattern: RegExp | undefined } | undefined;
function secretsPattern(secrets: readonly string[]): RegExp | undefined {
  if (secrets.length === 0) return undefined;
  const key = secrets.join('\u0000');
  if (lastSecrets?.key === key) return lastSecrets.pattern;
  const wanted = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  const pattern = wanted.length > 0 ? new RegExp(wanted.map(escapeRegExp).join('|'), 'g') : undefined;
  lastSecrets = { key, pattern };
  return pattern;
}

function redactWith(text: string, secrets: RegExp | undefined, marker: string): string {
  let out = text;
  if (secrets) out = out.replace(secrets, () => marker);
  // Each pattern needs a literal its match cannot do without: most strings (ids, routes, keys)
  // have none, and a substring search is much cheaper than running the pattern.
  if (out.includes('Bearer') || out.includes('Basic')) out = out.replace(AUTH_SCHEME, (_match, scheme: string) => `${scheme} ${marker}`);
  if (out.includes('=')) out = out.replace(SECRET_PARAM, (_match, name: string) => `${name}=${marker}`);
  return out;
}

/** `text` with every given secret, auth header value and secret-named parameter replaced by the marker. */
export function redactText(text: string, options: RedactOptions = {}): string {
  return redactWith(text, secretsPattern(options.secrets ?? []), options.marker ?? REDACTED);
}

/**
 * A deep copy of `value` with secret-named keys' values (isSecretKey), auth header values and
 * secret-named parameters in text, and every occurrence of `options.secrets` replaced by
 * `options.marker` (default `[REDACTED]`). Never mutates `value`; cycles become `[Circular]`;
 * errors become plain objects (name, message, code and their own fields) so they can be logged as
 * JSON.
 */
export function redact(value: unknown, options: RedactOptions = {}): unknown {
  const seen = new WeakSet<object>();
  const pattern = secretsPattern(options.secrets ?? []);
  const marker = options.marker ?? REDACTED;

  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return redactWith(v, pattern, marker);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[Circular]';
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.map(visit);
      if (v instanceof Date) return new Date(v.getTime());
      if (v instanceof Map) return visitEntries([...v.entries()].map(([k, x]) => [String(k), x]));
      if (v instanceof Set) return [...v].map(visit);
      if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return '[Binary]';
      const entries: [string, unknown][] = Object.entries(v);
      if (v instanceof Error) {
        // Error's name, message and stack are not enumerable: copy them explicitly.
        entries.unshift(['name', v.name], ['message', v.message]);
        if (v.stack !== undefined) entries.push(['stack', v.stack]);
      }
      return visitEntries(entries);
    } finally {
      seen.delete(v);
    }
  };

  const visitEntries = (entries: [string, unknown][]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, x] of entries) {
      out[redactWith(key, pattern, marker)] = isSecretKey(key) && x !== undefined && x !== null ? marker : visit(x);
    }
    return out;
  };

  return visit(value);
}
