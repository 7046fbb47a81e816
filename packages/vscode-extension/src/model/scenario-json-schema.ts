import { z } from 'zod';
import { scenarioFileSchema } from '@baton/core';

/** JSON Schema of `*.handoff.json`, derived from core's zod schema (the single source). */
export function scenarioJsonSchema(): unknown {
  return { ...z.toJSONSchema(scenarioFileSchema, { io: 'input' }), title: 'Baton handoff scenarios' };
}
