import type { Models } from 'purecloud-platform-client-v2';
import type { OrgDirectory } from '../state/org.js';
import type { ConversationRecord, ParticipantRecord } from '../state/records.js';
import { compact, iso } from './json.js';

/** The values a segment predicate can test (segment, its session, its participant). */
export type SegmentContext = Record<string, string | undefined>;

/**
 * A participant's analytics sessions. The flow participant has one per flow it ran: the inbound
 * message flow (`INBOUNDSHORTMESSAGE`) and, once a bot session is recorded, the digital bot flow it
 * called (`DIGITALBOT`) as a second session on the same participant. UNCONFIRMED: how a real org lays
 * out a Call Digital Bot Flow in conversation details (a second session here, not a participant).
 */
function sessionsOf(p: ParticipantRecord, c: ConversationRecord, dir: OrgDirectory): Models.AnalyticsSession[] {
  const segments: Models.AnalyticsConversationSegment[] = [];
  if (p.purpose === 'agent' || p.purpose === 'acd') {
    segments.push(compact({ segmentType: 'alert', segmentStart: iso(p.startTime), segmentEnd: iso(p.purpose === 'acd' ? p.endTime : p.connectedTime), queueId: p.queueId }));
  }
  if (p.purpose !== 'acd') {
    segments.push(
      compact({
        segmentType: p.purpose === 'workflow' ? 'system' : 'interact',
        segmentStart: iso(p.connectedTime ?? p.startTime),
        segmentEnd: iso(p.endTime),
        queueId: p.queueId,
        disconnectType: p.disconnectType,
      }),
    );
  }
  const session: Models.AnalyticsSession = {
    sessionId: p.communicationId,
    mediaType: 'message',
    // UNCONFIRMED: the exact messageType value analytics reports for web messaging.
    messageType: 'webmessaging',
    direction: 'inbound',
    provider: 'PureCloud Messaging',
    segments,
  };
  if (p.purpose === 'acd') session.requestedRoutings = ['Standard'];
  if (p.purpose === 'agent' && p.userId !== undefined) session.selectedAgentId = p.userId;
  if (p.purpose !== 'workflow') return [session];
  // Analytics flow records carry no intent and no confidence (AnalyticsFlow model, docs/genesys-facts.md#conversation-details-query).
  session.flow = compact({
    flowId: dir.messageFlow.id,
    flowName: dir.messageFlow.name,
    flowType: 'INBOUNDSHORTMESSAGE',
    flowVersion: '1.0',
    entryType: 'direct',
    exitReason: p.state === 'disconnected' ? 'TRANSFER' : undefined,
    transferType: p.state === 'disconnected' ? 'ACD' : undefined,
  });
  // The bot session belongs to the latest flow participant (a returning customer's session has its own flow).
  const bot = c.botSessionId !== undefined && isLatestFlow(p, c) ? c.botSessionId : undefined;
  if (bot === undefined) return [session];
  const botSession: Models.AnalyticsSession = {
    sessionId: bot,
    mediaType: 'message',
    messageType: 'webmessaging',
    direction: 'inbound',
    provider: 'PureCloud Messaging',
    segments: [compact({ segmentType: 'system', segmentStart: iso(p.connectedTime ?? p.startTime), segmentEnd: iso(p.endTime) })],
    flow: compact({ flowId: dir.botFlow.id, flowName: dir.botFlow.name, flowType: 'DIGITALBOT', flowVersion: '1.0', entryType: 'flow' }),
  };
  return [session, botSession];
}

/** The latest flow participant of a conversation (a returning customer's session has its own). */
function isLatestFlow(p: ParticipantRecord, c: ConversationRecord): boolean {
  return c.participants.filter((x) => x.purpose === 'workflow').at(-1) === p;
}

/** One conversation as `POST /api/v2/analytics/conversations/details/query` returns it. */
export function toAnalyticsConversation(c: ConversationRecord, dir: OrgDirectory): Models.AnalyticsConversationWithoutAttributes {
  const ended = !c.participants.some((p) => p.purpose !== 'customer' && p.state === 'connected');
  const lastEnd = Math.max(...c.participants.map((p) => p.endTime ?? 0));
  return compact({
    conversationId: c.id,
    conversationStart: iso(c.startTime),
    conversationEnd: ended && lastEnd > 0 ? iso(lastEnd) : undefined,
    originatingDirection: 'inbound',
    divisionIds: [c.divisionId],
    conversationInitiator: 'external',
    customerParticipation: c.messages.some((m) => m.from === 'customer'),
    participants: c.participants.map((p) =>
      compact({
        participantId: p.id,
        participantName: p.name,
        purpose: p.purpose,
        userId: p.userId,
        sessions: sessionsOf(p, c, dir),
      }),
    ),
  });
}

/** Flattened segments, for evaluating segmentFilters. */
export function segmentContexts(c: ConversationRecord, dir: OrgDirectory): SegmentContext[] {
  const out: SegmentContext[] = [];
  for (const p of c.participants) {
    for (const s of sessionsOf(p, c, dir)) for (const seg of s.segments ?? []) {
      out.push({
        mediaType: s.mediaType,
        messageType: s.messageType,
        direction: s.direction,
        sessionId: s.sessionId,
        provider: s.provider,
        purpose: p.purpose,
        participantId: p.id,
        participantName: p.name,
        userId: p.userId,
        queueId: seg.queueId,
        segmentType: seg.segmentType,
        disconnectType: seg.disconnectType,
        flowId: s.flow?.flowId,
        flowName: s.flow?.flowName,
        flowType: s.flow?.flowType,
        exitReason: s.flow?.exitReason,
        transferType: s.flow?.transferType,
        requestedRoutings: s.requestedRoutings?.[0],
        selectedAgentId: s.selectedAgentId,
      });
    }
  }
  return out;
}
