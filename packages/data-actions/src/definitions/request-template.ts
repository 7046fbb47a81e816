import type { JsonSchema } from './action-definition.js';

/**
 * The request body template: a JSON object with every input as an escaped JSON string.
 *
 * - Every input goes through `$esc.jsonString` because an unescaped quote or newline in an input
 *   breaks the body and fails the action (docs/genesys-facts.md#velocity-templates). `jsonString` is the name the
 *   older help text and the blueprints use; the newer help text lists `jsonEncode` instead: which
 *   names the runtime accepts today is UNCONFIRMED.
 * - Required inputs use `$esc.jsonString(${input.x})` (formal notation, docs/genesys-facts.md#velocity-templates); Genesys
 *   validates the input contract first, so they are present.
 * - Optional inputs use silent notation on the whole call, `$!esc.jsonString($input.x)`, which
 *   prints "" when the input is unset (docs/genesys-facts.md#velocity-templates). `$!{...}` inside method arguments is
 *   not a documented form, so it is not used. The bridge's `optionalInput()` reads "" as absent.
 * - Numbers and booleans are sent as text too ("0.5", "true"), so an unset optional number
 *   cannot leave a hole in the JSON; the contracts `z.coerce` them back.
 */
export function buildRequestTemplate(inputSchema: JsonSchema): string {
  const properties = (inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(inputSchema.required) ? (inputSchema.required as string[]) : []);
  const members = Object.keys(properties).map((name) => {
    const value = required.has(name)
      ? `$esc.jsonString(\${input.${name}})`
      : `$!esc.jsonString($input.${name})`;
    return `"${name}": "${value}"`;
  });
  return `{${members.join(', ')}}`;
}
