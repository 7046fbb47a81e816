/**
 * The Velocity tools Genesys exposes to data-action templates (docs/genesys-facts.md#velocity-tools), reimplemented for
 * velocityjs. Semantics follow the Apache Velocity tools they are named after (EscapeTool,
 * MathTool) where Genesys says so; the Genesys-specific ones are marked where UNCONFIRMED.
 *
 * Convention: a tool given null/undefined returns undefined, which velocityjs, like Java Velocity
 * with a null result, prints as the reference's own text (`$esc.jsonString($input.x)`), or as
 * nothing in silent notation (`$!esc.jsonString($input.x)`).
 */
type Maybe<T> = T | undefined;

function text(value: unknown): Maybe<string> {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** java.net.URLEncoder.encode(s, "UTF-8"): form encoding, space → "+", keeps `A-Za-z0-9.-*_`. */
function formEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** JSON string escaping without the surrounding quotes. */
function jsonEscape(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** A text tool: null/undefined in, undefined out (see the convention above). */
function textTool(transform: (s: string) => string) {
  return (v: unknown): Maybe<string> => {
    const s = text(v);
    return s === undefined ? undefined : transform(s);
  };
}

export function createEscapeTool() {
  const jsonString = textTool(jsonEscape);
  const formEncoded = textTool(formEncode);
  return {
    /** Older help text and blueprints (docs/genesys-facts.md#velocity-tools). */
    jsonString,
    /** Newer help text (?p=149841); which of the two names is live is UNCONFIRMED, so both work. */
    jsonEncode: jsonString,
    /** Newer help text: the inverse of jsonEncode (UNCONFIRMED semantics: JSON string unescaping). */
    jsonDecode: textTool((s) => {
      try {
        return JSON.parse(`"${s}"`) as string;
      } catch {
        return s;
      }
    }),
    /** EscapeTool.url: URLEncoder (space → "+"). */
    url: formEncoded,
    /** Form encoding, space → "+" (docs/genesys-facts.md#velocity-tools). */
    urlFormEncode: formEncoded,
    /** URI component encoding, space → "%20" (recommended for URL templates, docs/genesys-facts.md#velocity-tools). */
    uriEncode: textTool(encodeURIComponent),
    java: jsonString,
    javascript: textTool((s) => jsonEscape(s).replace(/'/g, "\\'")),
    html: textTool((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')),
    // EscapeTool's character properties, e.g. `$esc.quote$esc.quote` prints `""` (blueprints).
    quote: '"',
    q: '"',
    singleQuote: "'",
    s: "'",
    dollar: '$',
    d: '$',
    hash: '#',
    h: '#',
    backslash: '\\',
    b: '\\',
    exclamation: '!',
    e: '!',
  };
}

function num(v: unknown): Maybe<number> {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** MathTool: every method returns null (here undefined) when an argument is not a number. */
export function createMathTool() {
  const all = (args: unknown[]): Maybe<number[]> => {
    const ns = args.map(num);
    return ns.every((n) => n !== undefined) ? (ns as number[]) : undefined;
  };
  const op =
    (f: (ns: number[]) => number) =>
    (...args: unknown[]) => {
      const ns = all(args);
      if (ns === undefined || ns.length === 0) return undefined;
      const r = f(ns);
      return Number.isFinite(r) ? r : undefined;
    };
  return {
    add: op((ns) => ns.reduce((a, b) => a + b, 0)),
    sub: op((ns) => ns.slice(1).reduce((a, b) => a - b, ns[0] ?? 0)),
    mul: op((ns) => ns.reduce((a, b) => a * b, 1)),
    div: op((ns) => ns.slice(1).reduce((a, b) => a / b, ns[0] ?? 0)),
    idiv: op((ns) => Math.trunc((ns[0] ?? 0) / (ns[1] ?? Number.NaN))),
    mod: op((ns) => Math.trunc(ns[0] ?? 0) % Math.trunc(ns[1] ?? Number.NaN)),
    max: op((ns) => Math.max(...ns)),
    min: op((ns) => Math.min(...ns)),
    abs: op((ns) => Math.abs(ns[0] ?? 0)),
    ceil: op((ns) => Math.ceil(ns[0] ?? 0)),
    floor: op((ns) => Math.floor(ns[0] ?? 0)),
    round: op((ns) => Math.round(ns[0] ?? 0)),
    roundTo: op((ns) => {
      const factor = 10 ** (ns[0] ?? 0);
      return Math.round((ns[1] ?? 0) * factor) / factor;
    }),
    pow: op((ns) => (ns[0] ?? 0) ** (ns[1] ?? 1)),
    toNumber: op((ns) => ns[0] ?? 0),
    toDouble: op((ns) => ns[0] ?? 0),
    toInteger: op((ns) => Math.trunc(ns[0] ?? 0)),
  };
}

/** `$encoding.base64(text)`: base64 of the UTF-8 bytes (docs/genesys-facts.md#velocity-tools). */
export function createEncodingTool() {
  return {
    base64: (v: unknown) => {
      const s = text(v);
      return s === undefined ? undefined : Buffer.from(s, 'utf8').toString('base64');
    },
  };
}

/**
 * `$successTemplateUtils` (docs/genesys-facts.md#velocity-tools). Translated values are JSON literals, so both helpers take and
 * return JSON text.
 */
export function createSuccessTemplateUtils() {
  return {
    /**
     * First element of a JSON array, as JSON; the default (a JSON literal, e.g. `""` from
     * `"$esc.quote$esc.quote"`) when the array is empty (blueprint usage). With no default an empty
     * array gives "" (UNCONFIRMED). Not an array: returned unchanged (UNCONFIRMED).
     */
    firstFromArray: (array: unknown, fallback?: unknown) => {
      const s = text(array);
      if (s === undefined) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        return s;
      }
      if (!Array.isArray(parsed)) return s;
      if (parsed.length === 0) return text(fallback) ?? '';
      return JSON.stringify(parsed[0]);
    },
    /**
     * UNCONFIRMED signature and semantics (docs/genesys-facts.md#velocity-tools): turns a JSON object keyed by ids into a
     * JSON array of objects, each with its key stored under `keyName` (default "key"); scalar values
     * go under "value".
     */
    moveKeysIntoArrayOfObjects: (object: unknown, keyName?: unknown) => {
      const s = text(object);
      if (s === undefined) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        return s;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return s;
      const key = text(keyName) ?? 'key';
      return JSON.stringify(
        Object.entries(parsed).map(([k, v]) =>
          typeof v === 'object' && v !== null && !Array.isArray(v)
            ? { [key]: k, ...v }
            : { [key]: k, value: v },
        ),
      );
    },
  };
}

/**
 * `$urlTool.optionalQueryParam(name, value)`: `name=value` form-encoded, or nothing when the value
 * is null or empty (docs/genesys-facts.md#velocity-tools). Whether Genesys adds the `?`/`&` separator is UNCONFIRMED;
 * here the template writes it.
 */
export function createUrlTool() {
  return {
    optionalQueryParam: (name: unknown, value: unknown) => {
      const n = text(name);
      const v = text(value);
      if (n === undefined || v === undefined || v === '') return '';
      return `${formEncode(n)}=${formEncode(v)}`;
    },
  };
}

/** The tools of every template context. */
export function createVelocityTools() {
  return {
    esc: createEscapeTool(),
    math: createMathTool(),
    encoding: createEncodingTool(),
    successTemplateUtils: createSuccessTemplateUtils(),
    urlTool: createUrlTool(),
  };
}
export type VelocityTools = ReturnType<typeof createVelocityTools>;
