import assert from 'node:assert/strict';
import { parseConversationScenarios } from '@baton/core';
import { runConversationOn } from '../../src/backend/conversation-run.js';
import type { OrgBackend } from '../../src/backend/org-backend.js';

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
