import type { Models } from 'purecloud-platform-client-v2';
import type { BotSessionRecord, ReportingTurnRecord } from '../state/records.js';
import { compact, iso } from './json.js';

/** `SessionsResponse.entities[]` (BotFlowSession). Channel values are UNCONFIRMED for web messaging. */
export function toBotFlowSession(s: BotSessionRecord): Models.BotFlowSession {
  return {
    id: s.id,
    flow: { id: s.flowId },
    conversation: { id: s.conversationId, selfUri: `/api/v2/conversations/${s.conversationId}` },
    channel: { name: 'Messaging', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'GenesysWebWidget' } },
    language: s.language,
    endLanguage: s.language,
    botResult: s.botResult,
    botResultCategory: s.botResultCategory,
    dateCreated: iso(s.dateCreated),
    dateCompleted: iso(s.dateCompleted),
  };
}

/** `ReportingTurnsResponse.entities[]`: the only API place an intent confidence appears (docs/genesys-facts.md#bot-flow-analytics). */
export function toReportingTurn(s: BotSessionRecord, t: ReportingTurnRecord): Models.ReportingTurn {
  return compact({
    userInput: t.userInput,
    botPrompts: t.botPrompts,
    sessionId: s.id,
    conversation: { id: s.conversationId, selfUri: `/api/v2/conversations/${s.conversationId}` },
    askAction: { actionId: t.actionId, actionName: t.actionName, actionNumber: t.actionNumber, actionType: t.actionType },
    intent:
      t.intent === undefined
        ? undefined
        : { id: t.intent.id, name: t.intent.name, confidence: t.intent.confidence, slots: (t.intent.slots ?? []).map((x) => ({ name: x.name, value: x.value })) },
    dateCreated: iso(t.dateCreated),
    dateCompleted: iso(t.dateCompleted),
    askActionResult: t.askActionResult,
    sessionEndDetails: t.sessionEnd,
  });
}
