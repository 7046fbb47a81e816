import * as assert from 'node:assert/strict';
import type { HandoffTrace } from '@baton/core';
import { HistoryStore, type HistoryEntry, type KeyValueStore } from '../../src/model/history.js';

function memory(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, v) };
}

function entry(id: string, extra: Partial<HandoffTrace> = {}): HistoryEntry {
  return {
    id,
    org: 'Sandbox',
    ranAt: '2025-01-01T00:00:00.000Z',
    source: 'run',
    label: id,
    trace: { handoffId: `h-${id}`, conversationId: 'c', startedAt: '2025-01-01T00:00:00.000Z', durationMs: 5, status: 'ready_for_transfer', steps: [], calls: [], ...extra },
  };
}

describe('HistoryStore', () => {
  it('keeps the newest runs first, capped at the limit', async () => {
    const store = new HistoryStore(memory(), () => 2);
    await store.add(entry('1'));
    await store.add(entry('2'));
    await store.add(entry('3'));
    assert.deepEqual(store.list().map((e) => e.id), ['3', '2']);
  });

  it('redacts secrets and auth headers before anything is stored', async () => {
    const kv = memory();
    const store = new HistoryStore(kv);
    await store.add(
      entry('1', {
        calls: [
          {
            route: 'postToken',
            method: 'POST',
            path: '/oauth/token',
            status: 200,
            durationMs: 1,
            retries: 0,
            requestBody: { client_secret: 'super-secret', note: 'sent super-secret' },
            responseBody: { access_token: 'tok-123', headers: { Authorization: 'Bearer abc.def' } },
          },
        ],
      }),
      ['super-secret'],
    );
    const stored = JSON.stringify(kv.data.get('baton.history.v1'));
    for (const leaked of ['super-secret', 'tok-123', 'abc.def']) assert.ok(!stored.includes(leaked), `${leaked} leaked: ${stored}`);
    assert.ok(stored.includes('[REDACTED]'));
  });

  it('notifies listeners on add and clear', async () => {
    const store = new HistoryStore(memory());
    let changes = 0;
    store.onDidChange(() => (changes += 1));
    await store.add(entry('1'));
    await store.clear();
    assert.equal(changes, 2);
    assert.deepEqual(store.list(), []);
  });
});
