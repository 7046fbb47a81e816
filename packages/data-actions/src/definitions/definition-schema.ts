import { z } from 'zod';
import { DataActionsError } from '../errors.js';
import type { DataActionDefinition } from './action-definition.js';

const stringMap = z.record(z.string(), z.string());

/**
 * The shape of an exported action file, checked before the runtime uses one. Defaults follow
 * Genesys's: `${input.rawRequest}` request template (docs/genesys-facts.md#velocity-templates), `${rawResult}` success template.
 */
export const dataActionDefinitionSchema = z.object({
  name: z.string().min(1),
  integrationType: z.literal('custom-rest-actions'),
  actionType: z.enum(['custom', 'customAuth']).default('custom'),
  secure: z.boolean().default(false),
  config: z.object({
    request: z.object({
      requestUrlTemplate: z.string().min(1),
      requestType: z.enum(['GET', 'PUT', 'POST', 'PATCH', 'DELETE']),
      headers: stringMap.default({}),
      requestTemplate: z.string().default('${input.rawRequest}'),
    }),
    response: z
      .object({
        translationMap: stringMap.default({}),
        translationMapDefaults: stringMap.default({}),
        successTemplate: z.string().default('${rawResult}'),
      })
      .default({ translationMap: {}, translationMapDefaults: {}, successTemplate: '${rawResult}' }),
    timeoutSeconds: z.number().int().min(1).max(60).optional(),
  }),
  contract: z.object({
    input: z.object({ inputSchema: z.record(z.string(), z.unknown()) }),
    output: z.object({ successSchema: z.record(z.string(), z.unknown()) }),
  }),
});

/** Parses a data action definition (the text of a `*.custom.json` / `*.customAuth.json`). */
export function parseDataActionDefinition(text: string, source = 'definition'): DataActionDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new DataActionsError('definition_invalid', `${source} is not JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  const parsed = dataActionDefinitionSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DataActionsError('definition_invalid', `${source} is not a data action definition: ${issues}`);
  }
  return parsed.data as DataActionDefinition;
}
