/**
 * Where conversation scenarios run: the port between the runner (which plays the customer over
 * the Guest API) and an org. The sandbox's in-process loop (sandbox-target.ts) and a real org's
 * deployment reached only through URLs and client credentials (real-org-target.ts) implement it.
 */

/** The handoff as the org shows it: the queue the conversation reached, with what the agent sees. */
export interface HandoffObservation {
  readonly conversationId: string;
  readonly queue: { readonly id: string; readonly name: string };
  /** The routing priority it waits (or waited) with. */
  readonly priority: number | undefined;
  /** The customer's participant data. */
  readonly participantData: Readonly<Record<string, string>>;
  /** Whether an agent has answered. */
  readonly agentAnswered: boolean;
  /**
   * Whether this can no longer change (the conversation left the queue): a mismatch is then final.
   * Until then the runner keeps looking, since priority and participant data may still be written.
   */
  readonly settled: boolean;
  /**
   * Which handoff this is (the queue participant's id, or the answer): a customer who returns after
   * the agent ended it is handed off again on the same conversation, and steps after that `disconnect`
   * wait for the new one.
   */
  readonly episode?: string;
}

/** Baton's decision and routing rules for a conversation (from its handoff trace). */
export interface HandoffRules {
  decisionRule?: string;
  routingRule?: string;
}

/** Who plays the agent: a simulated one (the sandbox), a human watched through the API, or nobody. */
export type AgentSide =
  | {
      readonly kind: 'simulated';
      reply(conversationId: string, text: string): void;
      disconnect(conversationId: string): void;
    }
  | { readonly kind: 'human' }
  | { readonly kind: 'none' };

export interface ConversationTarget {
  /** For the report's banner, e.g. `the sandbox` or `deployment … at wss://…`. */
  readonly description: string;
  /** The sandbox can be set up per scenario (`sandbox:` in the file); a real org cannot. */
  readonly simulated: boolean;
  /** The Guest API origin (`/v1?deploymentId=` is added) and the deployment a guest connects to. */
  readonly webMessaging: {
    readonly origin: string;
    readonly deploymentId: string;
    /**
     * How long the guest client holds pushed messages to put them back in time order (default the
     * client's): Genesys may deliver them out of order; a target that never does can say 0.
     */
    readonly reorderWindowMs?: number;
  };
  /** How often to look at the org while waiting for a handoff (a real org's calls cost rate budget). */
  readonly pollMs: number;
  /**
   * The longest wait between looks at the handoff while it does not change: the wait doubles from
   * `pollMs` up to this (`pollBackoff`). Default `pollMs`: no backoff (the sandbox's looks are free).
   */
  readonly pollMaxMs?: number;
  /**
   * The conversation of the guest session `token`, given the ids of the messages it sent (each as
   * the service echoed it); undefined while the org does not know it yet.
   */
  conversationIdOf(guest: { token: string; sentMessageIds: readonly string[] }): Promise<string | undefined>;
  /** The handoff so far; undefined until the conversation is observed in a queue. */
  observeHandoff(conversationId: string): Promise<HandoffObservation | undefined>;
  /** Absent where Baton's handoff trace cannot be read (a real org: the trace is the deployed bridge's). */
  rulesOf?(conversationId: string): Promise<HandoffRules>;
  readonly agent: AgentSide;
  /**
   * The output path the flow's last Call Data Action of the conversation took, once it took one.
   * Absent where the flow run cannot be seen (a real org).
   */
  dataActionPathOf?(conversationId: string): Promise<DataActionPath | undefined>;
}

export type DataActionPath = 'success' | 'failure' | 'timeout';
