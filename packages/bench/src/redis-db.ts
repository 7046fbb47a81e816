import { Redis } from 'ioredis';

/**
 * A Redis logical database the bench can own for one phase. The bridge's Redis keys have a fixed
 * `baton:` prefix (no setting for it yet), and its token key is a single `baton:token`, so sharing
 * db 0 with other runs would mix tokens and idempotency records. An empty numbered database is the
 * unique namespace instead; the bench deletes its `baton:*` keys there afterwards.
 */
export interface BenchRedisDb {
  url: string;
  db: number;
  keyCount(): Promise<number>;
  /** Deletes the `baton:*` keys of this database (all of them are this run's: it was empty). */
  cleanup(): Promise<number>;
  close(): Promise<void>;
}

export async function claimEmptyRedisDb(baseUrl: string, candidates: readonly number[] = [11, 12, 13, 14, 15]): Promise<BenchRedisDb> {
  for (const db of candidates) {
    const redis = new Redis(`${baseUrl}/${db}`, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    redis.on('error', () => undefined);
    await redis.connect();
    if ((await redis.dbsize()) === 0) {
      return {
        url: `${baseUrl}/${db}`,
        db,
        keyCount: () => redis.dbsize(),
        async cleanup() {
          let deleted = 0;
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', 'baton:*', 'COUNT', 1000);
            cursor = next;
            if (keys.length > 0) deleted += await redis.del(...keys);
          } while (cursor !== '0');
          return deleted;
        },
        async close() {
          await redis.quit().catch(() => redis.disconnect());
        },
      };
    }
    await redis.quit().catch(() => redis.disconnect());
  }
  throw new Error(`no empty Redis database among ${candidates.join(', ')}`);
}
