import { systemClock, type Clock } from '@baton/core';
import type { ExpressionScope, FlowValue } from './expression.js';
import { FlowRuntimeError } from './flow-error.js';
import type { FlowHost } from './flow-host.js';
import type { DataActionCaller } from './data-action-caller.js';
import type { FlowAction, InboundMessageFlow, ValueSource } from './load-flow.js';

/** The conversation one flow run serves: the message that started it and the ones that follow. */
export interface FlowConversation {
  readonly conversationId: string;
  /** The customer's message that started this run (`Message.Message.body`). */
  readonly firstMessage: string;
  /** The customer's next message; undefined once the conversation ended. */
  nextMessage(): Promise<string | undefined>;
}

/** One step the run took: the action, its line, and which output it took where it has several. */
export interface FlowTraceEntry {
  readonly line: number;
  readonly action: FlowAction['type'];
  readonly name: string;
  readonly path?: string;
  /**
   * A data action's error message (Failure, Timeout), a transfer's queue and priority, the bot's
   * intent, the participant data keys written.
   */
  readonly detail?: string;
  /** Call Data Action: the data action it called. */
  readonly dataAction?: string;
  /** Call Data Action: how long the call took, ms (the flow's clock). */
  readonly durationMs?: number;
  /** Transfer to ACD: where the conversation went (its queue's id) and at which priority. */
  readonly queueId?: string;
  readonly priority?: number;
}

export type FlowOutcome =
  | { kind: 'transferred'; queueId: string; priority: number }
  | { kind: 'disconnected' }
  /** The flow ran out of actions: Genesys ends the conversation (the run disconnects it). */
  | { kind: 'ended' }
  /** The customer left while a bot held the conversation. */
  | { kind: 'customerLeft' }
  /** A runtime error (bad expression value, a loop that never waits): the run disconnects. */
  | { kind: 'error'; error: FlowRuntimeError };

export interface FlowRunResult {
  readonly outcome: FlowOutcome;
  readonly trace: readonly FlowTraceEntry[];
  /** The flow's variables when it stopped (tests, traces). */
  readonly variables: Readonly<Record<string, FlowValue>>;
}

export interface RunFlowOptions {
  flow: InboundMessageFlow;
  host: FlowHost;
  callDataAction: DataActionCaller;
  conversation: FlowConversation;
  /**
   * Actions the flow may run without waiting for a customer message before the run is stopped as a
   * loop (a changeState cycle that never calls the bot). Default 1000.
   */
  maxActionsPerMessage?: number;
  /**
   * Each step as the run takes it (the same entries `trace` holds at the end): the sandbox console
   * draws the flow's path live from these. An observer that throws does not stop the flow.
   */
  onTraceEntry?: (entry: FlowTraceEntry) => void;
  /** Times Call Data Action's duration; default the system clock. */
  clock?: Pick<Clock, 'now'>;
}

type Signal = { kind: 'changeState'; target: string } | { kind: 'stop'; outcome: FlowOutcome } | undefined;

/** Architect passes NOT_SET inputs as null; queues as their id; everything else as is. */
function toInput(v: FlowValue): unknown {
  if (v !== null && typeof v === 'object') return v.id;
  return v;
}

/** A bot's intent, or undefined for none: absent, empty, or Architect's NOT_SET spelled out. */
function presentIntent(intent: string | undefined): string | undefined {
  const trimmed = intent?.trim();
  return trimmed && trimmed !== 'NOT_SET' ? trimmed : undefined;
}

/** A flattened data-action output, as the bound variable receives it. */
function fromOutput(v: unknown): FlowValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/**
 * Runs an inbound message flow for one conversation from its start state until it transfers,
 * disconnects, ends or fails. Call Digital Bot Flow feeds the bot the customer's messages (the one
 * that started the run first) until the bot exits.
 */
export async function runFlow(options: RunFlowOptions): Promise<FlowRunResult> {
  const { flow, host, callDataAction, conversation } = options;
  const { conversationId } = conversation;
  const maxActions = options.maxActionsPerMessage ?? 1000;
  const variables = new Map<string, FlowValue>();
  const trace: FlowTraceEntry[] = [];
  let pendingFirst: string | undefined = conversation.firstMessage;
  let actionsSinceMessage = 0;

  const scope: ExpressionScope = {
    read(name) {
      if (name === 'Message.ConversationId') return conversationId;
      if (name === 'Message.Message.body') return conversation.firstMessage;
      if (name.startsWith('Message.')) return null;
      return variables.get(name) ?? null;
    },
    findQueueById: (id) => host.findQueueById(id),
  };
  const value = (source: ValueSource): FlowValue =>
    source.kind === 'exp' ? source.exp.evaluate(scope) : source.kind === 'lit' ? source.value : null;
  const clock = options.clock ?? systemClock;
  const record = (entry: FlowTraceEntry) => {
    trace.push(entry);
    try {
      options.onTraceEntry?.(entry);
    } catch {
      // A view of the run (the console) must not change how the conversation goes.
    }
  };

  for (const v of flow.variables) variables.set(v.name, value(v.initial));

  const runActions = async (actions: readonly FlowAction[]): Promise<Signal> => {
    for (const action of actions) {
      if (++actionsSinceMessage > maxActions) {
        throw new FlowRuntimeError(`more than ${maxActions} actions without waiting for the customer: the flow loops`, action.line);
      }
      const signal = await runAction(action);
      if (signal) return signal;
    }
    return undefined;
  };

  const runAction = async (action: FlowAction): Promise<Signal> => {
    const base = { line: action.line, action: action.type, name: action.name };
    switch (action.type) {
      case 'callDigitalBotFlow': {
        const bot = await host.startBot(conversationId, action.botFlow);
        // The message that started the flow is the bot's first input; a later call waits for the next.
        let text = pendingFirst ?? (await conversation.nextMessage());
        pendingFirst = undefined;
        for (;;) {
          if (text === undefined) {
            record({ ...base, path: 'customerLeft' });
            return { kind: 'stop', outcome: { kind: 'customerLeft' } };
          }
          actionsSinceMessage = 0;
          const turn = await bot.turn(text);
          if (turn.reply !== undefined) await host.sendResponse(conversationId, turn.reply);
          if (turn.exit) {
            const exit = turn.exit;
            if (action.exitReason) variables.set(action.exitReason, exit.exitReason);
            // "If the flow does not detect an intent, the variable bound in the Intent setting
            // defaults to a NOT_SET String" (docs/genesys-facts.md#bot-exit-reasons): no value, which
            // IsNotSetOrEmpty sees, not the text "NOT_SET". A bot provider that says it in words
            // (or empty) means the same, so the flow, the console and the agent never show it.
            const intent = presentIntent(exit.intent);
            if (action.intent) variables.set(action.intent, intent ?? null);
            for (const [slot, variable] of action.slots) variables.set(variable, exit.slots?.[slot] ?? null);
            record({ ...base, path: exit.exitReason, ...(intent !== undefined && { detail: `intent ${intent}` }) });
            return undefined;
          }
          text = await conversation.nextMessage();
        }
      }
      case 'callData': {
        const input: Record<string, unknown> = {};
        for (const [k, source] of action.inputs) input[k] = toInput(value(source));
        const startedAt = clock.now();
        const result = await callDataAction(action.dataAction, input);
        const durationMs = clock.now() - startedAt;
        const path = result.outcome === 'success' ? 'success' : result.outcome === 'timeout' ? 'timeout' : 'failure';
        record({ ...base, path, dataAction: action.dataAction, durationMs, ...(result.error && { detail: result.error.message }) });
        if (path === 'success') {
          const out = (result.finalResult ?? {}) as Record<string, unknown>;
          for (const [k, variable] of action.successOutputs) variables.set(variable, fromOutput(out[k]));
        }
        return runActions(action[path]);
      }
      case 'decision': {
        const yes = value(action.condition);
        if (typeof yes !== 'boolean') throw new FlowRuntimeError(`the decision's condition is ${JSON.stringify(yes)}, not a Boolean`, action.line);
        record({ ...base, path: yes ? 'yes' : 'no' });
        return runActions(yes ? action.yes : action.no);
      }
      case 'switch': {
        for (const [i, c] of action.cases.entries()) {
          if (value(c.value) === true) {
            record({ ...base, path: `case ${i + 1}` });
            return runActions(c.actions);
          }
        }
        record({ ...base, path: 'default' });
        return runActions(action.otherwise);
      }
      case 'updateData':
        for (const s of action.statements) variables.set(s.variable, value(s.value));
        record(base);
        return undefined;
      case 'setParticipantData': {
        const attributes: Record<string, string> = {};
        for (const a of action.attributes) {
          const name = value(a.name);
          if (typeof name !== 'string' || name === '') throw new FlowRuntimeError('a participant data attribute name must be text', action.line);
          const v = value(a.value);
          // Genesys writes NOT_SET as an empty value (UNCONFIRMED: whether it skips it instead).
          attributes[name] = v === null ? '' : typeof v === 'object' ? v.id : String(v);
        }
        await host.setParticipantData(conversationId, attributes);
        // The keys only: the values can be long (a transcript) and are the agent's to see.
        record({ ...base, detail: Object.keys(attributes).join(', ') });
        return undefined;
      }
      case 'sendResponse': {
        const text = value(action.message);
        if (text === null || text === '') {
          record({ ...base, path: 'skipped (NOT_SET or empty)' });
          return undefined;
        }
        await host.sendResponse(conversationId, typeof text === 'object' ? text.id : String(text));
        record(base);
        return undefined;
      }
      case 'transferToAcd': {
        const queue = value(action.queue);
        const queueId = queue === null ? null : typeof queue === 'object' ? queue.id : String(queue);
        if (queueId === null || queueId === '') {
          record({ ...base, path: 'failure', detail: 'the queue is NOT_SET' });
          return runActions(action.failure);
        }
        const p = action.priority ? value(action.priority) : 0;
        const priority = p === null ? 0 : Number(p);
        if (!Number.isFinite(priority)) throw new FlowRuntimeError(`priority "${String(p)}" is not a number`, action.line);
        await host.transferToAcd(conversationId, queueId, priority);
        record({ ...base, detail: `${queueId} priority ${priority}`, queueId, priority });
        return { kind: 'stop', outcome: { kind: 'transferred', queueId, priority } };
      }
      case 'disconnect':
        await host.disconnect(conversationId);
        record(base);
        return { kind: 'stop', outcome: { kind: 'disconnected' } };
      case 'changeState':
        record({ ...base, path: action.target });
        return { kind: 'changeState', target: action.target };
      case 'endState':
        record(base);
        return { kind: 'stop', outcome: { kind: 'ended' } };
    }
  };

  let outcome: FlowOutcome;
  try {
    let state = flow.startState;
    for (;;) {
      const signal = await runActions(flow.states.get(state)!.actions);
      if (signal?.kind === 'changeState') {
        state = signal.target;
        continue;
      }
      outcome = signal?.outcome ?? { kind: 'ended' };
      break;
    }
  } catch (error) {
    if (!(error instanceof FlowRuntimeError)) throw error;
    outcome = { kind: 'error', error };
  }
  // A message flow that ends without a transfer ends the conversation; so does a runtime error
  // (the flow's default error handling). UNCONFIRMED: Genesys's exact behaviour for web messaging.
  if (outcome.kind === 'ended' || outcome.kind === 'error') await host.disconnect(conversationId);
  return { outcome, trace, variables: Object.fromEntries(variables) };
}
