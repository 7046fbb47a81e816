import {
  ConversationScenarioParseError,
  conversationScenarioJsonSchema,
  parseConversationScenarios,
  type ConversationScenario,
  type ConversationStep,
} from '@baton/core';

/**
 * The editor's view of `*.conversation.yaml` without VS Code: step labels for the Test Explorer,
 * the keys offered by completion (read from core's JSON Schema, so a new step kind appears without
 * touching this file), the per-step states of a result, and the parse problem to show at its line.
 */

/** `baton.conversationGlob`'s default (package.json says the same; a unit test checks). */
export const DEFAULT_CONVERSATION_GLOB = '**/*.conversation.yaml';

const MAX_TEXT = 60;

function quoted(text: string): string {
  const short = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
  return JSON.stringify(short);
}

/** A Test Explorer label for a step, e.g. `say "hello"`, `expectBot contains "Hi"`. */
export function stepLabel(step: ConversationStep): string {
  if ('say' in step) return `say ${quoted(step.say)}`;
  if ('expectBot' in step) {
    const e = step.expectBot;
    return 'contains' in e ? `expectBot contains ${quoted(e.contains)}` : `expectBot matches /${e.matches}/`;
  }
  if ('expectHandoff' in step) {
    const e = step.expectHandoff;
    const parts = [
      e.queue !== undefined ? `queue ${e.queue}` : undefined,
      e.priority !== undefined ? `priority ${e.priority}` : undefined,
      e.decisionRule !== undefined ? `decisionRule ${quoted(e.decisionRule)}` : undefined,
      e.routingRule !== undefined ? `routingRule ${quoted(e.routingRule)}` : undefined,
    ].filter((p) => p !== undefined);
    return parts.length > 0 ? `expectHandoff ${parts.join(', ')}` : 'expectHandoff';
  }
  if ('expectParticipantData' in step) {
    const pairs = Object.entries(step.expectParticipantData).map(([k, v]) => `${k} contains ${quoted(v)}`);
    return `expectParticipantData ${pairs.join(', ')}`;
  }
  if ('expectAgentAnswers' in step) {
    const queue = step.expectAgentAnswers === true ? undefined : step.expectAgentAnswers.queue;
    return queue === undefined ? 'expectAgentAnswers' : `expectAgentAnswers queue ${queue}`;
  }
  if ('agentSays' in step) return `agentSays ${quoted(step.agentSays)}`;
  if ('expectAgent' in step) return `expectAgent contains ${quoted(step.expectAgent.contains)}`;
  if ('expectDisconnect' in step) return 'expectDisconnect';
  if ('expectDataActionPath' in step) return `expectDataActionPath ${step.expectDataActionPath}`;
  return 'disconnect';
}

export interface SchemaKey {
  key: string;
  description?: string;
}

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  anyOf?: JsonSchemaNode[];
  items?: JsonSchemaNode;
  required?: string[];
  description?: string;
}

/** The keys a step can start with (each step kind's required key), with their descriptions. */
export function stepKeys(schema: JsonSchemaNode = conversationScenarioJsonSchema()): SchemaKey[] {
  const kinds = schema.properties?.steps?.items?.anyOf ?? [];
  return kinds.flatMap((kind) =>
    (kind.required ?? []).map((key) => {
      const description = kind.properties?.[key]?.description;
      return description === undefined ? { key } : { key, description };
    }),
  );
}

/** The keys a step may carry besides its kind (e.g. `timeoutMs`). */
export function stepOptionKeys(schema: JsonSchemaNode = conversationScenarioJsonSchema()): SchemaKey[] {
  const kinds = schema.properties?.steps?.items?.anyOf ?? [];
  const seen = new Map<string, SchemaKey>();
  for (const kind of kinds) {
    for (const [key, node] of Object.entries(kind.properties ?? {})) {
      if ((kind.required ?? []).includes(key) || seen.has(key)) continue;
      seen.set(key, node.description === undefined ? { key } : { key, description: node.description });
    }
  }
  return [...seen.values()];
}

/** The file's top-level keys (`name`, `description`, `steps`). */
export function topLevelKeys(schema: JsonSchemaNode = conversationScenarioJsonSchema()): SchemaKey[] {
  return Object.entries(schema.properties ?? {})
    .filter(([key]) => key !== '$schema')
    .map(([key, node]) => (node.description === undefined ? { key } : { key, description: node.description }));
}

export type CompletionPlace = 'step' | 'stepOption' | 'topLevel' | undefined;

/**
 * Where the cursor is, from the text of its line before it: `  - ex` starts a step, `    ti` under a
 * step item continues one, `na` at column 0 is a top-level key. Anything else (a value) offers nothing.
 */
export function completionPlace(linePrefix: string): CompletionPlace {
  if (/^\s*-\s+[A-Za-z]*$/.test(linePrefix)) return 'step';
  if (/^[A-Za-z]*$/.test(linePrefix)) return 'topLevel';
  if (/^\s+[A-Za-z]*$/.test(linePrefix)) return 'stepOption';
  return undefined;
}

export type StepState = 'passed' | 'failed' | 'skipped';

/**
 * Each step's state from a run's result: the steps before the failing one passed (unless the runner
 * could not check them: skipped), the failing one failed, those after it never ran.
 */
export function stepStates(
  stepCount: number,
  failure: { index: number } | undefined,
  skipped: readonly { index: number }[] = [],
): StepState[] {
  const unchecked = new Set(skipped.map((s) => s.index));
  return Array.from({ length: stepCount }, (_, i) =>
    failure !== undefined && i === failure.index
      ? 'failed'
      : (failure !== undefined && i > failure.index) || unchecked.has(i)
        ? 'skipped'
        : 'passed',
  );
}

/** The text of a failure's message: expected vs actual, then the conversation as the customer saw it. */
export function failureText(
  failure: { index: number; expected: string; actual: string },
  transcript: readonly string[],
): string {
  return [
    `step ${failure.index + 1}: expected ${failure.expected}`,
    `actual: ${failure.actual}`,
    '',
    'transcript:',
    ...(transcript.length > 0 ? transcript.map((t) => `  ${t}`) : ['  (nothing was said)']),
  ].join('\n');
}

export type ParsedConversationFile =
  | { scenarios: ConversationScenario[] }
  | {
      problem: { line: number; message: string };
      /** Every problem core's parser found, in file order (the first is `problem`). */
      problems: readonly { line: number; message: string }[];
    };

/** Core's parser (the one `baton test` uses); a problem keeps its 1-based line and drops the `file:line:` prefix. */
export function parseConversationFile(file: string, text: string): ParsedConversationFile {
  try {
    return { scenarios: parseConversationScenarios(file, text) };
  } catch (error) {
    if (!(error instanceof ConversationScenarioParseError)) throw error;
    const prefix = `${error.file}:${error.line}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return { problem: { line: error.line, message }, problems: error.problems.map((p) => ({ line: p.line, message: p.message })) };
  }
}
