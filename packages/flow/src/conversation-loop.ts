import type { Clock } from '@baton/core';
import type { DataActionCredentials, DataActionDefinition } from '@baton/data-actions';
import type { GuestApi, GuestMessageEvent, SandboxOrg } from '@baton/sandbox';
import { createDataActionCaller } from './data-action-caller.js';
import { FlowLoadError } from './flow-error.js';
import type { FlowHost } from './flow-host.js';
import { loadFlow, type InboundMessageFlow } from './load-flow.js';
import { runFlow, type FlowRunResult, type FlowTraceEntry } from './run-flow.js';
import { createSandboxFlowHost, type BotProvider, type FlowOrgPorts } from './sandbox-host.js';

export interface ConversationLoopOptions {
  sandbox: { guest: Pick<GuestApi, 'onGuestMessage' | 'sendOutbound' | 'disconnect'>; org: SandboxOrg };
  /** The flow, loaded or as Archy YAML text (e.g. the file `baton export-actions --format archy` wrote). */
  flow: InboundMessageFlow | string;
  /** The data-action definitions the flow's Call Data Actions name. */
  dataActions: readonly DataActionDefinition[];
  /** The integration's credentials. */
  credentials: DataActionCredentials;
  customAuthAction?: DataActionDefinition;
  /** Default: a sandbox FlowHost (`createSandboxFlowHost`) with `bots` and `org`. */
  host?: FlowHost;
  bots?: BotProvider;
  org?: FlowOrgPorts;
  fetch?: typeof fetch;
  startTimer?: Clock['setTimer'];
  /** Each step of every run as it is taken (`runFlow`'s onTraceEntry): the console's live timeline. */
  onTraceEntry?: (conversationId: string, entry: FlowTraceEntry) => void;
  /** Times Call Data Action's duration; default the system clock. */
  clock?: Pick<Clock, 'now'>;
  /** Each finished run (a transfer, a disconnect, an error). */
  onRunEnd?: (conversationId: string, result: FlowRunResult) => void;
  /** A run that threw something other than a flow error (a host failure). */
  onError?: (conversationId: string, error: unknown) => void;
}

export interface ConversationLoop {
  readonly flow: InboundMessageFlow;
  /** The run of a conversation, once its first message arrived (tests await it). */
  runOf(conversationId: string): Promise<FlowRunResult> | undefined;
  /** Stops listening; runs in progress see the customer leave. */
  close(): void;
}

interface ConversationSlot {
  run: Promise<FlowRunResult>;
  inbox: string[];
  waiting?: (text: string | undefined) => void;
  left: boolean;
  /** The run finished: later messages are an agent's business, unless a flow holds the conversation again. */
  done: boolean;
}

/**
 * Runs the inbound message flow for every guest conversation: a conversation's first text message
 * starts a run, later ones feed the bot the run is in. Once a run transferred or ended the
 * conversation, its messages are no longer the flow's (an agent or nobody has it), until a flow
 * holds the conversation again (a returning customer): then the next message starts a new run.
 */
export function startConversationLoop(options: ConversationLoopOptions): ConversationLoop {
  const flow = typeof options.flow === 'string' ? loadFlow(options.flow) : options.flow;
  const callDataAction = createDataActionCaller({
    definitions: options.dataActions,
    credentials: options.credentials,
    ...(options.customAuthAction && { customAuthAction: options.customAuthAction }),
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.startTimer && { startTimer: options.startTimer }),
  });
  for (const [name, line] of flow.dataActions) {
    if (!callDataAction.has(name)) {
      throw new FlowLoadError(`callData names the data action "${name}", which is not among the definitions given`, line);
    }
  }
  const host =
    options.host ??
    createSandboxFlowHost({
      sandbox: options.sandbox,
      ...(options.bots && { bots: options.bots }),
      ...(options.org && { org: options.org }),
    });
  const slots = new Map<string, ConversationSlot>();

  const deliver = (slot: ConversationSlot, text: string | undefined) => {
    if (slot.done) return;
    const waiting = slot.waiting;
    if (waiting) {
      slot.waiting = undefined;
      waiting(text);
    } else if (text !== undefined) {
      slot.inbox.push(text);
    }
  };

  const finish = (slot: ConversationSlot) => {
    slot.done = true;
    slot.inbox.length = 0;
  };

  const start = (conversationId: string, firstMessage: string) => {
    const slot: ConversationSlot = { inbox: [], left: false, done: false, run: undefined as unknown as Promise<FlowRunResult> };
    const onTraceEntry = options.onTraceEntry;
    slot.run = runFlow({
      flow,
      host,
      callDataAction,
      ...(onTraceEntry && { onTraceEntry: (entry: FlowTraceEntry) => onTraceEntry(conversationId, entry) }),
      ...(options.clock && { clock: options.clock }),
      conversation: {
        conversationId,
        firstMessage,
        nextMessage: () => {
          const queued = slot.inbox.shift();
          if (queued !== undefined) return Promise.resolve(queued);
          if (slot.left) return Promise.resolve(undefined);
          return new Promise((resolve) => (slot.waiting = resolve));
        },
      },
    }).then(
      (result) => {
        finish(slot);
        options.onRunEnd?.(conversationId, result);
        return result;
      },
      (error: unknown) => {
        finish(slot);
        options.onError?.(conversationId, error);
        throw error;
      },
    );
    // The run's promise is kept for runOf; an unobserved rejection must not crash the process.
    slot.run.catch(() => undefined);
    slots.set(conversationId, slot);
  };

  // A customer who comes back within the threading timeline is in the same conversation, held by a
  // new flow participant (as the sandbox models it, docs/genesys-facts.md#messaging-threading-timeline).
  const heldByFlow = (conversationId: string) =>
    options.sandbox.org.getConversation(conversationId)?.participants.some((p) => p.purpose === 'workflow' && p.state === 'connected') ?? false;

  const onEvent = (event: GuestMessageEvent) => {
    const slot = slots.get(event.conversationId);
    if (event.kind === 'presence' && event.presence === 'Disconnect') {
      if (slot) {
        slot.left = true;
        deliver(slot, undefined);
      }
      return;
    }
    if (event.kind !== 'text' || event.text === undefined) return;
    if (!slot || (slot.done && heldByFlow(event.conversationId))) start(event.conversationId, event.text);
    else deliver(slot, event.text);
  };
  const unsubscribe = options.sandbox.guest.onGuestMessage(onEvent);

  return {
    flow,
    runOf: (conversationId) => slots.get(conversationId)?.run,
    close() {
      unsubscribe();
      for (const slot of slots.values()) {
        slot.left = true;
        deliver(slot, undefined);
      }
    },
  };
}
