import type { Models } from 'purecloud-platform-client-v2';
import { GenesysApiError } from '../errors.js';
import type { CallOptions } from '../genesys/api.js';
import {
  presentValue,
  readIntentFromAttributes,
  readIntentFromInputs,
  readIntentFromTurns,
  type IntentReading,
} from './decision.js';
import { findCustomer } from './participants.js';
import type { Runtime } from './runtime.js';

export interface IntentLookup {
  reading?: IntentReading | undefined;
  /** Why no reading was found (every source tried), for the "unknown" message. */
  reason: string;
}

/**
 * The intent and confidence from the best source available, cheapest first:
 * 1. the flow's inputs (0 calls);
 * 2. the customer's participant data written by the bot flow, read from the conversation the
 *    transcript needs anyway (`conversation()` is shared and fetched at most once);
 * 3. bot-flow analytics: the session of this conversation, then its reporting turns (2+ calls,
 *    and only for Genesys-native bot flows, docs/genesys-facts.md#bot-flow-analytics); sessions of the last
 *    `botFlowLookbackMinutes`, at most `botFlowMaxPages` pages, else the intent is unknown.
 */
export async function lookUpIntent(
  rt: Runtime,
  input: {
    conversationId: string;
    intent?: string | undefined;
    confidence?: number | undefined;
    botFlowId?: string | undefined;
    /** false: do not spend calls on bot-flow analytics (the exit reason already decided). */
    analytics?: boolean;
  },
  conversation: () => Promise<Models.MessageConversation>,
  options: CallOptions,
): Promise<IntentLookup> {
  const fromInputs = readIntentFromInputs(input);
  if (fromInputs) return { reading: fromInputs, reason: '' };

  const customer = findCustomer(await conversation());
  const fromAttributes = readIntentFromAttributes(customer?.attributes, rt.config.intentAttributes);
  if (fromAttributes.reading) {
    const reading = fromAttributes.reading;
    // The flow may know the intent's name even when only the bot wrote the confidence.
    return { reading: reading.intent ? reading : { ...reading, intent: presentValue(input.intent) ?? '' }, reason: '' };
  }
  const problems = [customer ? fromAttributes.problem : 'the conversation has no customer participant'];

  if (input.analytics === false) {
    problems.push('bot-flow analytics not read (the exit reason decides)');
    return { reason: problems.join('; ') };
  }
  const botFlowId = input.botFlowId ?? rt.config.botFlowId;
  if (!botFlowId) {
    problems.push('no bot flow id to read analytics from (pass botFlowId or configure one)');
    return { reason: problems.join('; ') };
  }
  try {
    // The sessions API has no conversationId filter (docs/genesys-facts.md#bot-flow-analytics): page
    // until this conversation's session, but only through recent sessions and a few pages.
    // `botFlowId` may come from the caller, and a busy flow (or a Genesys that pages without end)
    // must not cost a call per page until the deadline: the calls come out of the per-token budget
    // every request shares.
    const { botFlowLookbackMinutes: minutes, botFlowMaxPages: maxPages } = rt.config;
    const now = rt.now();
    // The interval filters on the date a session completed (docs/genesys-facts.md#bot-flow-analytics);
    // its end is a little ahead of our clock, for skew.
    const interval = `${new Date(now - minutes * 60_000).toISOString()}/${new Date(now + 5 * 60_000).toISOString()}`;
    const session = await rt.genesys.findBotFlowSession(
      botFlowId,
      (s) => s.conversation?.id === input.conversationId,
      { interval, maxPages },
      options,
    );
    if (!session?.id) {
      // Genesys lists a session only some time after the bot exits (docs/genesys-facts.md#bot-flow-analytics),
      // so a handoff straight from the bot usually lands here: say so rather than "no session".
      problems.push(
        `bot-flow analytics not available yet: bot flow ${botFlowId} shows no analytics session for this conversation among its sessions completed in the last ${minutes} minutes ` +
          `(searched at most ${maxPages} page${maxPages === 1 ? '' : 's'} of the newest; Genesys lists a session only some time after the bot exits, and keeps it about ten days; intent unknown)`,
      );
      return { reason: problems.join('; ') };
    }
    const turns = await rt.genesys.listReportingTurns(botFlowId, session.id, options);
    const reading = readIntentFromTurnsNamed(turns, input.intent);
    if (reading) return { reading, reason: '' };
    problems.push(`bot session ${session.id} has no turn with a recognised intent`);
    return { reason: problems.join('; ') };
  } catch (error) {
    // A bot flow id that does not exist, or a role without analytics:botFlowSession:view, makes this
    // source unavailable rather than the handoff impossible: the unknown-intent policy decides.
    if (
      error instanceof GenesysApiError &&
      (error.code === 'genesys_not_found' || error.code === 'genesys_forbidden')
    ) {
      problems.push(`bot-flow analytics unavailable (${error.message})`);
      return { reason: problems.join('; ') };
    }
    throw error;
  }
}

/** The latest turn's reading, named by the flow's intent input when the turn has no name. */
function readIntentFromTurnsNamed(
  turns: readonly Models.ReportingTurn[],
  intent: string | undefined,
): IntentReading | undefined {
  const reading = readIntentFromTurns(turns);
  return reading && !reading.intent && intent ? { ...reading, intent } : reading;
}
