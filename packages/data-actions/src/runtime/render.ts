import { render as velocityRender } from 'velocityjs';

/** A Velocity template that does not parse or throws while rendering. */
export class TemplateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

/**
 * Java Velocity treats a null value like a missing one: formal `${x}` prints its own text, silent
 * `$!{x}` prints nothing (docs/genesys-facts.md#velocity-templates). velocityjs prints "null" for a JS null, so nulls inside the data
 * objects are dropped before rendering.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

/** Java string methods Genesys lists ("Java string method macros") that JS strings lack as methods. */
const javaStringMethods = [
  {
    uid: 'java-string-length',
    match: ({ property, context }: { property: string; context: unknown }) =>
      property === 'length' && typeof context === 'string',
    resolve: ({ context }: { context: unknown }) => (context as string).length,
  },
  {
    uid: 'java-string-equals',
    match: ({ property, context }: { property: string; context: unknown }) =>
      property === 'equals' && typeof context === 'string',
    resolve: ({ context, params }: { context: unknown; params: unknown[] }) => context === params[0],
  },
  {
    uid: 'java-string-isEmpty',
    match: ({ property, context }: { property: string; context: unknown }) =>
      property === 'isEmpty' && typeof context === 'string',
    resolve: ({ context }: { context: unknown }) => (context as string).length === 0,
  },
];

/** Renders one template (nulls in the context read as missing); a parse or render failure becomes a TemplateError. */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  try {
    return velocityRender(template, withoutNulls(context) as Record<string, unknown>, undefined, {
      escape: false,
      customMethodHandlers: javaStringMethods,
    });
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.split('\n').slice(0, 3).join(' ') : String(cause);
    throw new TemplateError(`Template could not be rendered: ${detail}`, { cause });
  }
}
