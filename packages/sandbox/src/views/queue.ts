import type { Models } from 'purecloud-platform-client-v2';
import type { OrgDirectory } from '../state/org.js';
import type { QueueRecord } from '../state/records.js';
import { iso } from './json.js';

export function toQueue(q: QueueRecord, dir: OrgDirectory): Models.Queue {
  return {
    id: q.id,
    name: q.name,
    division: { ...(q.division ?? dir.division), selfUri: `/api/v2/authorization/divisions/${(q.division ?? dir.division).id}` },
    description: q.description,
    dateCreated: iso(q.dateCreated),
    dateModified: iso(q.dateCreated),
    memberCount: q.memberCount,
    userMemberCount: q.memberCount,
    joinedMemberCount: Math.max(0, q.memberCount - 1),
    scoringMethod: 'TimestampAndPriority',
    skillEvaluationMethod: 'ALL',
    autoAnswerOnly: false,
    enableTranscription: false,
    enableManualAssignment: false,
    selfUri: `/api/v2/routing/queues/${q.id}`,
  };
}
