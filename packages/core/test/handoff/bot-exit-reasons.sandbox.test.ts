import assert from 'node:assert/strict';
import { BOT_EXIT_REASONS } from '@baton/sandbox';
import { KNOWN_EXIT_REASONS } from '../../src/handoff/decision.js';

describe("the sandbox bot's exit reasons", () => {
  it('are exactly the Call Digital Bot Flow exit reasons the handoff decision knows (docs/genesys-facts.md#bot-exit-reasons)', () => {
    assert.deepEqual([...BOT_EXIT_REASONS].sort(), [...KNOWN_EXIT_REASONS].sort());
  });
});
