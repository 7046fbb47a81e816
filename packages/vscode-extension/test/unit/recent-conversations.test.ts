import assert from 'node:assert/strict';
import type { Logger } from '@baton/bridge';
import { createBackend } from '../../src/backend/create-backend.js';
import { RECENT_PAGE_SIZE, type OrgBackend } from '../../src/backend/org-backend.js';
import { SANDBOX_ORG_NAME } from '../../src/model/org-profile.js';

/**
 * Issue #14, section 6: the conversation picker paged through every message conversation of seven
 * days (a details-query call per 100) to show 50. It now asks for one page of 50, newest first, and
 * the next page only when asked for older ones.
 */
describe('recent conversations for the picker (sandbox backend)', () => {
  let backend: OrgBackend;
  const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as unknown as Logger;
  before(async () => {
    backend = await createBackend({ kind: 'sandbox', name: SANDBOX_ORG_NAME }, undefined, { logger: silent });
    // Enough recent conversations for more than one page.
    for (let i = 0; i < RECENT_PAGE_SIZE + 10; i += 1) {
      await backend.seedConversation!({ startedAt: -60 * (i + 1), messages: [{ from: 'customer', text: `hello ${i}` }] });
    }
  });
  after(() => backend.dispose());

  it('when asked for page 1, then it returns one page of 50, newest first; page 2 continues it without overlap', async () => {
    const first = await backend.recentConversations();
    assert.equal(first.length, RECENT_PAGE_SIZE);
    const started = first.map((c) => Date.parse(/started (\S+?),?(?:\s|$)/.exec(c.detail)?.[1] ?? ''));
    assert.ok(started.every((t) => !Number.isNaN(t)), JSON.stringify(first.slice(0, 2)));
    assert.deepEqual(started, [...started].sort((a, b) => b - a));
    const second = await backend.recentConversations(2);
    assert.ok(second.length > 0 && second.length <= RECENT_PAGE_SIZE);
    const ids = new Set(first.map((c) => c.id));
    assert.ok(second.every((c) => !ids.has(c.id)));
    assert.ok(Date.parse(/started (\S+?),?(?:\s|$)/.exec(second[0]!.detail)![1]!) <= Math.min(...started));
  });
});
