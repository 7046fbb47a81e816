import assert from 'node:assert/strict';
import { parseConversationScenarios } from '@baton/core';
import type { Logger } from '@baton/bridge';
import { createBackend } from '../../src/backend/create-backend.js';
import { runConversationOn } from '../../src/backend/conversation-run.js';
import type { OrgBackend } from '../../src/backend/org-backend.js';
import { SANDBOX_ORG_NAME } from '../../src/model/org-profile.js';

describe('conversation scenarios in the editor: a scenario that sets the sandbox up', () => {
  it('is reported skipped at every step with the way to run it (baton test), never run on the healthy Sandbox org', async () => {
    const [scenario] = parseConversationScenarios(
      'down.conversation.yaml',
      'name: Baton down\nsandbox:\n  bridge: unreachable\nsteps:\n  - say: I want a human\n  - expectDataActionPath: failure\n',
    );
    let started = false;
    const backend = {
      name: 'Sandbox',
      conversations: () => {
        started = true;
        throw new Error('the loop must not be started for it');
      },
    } as unknown as OrgBackend;
    const result = await runConversationOn(backend, scenario!, () => 0);
    assert.equal(started, false);
    assert.deepEqual(result.skipped.map((s) => s.line), [5, 6]);
    assert.match(result.skipped[0]!.reason, /sets up the sandbox \(sandbox: \{"bridge":"unreachable"\}\): run it with `pnpm baton test`/);
  });
});

describe("conversation scenarios in the editor: the Sandbox org's flow runs", () => {
  it('checks expectDataActionPath against the flow run (passed, not skipped; a wrong path fails)', async function () {
    this.timeout(60_000);
    const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as unknown as Logger;
    const backend = await createBackend({ kind: 'sandbox', name: SANDBOX_ORG_NAME }, undefined, { logger: silent });
    try {
      const file = (path: string) =>
        parseConversationScenarios('p.conversation.yaml', `name: p\nsteps:\n  - say: I was charged twice, I want to talk to a human\n  - expectDataActionPath: ${path}\n    timeoutMs: 3000\n`)[0]!;
      const ok = await runConversationOn(backend, file('success'), () => performance.now());
      assert.equal(ok.passed, true, JSON.stringify(ok.failure));
      assert.deepEqual(ok.skipped, []);
      const wrong = await runConversationOn(backend, file('timeout'), () => performance.now());
      assert.equal(wrong.passed, false);
      assert.match(wrong.failure?.actual ?? '', /its success path/);
    } finally {
      await backend.dispose();
    }
  });
});
