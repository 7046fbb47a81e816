/**
 * How Genesys's agent UI shows a conversation's participant data (docs/genesys-facts.md#participant-data):
 * an attribute named `conversationDetails.participantData.<Name>` is shown as `<Name>`, its value's
 * display prefix (`longtext:`, `number:`, …) choosing how it is drawn; any other attribute stays on
 * the participant without being shown. The console and the editor's chat draw the agent's view with it.
 */
export const AGENT_VISIBLE_PREFIX = 'conversationDetails.participantData.';

export const DISPLAY_PREFIXES = ['identifier', 'number', 'date', 'checkbox', 'longtext'] as const;

export type AgentDataDisplay = 'text' | (typeof DISPLAY_PREFIXES)[number];

export interface AgentDataEntry {
  /** The attribute's name as stored. */
  readonly key: string;
  /** The name the agent sees. */
  readonly label: string;
  /** The value without its display prefix. */
  readonly value: string;
  readonly display: AgentDataDisplay;
  /** False for attributes the agent's UI does not show (machine keys such as `bot.*`, `baton.*`). */
  readonly agentVisible: boolean;
}

/** One attribute as the agent sees it. */
export function agentDataEntry(key: string, raw: string): AgentDataEntry {
  const agentVisible = key.startsWith(AGENT_VISIBLE_PREFIX);
  const prefix = agentVisible ? DISPLAY_PREFIXES.find((p) => raw.startsWith(`${p}:`)) : undefined;
  return {
    key,
    label: agentVisible ? key.slice(AGENT_VISIBLE_PREFIX.length) : key,
    value: prefix ? raw.slice(prefix.length + 1) : raw,
    display: prefix ?? 'text',
    agentVisible,
  };
}

/** Every attribute as the agent sees it: the shown ones first, each group in the order written. */
export function agentDataEntries(participantData: Readonly<Record<string, string>>): AgentDataEntry[] {
  const entries = Object.entries(participantData).map(([k, v]) => agentDataEntry(k, v));
  return [...entries.filter((e) => e.agentVisible), ...entries.filter((e) => !e.agentVisible)];
}
