import { AGENT_VISIBLE_PREFIX } from '@baton/sandbox';

/**
 * "Save as Scenario": what happened in a Chat as Customer conversation, as a conversation scenario
 * (`*.conversation.yaml`, core's `conversationScenarioFileSchema`) whose expectations are the
 * observed outcome, so running it again with `baton test` passes until the behaviour changes.
 * Pure: the panel records the conversation, this writes the file's text. No vscode here.
 */

/** What the panel observed, in the order it observed it. */
export type ChatRecordEvent =
  | { kind: 'customer'; text: string }
  | { kind: 'bot'; text: string }
  /** `fromPanel`: typed in the panel as the agent (becomes `agentSays`); otherwise a scripted agent's. */
  | { kind: 'agent'; text: string; fromPanel: boolean }
  | {
      kind: 'handoff';
      queue: string;
      priority?: number;
      /** Baton's applied decision rule as `expectHandoff` reads it: `<rule name>: <decision>`. */
      decisionRule?: string;
      /** The customer's participant data when the agent answered (raw keys and values). */
      participantData: Record<string, string>;
      /** False where no agent answered while the panel watched (a real org's queue): no `expectAgentAnswers`. Default true. */
      agentAnswered?: boolean;
    }
  /** `byPanel`: the panel's agent ended it (becomes `disconnect`); otherwise it was ended elsewhere. */
  | { kind: 'disconnect'; byPanel: boolean };

export interface ChatRecord {
  readonly events: readonly ChatRecordEvent[];
}

/** A fragment this long is enough to tell replies apart and short enough to survive rewording elsewhere. */
const FRAGMENT_MAX = 48;
/** Agent-visible keys worth asserting, most telling first (AGENT_CONTEXT_KEYS in @baton/core). */
const PREFERRED_KEYS = ['Baton Exit Reason', 'Baton Intent', 'Baton Confidence', 'Baton Summary', 'Baton Reason'];
const PARTICIPANT_DATA_KEYS = 2;

/** Cuts at a word boundary to at most `max` characters. */
function cut(text: string, max = FRAGMENT_MAX): string {
  const t = text.trim();
  if (t.length <= max) return t;
  const head = t.slice(0, max);
  const space = head.lastIndexOf(' ');
  return (space > max / 2 ? head.slice(0, space) : head).trim();
}

/**
 * A short fragment of `reply` for `expectBot: { contains }`: its longest sentence (cut to
 * FRAGMENT_MAX) that no other reply of the conversation contains, so the expectation names this
 * reply and not the greeting every conversation starts with.
 */
export function distinctiveFragment(reply: string, others: readonly string[]): string {
  const sentences = reply
    .split(/(?<=[.!?])\s+/)
    .map((s) => cut(s))
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  const distinct = sentences.find((s) => !others.some((o) => o !== reply && o.includes(s)));
  return distinct ?? sentences[0] ?? cut(reply);
}

/** The participant data to expect: a couple of agent-visible keys, by their agent-facing name, each with a fragment of its value. */
export function participantDataExpectations(data: Record<string, string>): Record<string, string> {
  const visible = Object.entries(data)
    .filter(([k, v]) => k.startsWith(AGENT_VISIBLE_PREFIX) && v.trim().length > 0)
    .map(([k, v]) => [k.slice(AGENT_VISIBLE_PREFIX.length), v] as const);
  const rank = (name: string) => {
    const i = PREFERRED_KEYS.indexOf(name);
    return i < 0 ? PREFERRED_KEYS.length : i;
  };
  const chosen = visible.sort((a, b) => rank(a[0]) - rank(b[0])).slice(0, PARTICIPANT_DATA_KEYS);
  // The value keeps its display prefix (`longtext:`, `number:`): a fragment after it is still contained.
  return Object.fromEntries(chosen.map(([k, v]) => [k, cut(v.replace(/^(identifier|number|date|checkbox|longtext):/, ''))]));
}

/** `customer_asked_for_agent: Hand off: …` → `customer_asked_for_agent` (the rule's name, stable across wording). */
function ruleName(decisionRule: string): string {
  return decisionRule.split(':')[0]!.trim();
}

/** The scenario's steps, in the order things happened. */
export function scenarioSteps(record: ChatRecord): Record<string, unknown>[] {
  const botReplies = record.events.flatMap((e) => (e.kind === 'bot' ? [e.text] : []));
  const agentTexts = record.events.flatMap((e) => (e.kind === 'agent' ? [e.text] : []));
  const steps: Record<string, unknown>[] = [];
  for (const e of record.events) {
    switch (e.kind) {
      case 'customer':
        steps.push({ say: e.text });
        break;
      case 'bot':
        steps.push({ expectBot: { contains: distinctiveFragment(e.text, botReplies) } });
        break;
      case 'agent':
        if (e.fromPanel) steps.push({ agentSays: e.text });
        steps.push({ expectAgent: { contains: distinctiveFragment(e.text, agentTexts) } });
        break;
      case 'handoff': {
        const rule = e.decisionRule ? ruleName(e.decisionRule) : '';
        steps.push({
          expectHandoff: { queue: e.queue, ...(e.priority !== undefined ? { priority: e.priority } : {}), ...(rule ? { decisionRule: rule } : {}) },
        });
        const data = participantDataExpectations(e.participantData);
        if (Object.keys(data).length > 0) steps.push({ expectParticipantData: data });
        if (e.agentAnswered !== false) steps.push({ expectAgentAnswers: { queue: e.queue } });
        break;
      }
      case 'disconnect':
        if (e.byPanel) steps.push({ disconnect: true });
        steps.push({ expectDisconnect: true });
        break;
    }
  }
  return steps;
}

/** A scenario name from the conversation's first customer message. */
export function defaultScenarioName(record: ChatRecord): string {
  const first = record.events.find((e) => e.kind === 'customer');
  return first ? `Chat: ${cut(first.text, 60)}` : 'Chat as Customer';
}

/** A file name (`<slug>.conversation.yaml`) for a scenario name. */
export function scenarioFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/^chat:\s*/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return `${slug || 'chat'}.conversation.yaml`;
}

const SUFFIX = '.conversation.yaml';

/** `x.yaml` / `x.yml` / `x` → `x.conversation.yaml`: the suffix conversation scenarios are found by. */
export function withScenarioSuffix(file: string): string {
  if (file.endsWith(SUFFIX)) return file;
  return `${file.replace(/\.ya?ml$/, '')}${SUFFIX}`;
}

/**
 * The file's text. Every string is written as a JSON string, which YAML reads as a double-quoted
 * scalar: a customer's text with `:`, `#` or quotes cannot change the document's structure.
 */
export function conversationScenarioYaml(record: ChatRecord, options: { name?: string; recordedAt?: string } = {}): string {
  const steps = scenarioSteps(record);
  if (!steps.some((s) => 'say' in s)) throw new Error('Nothing to save: the customer has not said anything yet.');
  const name = options.name?.trim() || defaultScenarioName(record);
  const q = (v: unknown) => JSON.stringify(v);
  const flow = (o: Record<string, unknown>) => `{ ${Object.entries(o).map(([k, v]) => `${q(k)}: ${q(v)}`).join(', ')} }`;
  const lines = [
    `# Saved from "Baton: Chat as Customer"${options.recordedAt ? ` on ${options.recordedAt}` : ''}: the expectations are what happened then.`,
    `name: ${q(name)}`,
    'steps:',
  ];
  for (const step of steps) {
    const [[key, value]] = Object.entries(step) as [[string, unknown]];
    if (typeof value === 'object' && value !== null) lines.push(`  - ${key}: ${flow(value as Record<string, unknown>)}`);
    else lines.push(`  - ${key}: ${q(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
