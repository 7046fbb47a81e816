import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';

/**
 * Conversation scenarios (`*.conversation.yaml`): a conversation driven from the customer's side,
 * each step either something the customer does or something the customer (or the org) should see.
 * Also accepted: the documented YAML of the open-source Genesys Cloud chatbot tester
 * (ovotech/genesys-web-messaging-tester: `scenarios:` mapping a name to a list of `say`,
 * `waitForReplyContaining`, `waitForReplyMatching`), so suites users already have run offline.
 */
const timeoutMs = z
  .number()
  .int()
  .positive()
  .max(600_000)
  .optional()
  .describe('How long this step may wait (default 10000 ms)');

const text = z.string().min(1);

export const conversationStepSchema = z.union([
  z.strictObject({ say: text.describe('The customer sends this text'), timeoutMs }),
  z.strictObject({
    expectBot: z
      .union([
        z.strictObject({ contains: text }),
        z.strictObject({ matches: text.describe('A JavaScript regular expression') }),
      ])
      .describe("The bot's (or the flow's) next reply contains / matches this"),
    timeoutMs,
  }),
  z.strictObject({
    expectHandoff: z
      .strictObject({
        queue: text.optional().describe('The queue name (or id) the conversation was transferred to'),
        priority: z.number().int().optional(),
        decisionRule: text.optional().describe("Baton's decision rule contains this"),
        routingRule: text.optional().describe("Baton's routing rule contains this"),
      })
      .describe('The flow transferred the conversation to a queue'),
    timeoutMs,
  }),
  z.strictObject({
    expectParticipantData: z
      .record(z.string(), text)
      .describe('Participant data key (as the agent sees it) → the value contains this'),
    timeoutMs,
  }),
  z.strictObject({
    expectAgentAnswers: z
      .union([z.literal(true), z.strictObject({ queue: text.optional() })])
      .describe('An agent answers (optionally of this queue)'),
    timeoutMs,
  }),
  z.strictObject({ agentSays: text.describe('The answering agent sends this text'), timeoutMs }),
  z.strictObject({
    expectAgent: z.strictObject({ contains: text }).describe("The agent's next message contains this"),
    timeoutMs,
  }),
  z.strictObject({
    expectDisconnect: z
      .literal(true)
      .describe('The conversation is disconnected (the guest sees Presence Disconnect)'),
    timeoutMs,
  }),
  z.strictObject({ disconnect: z.literal(true).describe('The agent ends the conversation'), timeoutMs }),
  z.strictObject({
    expectDataActionPath: z
      .enum(['success', 'failure', 'timeout'])
      .describe(
        "The flow's Call Data Action took this output path (seen on the sandbox only; a real org's flow run is not observable, so skipped there)",
      ),
    timeoutMs,
  }),
]);
export type ConversationStep = z.infer<typeof conversationStepSchema>;

/**
 * How the sandbox behaves for this scenario: the outcomes a healthy sandbox never shows (Baton
 * unreachable or late, a returning customer). A real org cannot be set up so: there the scenario is
 * skipped with this as its reason.
 */
export const conversationSandboxSetupSchema = z
  .strictObject({
    bridge: z
      .literal('unreachable')
      .optional()
      .describe("The flow's data actions reach no bridge (connection refused): the flow's Failure path"),
    dataActionTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(60)
      .optional()
      .describe("The exported data actions' timeout (Genesys allows 1–60 s)"),
    platformApiLatencyMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .optional()
      .describe('Every Platform API answer is this late (so is the handoff that makes the calls)'),
    conversationDisconnect: z
      .enum(['shown', 'hidden'])
      .optional()
      .describe(
        "The deployment's conversation-disconnect display: hidden = the guest is not shown the end, and its next message threads into the same conversation (a returning customer)",
      ),
  })
  .describe('Sandbox only: how the simulated org behaves for this scenario');
export type ConversationSandboxSetup = z.infer<typeof conversationSandboxSetupSchema>;

export const conversationScenarioFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: text.describe('What this conversation shows'),
    description: z.string().optional(),
    sandbox: conversationSandboxSetupSchema.optional(),
    steps: z.array(conversationStepSchema).min(1),
  })
  .describe('A Baton conversation scenario (*.conversation.yaml)');

/** The chatbot tester's documented format (ovotech/genesys-web-messaging-tester README). */
export const chatbotTesterStepSchema = z.union([
  z.strictObject({ say: text }),
  z.strictObject({ waitForReplyContaining: text }),
  z.strictObject({ waitForReplyMatching: text }),
]);
export const chatbotTesterFileSchema = z.strictObject({
  config: z
    .object({
      deploymentId: z.string().optional(),
      region: z.string().optional(),
      origin: z.string().optional(),
    })
    .optional(),
  scenarios: z.record(z.string(), z.array(chatbotTesterStepSchema).min(1)),
});

/** One scenario as the runner sees it: each step with the line it was written on. */
export interface ConversationScenario {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly steps: readonly { readonly step: ConversationStep; readonly line: number }[];
  /** How the sandbox behaves for it (absent: as configured); a real org skips such a scenario. */
  readonly sandbox?: ConversationSandboxSetup;
}

/** A file that is not a valid scenario file; the message names `file:line`. */
export class ConversationScenarioParseError extends Error {
  /** Every problem found, in file order; the message is the first one's. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
    problems?: readonly { readonly line: number; readonly message: string }[],
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'ConversationScenarioParseError';
    this.problems = problems && problems.length > 0 ? problems : [{ line, message: detail }];
  }
}

/** The JSON Schema the editor validates `*.conversation.yaml` with. */
export function conversationScenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(conversationScenarioFileSchema, { target: 'draft-7' }) as Record<string, unknown>;
}

/** Parses one `*.conversation.yaml` (Baton's format, or the chatbot tester's) into scenarios. */
export function parseConversationScenarios(file: string, source: string): ConversationScenario[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true });
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({ line: lineAt(e.pos[0]), message: e.message.split('\n')[0]! }));
    throw new ConversationScenarioParseError(file, problems[0]!.line, problems[0]!.message, problems);
  }
  const nodeAt = (path: readonly PropertyKey[]): YamlNode | undefined => {
    // The deepest node on the path that exists, so an error on a missing key names its parent's line.
    let node: unknown = doc.contents;
    let found = node as YamlNode | undefined;
    for (const key of path) {
      if (isMap(node)) node = node.get(key as string, true);
      else if (isSeq(node)) node = node.get(key as number, true);
      else break;
      if (node === undefined) break;
      found = node as YamlNode;
    }
    return found;
  };
  const lineOf = (path: readonly PropertyKey[]) => lineAt(nodeAt(path)?.range?.[0]);
  // A scenario is named by its key: its line is the key's, not its step list's.
  const keyLine = (name: string) => {
    const scenarios = doc.get('scenarios', true);
    const pair = isMap(scenarios) ? scenarios.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === name) : undefined;
    return isScalar(pair?.key) ? lineAt(pair.key.range?.[0]) : lineOf(['scenarios', name]);
  };
  const data: unknown = doc.toJS();
  const isTester = typeof data === 'object' && data !== null && 'scenarios' in data;
  const parsed = (isTester ? chatbotTesterFileSchema : conversationScenarioFileSchema).safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => ({
        line: lineOf(issue.path),
        message: `${issue.message}${issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''}`,
      }))
      .sort((a, b) => a.line - b.line);
    throw new ConversationScenarioParseError(file, problems[0]!.line, problems[0]!.message, problems);
  }
  if (!isTester) {
    const f = parsed.data as z.infer<typeof conversationScenarioFileSchema>;
    return [
      {
        file,
        name: f.name,
        line: lineOf(['name']),
        steps: f.steps.map((step, i) => ({ step, line: lineOf(['steps', i]) })),
        ...(f.sandbox && { sandbox: f.sandbox }),
      },
    ];
  }
  const f = parsed.data as z.infer<typeof chatbotTesterFileSchema>;
  return Object.entries(f.scenarios).map(([name, steps]) => ({
    file,
    name,
    line: keyLine(name),
    steps: steps.map((s, i) => {
      const step: ConversationStep =
        'say' in s
          ? { say: s.say }
          : 'waitForReplyContaining' in s
            ? { expectBot: { contains: s.waitForReplyContaining } }
            : { expectBot: { matches: s.waitForReplyMatching } };
      return { step, line: lineOf(['scenarios', name, i]) };
    }),
  }));
}
