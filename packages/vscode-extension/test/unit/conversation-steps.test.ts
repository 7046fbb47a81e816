import * as assert from 'node:assert/strict';
import { conversationStepSchema } from '@baton/core';
import {
  completionPlace,
  failureText,
  parseConversationFile,
  stepKeys,
  stepLabel,
  stepOptionKeys,
  stepStates,
  topLevelKeys,
} from '../../src/model/conversation-steps.js';

describe('conversation scenarios in the editor: step labels', () => {
  it('names each step by its key and what it says or expects', () => {
    assert.equal(stepLabel({ say: 'where is my order 5551234' }), 'say "where is my order 5551234"');
    assert.equal(stepLabel({ expectBot: { contains: 'on its way' } }), 'expectBot contains "on its way"');
    assert.equal(stepLabel({ expectBot: { matches: '^Order \\d+' } }), 'expectBot matches /^Order \\d+/');
    assert.equal(
      stepLabel({ expectHandoff: { queue: 'Support', priority: 5, decisionRule: 'bot_gave_up' } }),
      'expectHandoff queue Support, priority 5, decisionRule "bot_gave_up"',
    );
    assert.equal(stepLabel({ expectHandoff: {} }), 'expectHandoff');
    assert.equal(
      stepLabel({ expectParticipantData: { 'Baton Intent': 'Refund', 'Baton Confidence': '0.57' } }),
      'expectParticipantData Baton Intent contains "Refund", Baton Confidence contains "0.57"',
    );
    assert.equal(stepLabel({ expectAgentAnswers: true }), 'expectAgentAnswers');
    assert.equal(stepLabel({ expectAgentAnswers: { queue: 'Billing' } }), 'expectAgentAnswers queue Billing');
    assert.equal(stepLabel({ agentSays: 'Hi' }), 'agentSays "Hi"');
    assert.equal(stepLabel({ expectAgent: { contains: 'double' } }), 'expectAgent contains "double"');
    assert.equal(stepLabel({ expectDisconnect: true, timeoutMs: 5000 }), 'expectDisconnect');
    assert.equal(stepLabel({ disconnect: true }), 'disconnect');
    assert.equal(stepLabel({ expectDataActionPath: 'failure' }), 'expectDataActionPath failure');
  });

  it('shortens a long text so the Test Explorer row stays readable', () => {
    const label = stepLabel({ say: 'x'.repeat(200) });
    assert.ok(label.length < 70, label);
    assert.ok(label.endsWith('…"'), label);
  });
});

describe('conversation scenarios in the editor: completion keys come from the schema', () => {
  it('offers every step kind of core\'s zod schema, with its description', () => {
    const fromZod = conversationStepSchema.options.map((o) => Object.keys(o.shape).find((k) => k !== 'timeoutMs')).sort();
    assert.deepEqual(stepKeys().map((k) => k.key).sort(), fromZod);
    assert.equal(stepKeys().find((k) => k.key === 'say')?.description, 'The customer sends this text');
  });

  it('reads the keys from the schema it is given, not from a list of its own', () => {
    const schema = {
      properties: {
        name: { description: 'n' },
        steps: { description: 's', items: { anyOf: [{ required: ['wave'], properties: { wave: { description: 'w' }, timeoutMs: {} } }] } },
      },
    };
    assert.deepEqual(stepKeys(schema), [{ key: 'wave', description: 'w' }]);
    assert.deepEqual(stepOptionKeys(schema), [{ key: 'timeoutMs' }]);
    assert.deepEqual(topLevelKeys(schema), [
      { key: 'name', description: 'n' },
      { key: 'steps', description: 's' },
    ]);
  });

  it('offers timeoutMs inside a step and name / description / steps at the top', () => {
    assert.deepEqual(stepOptionKeys().map((k) => k.key), ['timeoutMs']);
    assert.deepEqual(topLevelKeys().map((k) => k.key), ['name', 'description', 'sandbox', 'steps']);
  });

  it('knows where the cursor is from the line before it', () => {
    assert.equal(completionPlace('  - '), 'step');
    assert.equal(completionPlace('  - exp'), 'step');
    assert.equal(completionPlace('- '), 'step');
    assert.equal(completionPlace('st'), 'topLevel');
    assert.equal(completionPlace('    time'), 'stepOption');
    assert.equal(completionPlace('  - say: hel'), undefined);
    assert.equal(completionPlace('name: x'), undefined);
  });
});

describe('conversation scenarios in the editor: results', () => {
  it('passes every step of a passing scenario', () => {
    assert.deepEqual(stepStates(3, undefined), ['passed', 'passed', 'passed']);
  });

  it('fails the failing step, passes those before it and skips those after it', () => {
    assert.deepEqual(stepStates(4, { index: 1 }), ['passed', 'failed', 'skipped', 'skipped']);
  });

  it('skips a step the runner could not check (never passed)', () => {
    assert.deepEqual(stepStates(3, undefined, [{ index: 1 }]), ['passed', 'skipped', 'passed']);
    assert.deepEqual(stepStates(4, { index: 2 }, [{ index: 0 }]), ['skipped', 'passed', 'failed', 'skipped']);
  });

  it('writes expected, actual and the transcript into the failure message', () => {
    const text = failureText({ index: 1, expected: 'a bot reply containing "lost"', actual: 'bot said ["on its way"]' }, [
      'customer: where is it',
      'bot: on its way',
    ]);
    assert.equal(
      text,
      'step 2: expected a bot reply containing "lost"\nactual: bot said ["on its way"]\n\ntranscript:\n  customer: where is it\n  bot: on its way',
    );
  });
});

describe('conversation scenarios in the editor: parse problems', () => {
  it('returns the scenarios with their steps and lines when the file is valid', () => {
    const parsed = parseConversationFile('a.conversation.yaml', 'name: a\nsteps:\n  - say: hi\n  - expectBot: { contains: hello }\n');
    assert.ok('scenarios' in parsed);
    assert.deepEqual(parsed.scenarios[0]?.steps.map((s) => s.line), [3, 4]);
  });

  it('places a schema error at the step\'s line, without the file:line prefix', () => {
    const parsed = parseConversationFile('a.conversation.yaml', 'name: a\nsteps:\n  - say: hi\n  - expectBott: { contains: hello }\n');
    assert.ok('problem' in parsed);
    assert.equal(parsed.problem.line, 4);
    assert.ok(!parsed.problem.message.startsWith('a.conversation.yaml'), parsed.problem.message);
  });

  it('lists every schema problem, each at its own line (the editor marks them all)', () => {
    const parsed = parseConversationFile('c.conversation.yaml', 'name: c\nsteps:\n  - say: hi\n  - expectBott: { contains: a }\n  - say: ok\n  - agentSayz: hello\n');
    assert.ok('problems' in parsed);
    assert.deepEqual(parsed.problems.map((p) => p.line), [4, 6]);
    assert.equal(parsed.problem.line, 4);
  });

  it('places a YAML syntax error at its line', () => {
    const parsed = parseConversationFile('b.conversation.yaml', 'name: x\nsteps:\n  - say: hi\n    bad\n  - say: ok\n');
    assert.ok('problem' in parsed);
    assert.equal(parsed.problem.line, 4);
    assert.match(parsed.problem.message, /map keys/i);
  });
});
