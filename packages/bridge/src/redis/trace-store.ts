import type { HandoffTrace, TraceStore } from '@baton/core';
import type { Redis } from 'ioredis';
import type { StateLogger } from './connection.js';
import { guardFor } from './errors.js';

export interface RedisTraceStoreOptions {
  client: Redis;
  keyPrefix: string;
  /** How long a command waits for a (re)connecting connection before failing with state_unavailable. */
  connectGraceMs?: number;
  /** Approximate number of traces kept (XADD MAXLEN ~): Redis trims whole macro-nodes, so a few more may stay. */
  capacity?: number;
  /** Lifetime of the per-handoff and per-conversation index keys. */
  indexTtlMs?: number;
  /** Traces kept per conversation in its index. */
  perConversation?: number;
  /** Traces held in memory while Redis is unreachable, written when it returns. Oldest dropped beyond this. */
  pendingCapacity?: number;
  logger?: StateLogger;
}

/**
 * One trace is one stream entry (its JSON in field `t`); `<prefix>trace:<handoffId>` holds the
 * entry's id and `<prefix>traces:conv:<conversationId>` the newest ids of that conversation, so
 * that get and the conversation filter do not scan the stream. All written in one script so the
 * indexes never point ahead of the stream. KEYS: stream, handoff index, conversation index.
 * ARGV: trace JSON, capacity, index TTL ms, per-conversation cap.
 */
const APPEND_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 't', ARGV[1])
redis.call('SET', KEYS[2], id, 'PX', ARGV[3])
redis.call('LPUSH', KEYS[3], id)
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[4]) - 1)
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return id
`;

/** KEYS: stream, handoff index. Returns the trace JSON, or nil once the stream has trimmed it. */
const GET_SCRIPT = `
local id = redis.call('GET', KEYS[2])
if not id then return false end
local entries = redis.call('XRANGE', KEYS[1], id, id)
if #entries == 0 then return false end
return entries[1][2][2]
`;

/** KEYS: stream, conversation index. ARGV: limit. Newest first; ids the stream has trimmed are skipped. */
const LIST_CONVERSATION_SCRIPT = `
local ids = redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)
local out = {}
for _, id in ipairs(ids) do
  local entries = redis.call('XRANGE', KEYS[1], id, id)
  if #entries > 0 then out[#out + 1] = entries[1][2][2] end
end
return out
`;

/**
 * The handoff trace log in a capped Redis stream, readable from every replica.
 *
 * A trace is written after the handoff's work is done, so a failed write must not turn a completed
 * transfer into an error (Architect would retry it): while Redis is unreachable, appends are kept
 * in a bounded in-memory queue and written when the connection is ready again.
 */
export function createRedisTraceStore(options: RedisTraceStoreOptions): TraceStore & { pendingWrites(): number } {
  const { keyPrefix, logger } = options;
  const client = options.client as Redis & TraceScripts;
  const guard = guardFor(client, options.connectGraceMs);
  const capacity = options.capacity ?? 10_000;
  const indexTtlMs = options.indexTtlMs ?? 7 * 24 * 3600_000;
  const perConversation = options.perConversation ?? 100;
  const pendingCapacity = options.pendingCapacity ?? 1000;
  const streamKey = `${keyPrefix}traces`;
  const handoffKey = (id: string) => `${keyPrefix}trace:${id}`;
  const conversationKey = (id: string) => `${keyPrefix}traces:conv:${id}`;
  client.defineCommand('appendBatonTrace', { numberOfKeys: 3, lua: APPEND_SCRIPT });
  client.defineCommand('getBatonTrace', { numberOfKeys: 2, lua: GET_SCRIPT });
  client.defineCommand('listBatonConversationTraces', { numberOfKeys: 2, lua: LIST_CONVERSATION_SCRIPT });

  const pending: HandoffTrace[] = [];
  let flushing: Promise<void> | undefined;

  const write = (trace: HandoffTrace) =>
    client.appendBatonTrace(
      streamKey,
      handoffKey(trace.handoffId),
      conversationKey(trace.conversationId),
      JSON.stringify(trace),
      String(capacity),
      String(indexTtlMs),
      String(perConversation),
    );

  /** Writes queued traces in order; stops at the first failure (the next 'ready' resumes). */
  const drain = async () => {
    try {
      while (pending.length > 0) {
        await write(pending[0]!);
        pending.shift();
      }
    } catch {
      // Still unreachable.
    }
  };
  // The reset runs in a later tick than the assignment, even when drain() finishes synchronously.
  const flush = (): Promise<void> => (flushing ??= drain().finally(() => (flushing = undefined)));
  client.on('ready', () => void flush());

  const parse = (raw: string) => JSON.parse(raw) as HandoffTrace;

  return {
    async append(trace) {
      if (pending.length === 0) {
        try {
          await guard(() => write(trace));
          return;
        } catch (error) {
          const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : 'not connected';
          logger?.warn({ handoffId: trace.handoffId, reason }, 'Trace kept in memory until Redis returns');
        }
      }
      // Once anything is queued, later traces queue behind it, so the stream stays in order.
      pending.push(trace);
      if (pending.length > pendingCapacity) pending.shift();
      if (client.status === 'ready') await flush();
    },
    async get(handoffId) {
      if (pending.length > 0 && client.status === 'ready') await flush();
      const queued = pending.find((t) => t.handoffId === handoffId);
      if (queued) return queued;
      const raw = await guard(() => client.getBatonTrace(streamKey, handoffKey(handoffId)));
      return raw === null ? undefined : parse(raw);
    },
    async list(listOptions = {}) {
      const limit = Math.max(0, listOptions.limit ?? 50);
      if (limit === 0) return [];
      if (pending.length > 0 && client.status === 'ready') await flush();
      const conversationId = listOptions.conversationId;
      const raws: string[] = conversationId
        ? await guard(() => client.listBatonConversationTraces(streamKey, conversationKey(conversationId), String(limit)))
        : (await guard(() => client.xrevrange(streamKey, '+', '-', 'COUNT', limit))).flatMap(([, fields]) => (fields[1] === undefined ? [] : [fields[1]]));
      return raws.map(parse);
    },
    pendingWrites: () => pending.length,
  };
}

/** The scripts this store defines on its connection (ioredis adds them as methods). */
interface TraceScripts {
  appendBatonTrace(
    stream: string,
    handoffIndex: string,
    conversationIndex: string,
    traceJson: string,
    capacity: string,
    indexTtlMs: string,
    perConversation: string,
  ): Promise<string>;
  getBatonTrace(stream: string, handoffIndex: string): Promise<string | null>;
  listBatonConversationTraces(stream: string, conversationIndex: string, limit: string): Promise<string[]>;
}
