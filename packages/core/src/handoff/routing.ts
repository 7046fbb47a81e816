import { z } from 'zod';
import { genesysIdSchema } from '../contracts/common.js';
import { BatonError } from '../errors.js';
import { presentValue } from './decision.js';

/*
 * The routing table: which queue, at which priority, for which intent (and optionally exit reason).
 * The logic flow authors otherwise hard-code in Architect decision trees, in one file the bridge
 * loads and validates at start (BATON_ROUTING_FILE). JSON:
 *
 *   {
 *     "default": { "queueName": "General Support", "priority": 5 },
 *     "routes": [
 *       { "intent": "CancelOrder", "queueName": "Orders", "priority": 6 },
 *       { "exitReason": "AgentRequestedByUser", "queueId": "<uuid>", "priority": 8 }
 *     ]
 *   }
 *
 * The first entry of `routes` that matches wins (intent and exit reason compared case-insensitively;
 * an entry naming both needs both). No match: `default`; a default without a queue, or no file:
 * GENESYS_QUEUE_ID. A queueId input wins over all of it.
 */

const targetShape = {
  queueId: genesysIdSchema.optional(),
  queueName: z.string().trim().min(1).max(256).optional(),
  priority: z.number().int().min(1).max(10).optional(),
};

/** NOT_SET is Architect's "no intent": an entry for it would never be what the author meant. */
const isRealIntent = (value: string | undefined) => value === undefined || presentValue(value) !== undefined;

const routeSchema = z
  .object({
    intent: z.string().trim().min(1).max(256).optional(),
    exitReason: z.string().trim().min(1).max(64).optional(),
    ...targetShape,
  })
  .strict()
  .refine((r) => r.intent !== undefined || r.exitReason !== undefined, {
    message: 'an entry needs an intent, an exitReason or both',
  })
  .refine((r) => isRealIntent(r.intent), { message: 'NOT_SET is no intent: leave the entry to default', path: ['intent'] })
  .refine((r) => (r.queueId === undefined) !== (r.queueName === undefined), {
    message: 'an entry needs exactly one of queueId and queueName',
  });

const defaultSchema = z
  .object(targetShape)
  .strict()
  .refine((d) => d.queueId === undefined || d.queueName === undefined, {
    message: 'the default takes at most one of queueId and queueName',
  });

const fileSchema = z
  .object({ default: defaultSchema.optional(), routes: z.array(routeSchema).max(1000) })
  .strict();

/** A queue as the routing file names it: by id, or by name (resolved through the queue cache). */
export type QueueSpec = { id: string } | { name: string };

export interface RouteTarget {
  queue?: QueueSpec | undefined;
  priority?: number | undefined;
  /** Where it is written: `routes/2 (line 14)`, `default (line 2)`. */
  where: string;
}

export interface RoutingEntry extends RouteTarget {
  intent?: string | undefined;
  exitReason?: string | undefined;
}

export interface RoutingTable {
  routes: readonly RoutingEntry[];
  default?: RouteTarget | undefined;
}

/** What a handoff knows when it routes. */
export interface RouteFacts {
  intent?: string | undefined;
  exitReason?: string | undefined;
}

/** The first entry that matches the facts, else the table's default, else nothing. */
export function chooseRoute(
  table: RoutingTable | undefined,
  facts: RouteFacts,
): { target: RouteTarget; matched: boolean } | undefined {
  if (!table) return undefined;
  const intent = presentValue(facts.intent)?.toLowerCase();
  const exitReason = presentValue(facts.exitReason)?.toLowerCase();
  const entry = table.routes.find(
    (r) =>
      (r.intent === undefined || r.intent.toLowerCase() === intent) &&
      (r.exitReason === undefined || r.exitReason.toLowerCase() === exitReason),
  );
  if (entry) return { target: entry, matched: true };
  return table.default ? { target: table.default, matched: false } : undefined;
}

/** An entry in words, for the routingRule output: `routes/1 (line 9: intent CancelOrder)`. */
export function describeEntry(entry: RoutingEntry): string {
  const when = [
    entry.intent !== undefined ? `intent ${entry.intent}` : undefined,
    entry.exitReason !== undefined ? `exit reason ${entry.exitReason}` : undefined,
  ].filter(Boolean);
  return when.length ? `${entry.where}: ${when.join(', ')}` : entry.where;
}

/**
 * The routing file parsed and validated. Bad JSON or a bad entry throws `configuration_invalid`
 * naming the file, the JSON pointer and the line of every problem, so start-up stops on it.
 */
export function parseRoutingTable(text: string, source: string): RoutingTable {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(lineStarts(text), Number(position[1])) : undefined;
    throw invalid(source, [`${line ? `line ${line}: ` : ''}not JSON (${message})`]);
  }
  const lines = pointerLines(text);
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw invalid(
      source,
      parsed.error.issues.map((issue) => {
        const pointer = `/${issue.path.join('/')}`;
        return `${pointer} (line ${nearestLine(lines, issue.path)}): ${issue.message}`;
      }),
    );
  }
  const at = (path: (string | number)[]) => `${path.join('/')} (line ${nearestLine(lines, path)})`;
  const target = (t: z.infer<typeof defaultSchema>, path: (string | number)[]): RouteTarget => ({
    queue: t.queueId !== undefined ? { id: t.queueId } : t.queueName !== undefined ? { name: t.queueName } : undefined,
    priority: t.priority,
    where: at(path),
  });
  const file = parsed.data;
  return Object.freeze({
    routes: Object.freeze(
      file.routes.map((r, i) =>
        Object.freeze({ ...target(r, ['routes', i]), intent: r.intent, exitReason: r.exitReason }),
      ),
    ),
    default: file.default ? Object.freeze(target(file.default, ['default'])) : undefined,
  });
}

function invalid(source: string, problems: string[]): BatonError {
  return new BatonError(
    'configuration_invalid',
    `Invalid routing file ${source}: ${problems.join('; ')}`,
    { details: { problems } },
  );
}

/** The line of the deepest value on `path` the file has (a missing key: its object's line). */
function nearestLine(lines: ReadonlyMap<string, number>, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n -= 1) {
    const line = lines.get(pointerOf(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return 1;
}

function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], position: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * The line every value of a valid JSON text starts on, by JSON pointer. JSON.parse keeps no
 * positions, and a message that names the line is what makes a bad entry quick to fix.
 */
function pointerLines(text: string): Map<string, number> {
  const starts = lineStarts(text);
  const lines = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i += 1;
  };
  const str = (): string => {
    const from = i;
    i += 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(from, i)) as string;
  };
  const value = (pointer: string): void => {
    ws();
    lines.set(pointer, lineAt(starts, i));
    const c = text[i];
    if (c === '{' || c === '[') {
      i += 1;
      ws();
      const close = c === '{' ? '}' : ']';
      let index = 0;
      while (text[i] !== close && i < text.length) {
        ws();
        let key = String(index);
        if (c === '{') {
          key = str();
          ws();
          i += 1; // ':'
        }
        value(`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        ws();
        if (text[i] === ',') i += 1;
        index += 1;
        ws();
      }
      i += 1;
    } else if (c === '"') str();
    else while (i < text.length && !/[\s,\]}]/.test(text[i] ?? '')) i += 1;
  };
  value('');
  return lines;
}
