import { randomUUID } from 'node:crypto';
import type { GuestApi } from '../guest/guest-api.js';
import { errors } from '../http/api-error.js';
import { SandboxError } from '../sandbox-error.js';
import type { OrgState } from '../state/org.js';
import type { BotSessionRecord, ReportingTurnRecord } from '../state/records.js';
import { parseBotDefinition, type BotDefinition, type BotDefinitionInput, type BotExitReason } from './bot-definition.js';
import { containsPhrase, extractSlots, scoreIntents } from './scorer.js';

/** What a *Call Digital Bot Flow* action hands back to its message flow (docs/genesys-facts.md#bot-exit-reasons), plus the confidence. */
export interface BotExit {
  readonly exitReason: BotExitReason;
  /**
   * The recognised intent; absent when none. Architect's NOT_SET is "no value", not the text
   * "NOT_SET" (`IsNotSetOrEmpty` is true of it; docs/genesys-facts.md#bot-exit-reasons), so nothing
   * downstream (flow variables, participant data, the console, the agent's view) should see a string.
   */
  readonly intent?: string;
  readonly slots: Readonly<Record<string, string>>;
  /**
   * The recognised intent's confidence in [0, 1] (0 with no intent). A Genesys action returns no
   * confidence: a flow that needs one reads what the bot wrote as participant data, or analytics.
   */
  readonly confidence: number;
  /** The bot-flow analytics session recorded for this run (listed after the analytics lag). */
  readonly botSessionId: string;
}

export interface BotTurnResult {
  /** What the bot said this turn (already sent to the guest as an Outbound Bot message). */
  readonly reply?: string;
  /** Set when the bot exited this turn: the session is over, the flow continues. */
  readonly exit?: BotExit;
  /** This turn's best intent and score (also on no-match turns; no intent when nothing scored). */
  readonly scored: { readonly intent?: string; readonly confidence: number };
}

export interface BotSession {
  readonly conversationId: string;
  readonly botId: string;
  /** The greeting, when the definition has one (sent when the session started). */
  readonly greeting?: string;
  /** One customer turn: score it, fill slots, reply, maybe exit. Throws once the session has exited. */
  turn(text: string): BotTurnResult;
  /** The exit, once the bot has exited. */
  readonly exit: BotExit | undefined;
}

export interface Bots {
  /** The seeded bot's id: the org's bot flow id. */
  readonly defaultBotId: string;
  /** Validates and adds a bot (a second bot flow, listed by bot-flow analytics under its `id`); returns its id. */
  register(definition: BotDefinitionInput | BotDefinition): string;
  definition(botId: string): BotDefinition | undefined;
  /**
   * Starts a bot session on a conversation the flow holds (Call Digital Bot Flow). Sends the
   * greeting, if any, to the guest. Default bot: the seeded one.
   */
  start(conversationId: string, botId?: string): BotSession;
  /** The latest bot session started on a conversation (running or exited). */
  sessionOf(conversationId: string): BotSession | undefined;
}

export interface BotsDeps {
  org: OrgState;
  guest: Pick<GuestApi, 'sendOutbound'>;
  now: () => number;
  defaultBot: BotDefinitionInput;
}

/** `{slotName}` in a reply → the slot's value. */
function fill(text: string, slots: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => slots[name] ?? whole);
}

/**
 * The sandbox's digital bots. A session answers turn by turn (no timers): the flow runtime feeds it
 * the guest's messages and continues the flow with its exit.
 */
export function createBots(deps: BotsDeps): Bots {
  const { org, guest, now } = deps;
  const definitions = new Map<string, BotDefinition>();
  const byConversation = new Map<string, BotSession>();
  const register = (input: BotDefinitionInput | BotDefinition): string => {
    const def = parseBotDefinition(input);
    definitions.set(def.id, def);
    org.registerBotFlow(def.id);
    return def.id;
  };
  // The seeded bot is the org's bot flow, so bot-flow analytics list its sessions under that id.
  const defaultBotId = register({ ...deps.defaultBot, id: org.botFlow.id, name: org.botFlow.name });

  const start = (conversationId: string, botId: string = defaultBotId): BotSession => {
    const def = definitions.get(botId);
    if (!def) throw new SandboxError('sandbox.not.found', `No bot ${botId} in this sandbox`);
    const c = org.getConversation(conversationId);
    if (!c) throw errors.notFound(`Conversation ${conversationId}`);
    if (!c.participants.some((p) => p.purpose === 'workflow' && p.state === 'connected')) {
      throw new SandboxError('sandbox.invalid.state', `Conversation ${conversationId} is not held by a flow: a bot runs inside the flow`);
    }
    const startedAt = now();
    const turns: ReportingTurnRecord[] = [];
    const slots: Record<string, string> = {};
    let intent: { name: string; confidence: number } | undefined;
    let noMatch = 0;
    let exit: BotExit | undefined;
    let lastPrompt = def.greeting;
    let turnStarted = startedAt;

    const say = (text: string): string => {
      guest.sendOutbound(conversationId, { text, originatingEntity: 'Bot' });
      return text;
    };
    if (def.greeting !== undefined) say(def.greeting);

    const finish = (exitReason: BotExitReason): BotExit => {
      const completed = now();
      const result = { exitReason, ...(intent && { intent: intent.name }), slots: { ...slots }, confidence: intent?.confidence ?? 0 };
      // Set Participant Data in the bot flow, only where its author put one (docs/genesys-facts.md#participant-data).
      const pd = def.participantData;
      if (pd) {
        const data: Record<string, string> = {};
        // Set Participant Data with a NOT_SET value writes nothing, as the variable has no value
        // (UNCONFIRMED against a real org: whether Genesys skips the key or writes it empty).
        if (pd.intent !== undefined && intent) data[pd.intent] = intent.name;
        // No intent, no confidence: writing "0" would show the agent a score for nothing recognised.
        if (pd.confidence !== undefined && intent) data[pd.confidence] = String(intent.confidence);
        if (pd.exitReason !== undefined) data[pd.exitReason] = exitReason;
        if (pd.slotPrefix !== undefined) for (const [k, v] of Object.entries(slots)) data[`${pd.slotPrefix}${k}`] = v;
        org.mergeCustomerAttributes(conversationId, data);
      }
      const session: BotSessionRecord = {
        id: randomUUID(),
        conversationId,
        flowId: def.id,
        dateCreated: startedAt,
        dateCompleted: completed,
        // UNCONFIRMED: the botResult / botResultCategory values a real session shows for each exit
        // reason; the sandbox reports the exit reason itself and a category from who ended it.
        botResult: exitReason,
        botResultCategory: exitReason === 'AgentRequestedByUser' || exitReason === 'TriggeredByUser' ? 'UserExit' : exitReason === 'TriggeredByFlow' ? 'BotExit' : 'Error',
        language: def.language,
        turns: turns.slice(),
      };
      org.recordBotSession(session);
      exit = { ...result, botSessionId: session.id };
      return exit;
    };

    const turn = (text: string): BotTurnResult => {
      if (exit) throw new SandboxError('sandbox.invalid.state', `The bot session on ${conversationId} has exited (${exit.exitReason})`);
      const at = now();
      const awaiting = intent === undefined ? undefined : def.intents.find((i) => i.name === intent?.name);
      const missingBefore = awaiting ? awaiting.requires.filter((s) => slots[s] === undefined) : [];
      const found = extractSlots(def, text);
      Object.assign(slots, found);
      const [best] = scoreIntents(def, text);
      const scored = { ...(best && { intent: best.intent }), confidence: best?.confidence ?? 0 };
      const prompts: string[] = [];
      let exitReason: BotExitReason | undefined;
      let askActionResult = 'SuccessCollection';
      let turnIntent: { name: string; confidence: number } | undefined;
      const actionType = missingBefore.length > 0 ? 'AskForSlotAction' : 'AskForNLUIntentAction';

      if (def.exit.agentPhrases.some((p) => containsPhrase(text, p))) {
        prompts.push(say(def.replies.agentRequested));
        exitReason = 'AgentRequestedByUser';
        askActionResult = 'AgentRequestedByUser';
      } else if (def.exit.userExitPhrases.some((p) => containsPhrase(text, p))) {
        prompts.push(say(def.replies.userExit));
        exitReason = 'TriggeredByUser';
      } else {
        const recognised = best !== undefined && best.confidence >= def.confidenceThreshold;
        const answeredSlot = missingBefore.some((s) => found[s] !== undefined);
        if (recognised && !(answeredSlot && best.intent !== intent?.name)) {
          intent = { name: best.intent, confidence: best.confidence };
          turnIntent = intent;
        }
        if (recognised || answeredSlot) {
          noMatch = 0;
          const current = def.intents.find((i) => i.name === intent?.name);
          const missing = current ? current.requires.filter((s) => slots[s] === undefined) : [];
          const firstMissing = missing[0];
          if (current && firstMissing !== undefined) {
            const slot = def.slots.find((s) => s.name === firstMissing);
            prompts.push(say(slot?.prompt ?? `What is your ${firstMissing}?`));
          } else if (current) {
            if (current.reply !== undefined) prompts.push(say(fill(current.reply, slots)));
            if (current.exit) exitReason = current.exitReason;
          }
        } else {
          noMatch += 1;
          askActionResult = 'NoMatchCollection';
          if (noMatch >= def.exit.maxNoMatch) {
            prompts.push(say(def.replies.recognitionFailure));
            exitReason = 'RecognitionFailure';
          } else {
            prompts.push(say(def.replies.noMatch));
          }
        }
      }

      const turnSlots = Object.entries(found).map(([name, value]) => ({ name, value }));
      turns.push({
        userInput: text,
        botPrompts: lastPrompt === undefined ? prompts : [lastPrompt, ...prompts],
        actionId: `${def.id}:${actionType}`,
        actionName: actionType === 'AskForSlotAction' ? 'Ask for Slot' : 'Ask for Intent',
        actionNumber: turns.length + 1,
        // The SDK's ReportingTurnAction.actionType values (docs/genesys-facts.md#bot-flow-analytics).
        actionType,
        ...(turnIntent ? { intent: { id: `${def.id}:${turnIntent.name}`, name: turnIntent.name, confidence: turnIntent.confidence, slots: turnSlots } } : {}),
        askActionResult,
        dateCreated: turnStarted,
        dateCompleted: at,
        ...(exitReason === undefined ? {} : { sessionEnd: { type: 'Exit', reason: exitReason } }),
      });
      lastPrompt = prompts.at(-1);
      turnStarted = at;
      const reply = prompts.length === 0 ? undefined : prompts.join('\n');
      return {
        ...(reply === undefined ? {} : { reply }),
        ...(exitReason === undefined ? {} : { exit: finish(exitReason) }),
        scored,
      };
    };

    const session: BotSession = {
      conversationId,
      botId,
      ...(def.greeting === undefined ? {} : { greeting: def.greeting }),
      turn,
      get exit() {
        return exit;
      },
    };
    byConversation.set(conversationId, session);
    return session;
  };

  return { defaultBotId, register, definition: (id) => definitions.get(id), start, sessionOf: (id) => byConversation.get(id) };
}
