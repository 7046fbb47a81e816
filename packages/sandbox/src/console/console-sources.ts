/**
 * What the console shows beyond the simulated org's own state, given by whoever runs a flow and a
 * bridge on this sandbox (`baton serve` in sandbox mode). The sandbox knows neither: these shapes
 * are the console's own, and the bridge's wiring translates into them.
 */

/** One step of the flow's path, as the console's timeline draws it. */
export interface ConsoleTimelineEvent {
  /** Increasing per store: the page keys its list items on it. */
  readonly seq: number;
  /** When the step was taken (ISO 8601). */
  readonly at: string;
  /** The Architect action, e.g. `Call Data Action`, `Transfer to ACD`. */
  readonly step: string;
  /** The action's name in the flow. */
  readonly name: string;
  /** The output it took: a bot's exit reason, Success/Failure/Timeout, a decision's Yes/No. */
  readonly outcome?: string;
  /** e.g. the data action called, the bot's intent, the queue and priority. */
  readonly detail?: string;
  readonly durationMs?: number;
}

/** A conversation's timeline: its newest steps, and how many older ones the bounded store let go. */
export interface ConsoleTimeline {
  readonly events: readonly ConsoleTimelineEvent[];
  readonly dropped: number;
}

/** One Platform API call of a handoff, as the trace store holds it (already redacted); no bodies. */
export interface ConsoleApiCall {
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
}

/** Baton's handoff trace for a conversation, reduced to what a person reads on the console. */
export interface ConsoleHandoffTrace {
  readonly handoffId: string;
  readonly status: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly error?: { readonly code: string; readonly message: string };
  readonly steps: readonly { readonly step: string; readonly outcome: string; readonly summary: string; readonly durationMs: number }[];
  readonly calls: readonly ConsoleApiCall[];
}

/**
 * What the page replays for the customer, in order: a line the customer says, or a wait for the
 * bot's (or the agent's) reply the scenario expects, so the next line goes after it as written.
 */
export type ConsoleReplayStep =
  | { readonly say: string }
  | { readonly waitFor: { readonly from: 'bot' | 'agent'; readonly contains?: string; readonly matches?: string; readonly timeoutMs: number } };

/** The agent's part of a scenario, played by the sandbox's answering agent (its script: its lines as it answers, then maybe the end). */
export interface ConsoleAgentScript {
  readonly replies: readonly string[];
  readonly disconnect: boolean;
}

/** A seeded conversation scenario the console can replay. */
export interface ConsoleScenario {
  readonly id: string;
  readonly name: string;
  readonly file: string;
  /** The customer's lines, in order. */
  readonly says: readonly string[];
  /** The customer's part with its waits (default: each line waits for any reply). */
  readonly replay?: readonly ConsoleReplayStep[];
  /** The agent's part, when the scenario has one. */
  readonly agent?: ConsoleAgentScript;
  /** The steps the console does not replay as written, each with its line and why (shown beside the replay). */
  readonly notes?: readonly string[];
}

export interface ConsoleSources {
  /** The flow's path for a conversation; absent when no flow runs on this sandbox. */
  timelineOf?(conversationId: string): ConsoleTimeline;
  /** Baton's handoff traces for a conversation (newest first); absent when no bridge runs here. */
  handoffTracesOf?(conversationId: string): Promise<readonly ConsoleHandoffTrace[]>;
  /** Scenarios the page offers to replay. */
  scenarios?: readonly ConsoleScenario[];
}

/** How a runner of flows and bridges plugs its views into a running sandbox's console. */
export interface ConsoleConnector {
  /** Replaces the console's sources; returns a function that removes them again. */
  attach(sources: ConsoleSources): () => void;
  /** The sources in force (none until attached). */
  readonly sources: ConsoleSources;
}

export function createConsoleConnector(): ConsoleConnector {
  let current: ConsoleSources = {};
  return {
    attach(sources) {
      current = sources;
      return () => {
        if (current === sources) current = {};
      };
    },
    get sources() {
      return current;
    },
  };
}
