import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.js';
import { assessIntentInputSchema, assessIntentOutputSchema } from './assess-intent.js';
import { handToQueueInputSchema, handToQueueOutputSchema } from './hand-to-queue.js';
import { handoffInputSchema, handoffOutputSchema } from './handoff.js';
import { transcriptInputSchema, transcriptOutputSchema } from './transcript.js';
import { toFieldIssues } from './validate.js';

/**
 * The bridge's action endpoints, as one table: the bridge mounts them, the data-action generator
 * turns each into an importable action, the OpenAPI document and the extension's forms are
 * derived from it. Add an endpoint here and all of them follow.
 */
export interface ActionContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Stable id, used in file names and metrics. */
  id: 'assess-intent' | 'transcript' | 'hand-to-queue' | 'handoff';
  /** Path on the bridge. */
  path: string;
  /** Data action name shown in Genesys. */
  title: string;
  description: string;
  input: I;
  output: O;
  /** Writes to Genesys (participant data, transfer): the extension confirms before running on a real org. */
  writes: boolean;
}

export const actionContracts = [
  {
    id: 'assess-intent',
    path: '/v1/actions/assess-intent',
    title: 'Baton - Assess Intent',
    description:
      "Decide whether the bot should hand off: intent and confidence from the flow's inputs, the bot's participant data, or bot-flow analytics, against a threshold.",
    input: assessIntentInputSchema,
    output: assessIntentOutputSchema,
    writes: false,
  },
  {
    id: 'transcript',
    path: '/v1/actions/transcript',
    title: 'Baton - Build Transcript',
    description: 'The conversation so far, ordered by timestamp and labelled customer / bot / agent, fitted to a budget.',
    input: transcriptInputSchema,
    output: transcriptOutputSchema,
    writes: false,
  },
  {
    id: 'hand-to-queue',
    path: '/v1/actions/hand-to-queue',
    title: 'Baton - Hand To Queue',
    description:
      "Write the agent's context as participant data, then return the queue for the flow's Transfer to ACD (flow mode) or transfer via the API (api mode).",
    input: handToQueueInputSchema,
    output: handToQueueOutputSchema,
    writes: true,
  },
  {
    id: 'handoff',
    path: '/v1/actions/handoff',
    title: 'Baton - Handoff',
    description: 'The whole handoff in one call: decision, transcript, agent context, queue.',
    input: handoffInputSchema,
    output: handoffOutputSchema,
    writes: true,
  },
] as const satisfies readonly ActionContract[];

export type ActionId = (typeof actionContracts)[number]['id'];

type ContractOf<Id extends ActionId> = Extract<(typeof actionContracts)[number], { id: Id }>;
/** An action's input once its contract parsed it (numbers from text, "" as absent). */
export type ActionInput<Id extends ActionId> = z.output<ContractOf<Id>['input']>;
export type ActionOutput<Id extends ActionId> = z.output<ContractOf<Id>['output']>;

export function actionContract<Id extends ActionId>(id: Id): ContractOf<Id> {
  const found = actionContracts.find((a): a is ContractOf<Id> => a.id === id);
  if (!found) throw new Error(`unknown action ${id}`);
  return found;
}

/**
 * An action's input, parsed once where it comes in (the bridge, or the service's own methods), or a
 * ValidationError naming every bad field. Architect inputs are flat scalars
 * (docs/genesys-facts.md#data-action-contracts), so an object or array in a known field is refused
 * by name too. Unknown fields are dropped: a data action's request template may send more than a
 * step reads.
 */
export function parseActionInput<Id extends ActionId>(id: Id, body: unknown): ActionInput<Id> {
  const schema: z.ZodObject = actionContract(id).input;
  const flatIssues: FieldIssue[] = [];
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      if (Object.hasOwn(schema.shape, key) && value !== null && typeof value === 'object') {
        flatIssues.push({ field: key, problem: 'expected a single value (string, number or boolean), not an object or array' });
      }
    }
  }
  const result = schema.safeParse(body);
  if (flatIssues.length === 0 && result.success) return result.data as ActionInput<Id>;
  const flagged = new Set(flatIssues.map((i) => i.field));
  const contractIssues = result.success ? [] : toFieldIssues(result.error).filter((i) => !flagged.has(i.field));
  throw new ValidationError([...flatIssues, ...contractIssues]);
}
