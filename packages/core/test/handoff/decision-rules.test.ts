import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseActionInput } from '../../src/contracts/actions.js';
import { decide, presentValue, readIntentFromAttributes } from '../../src/handoff/decision.js';
import { formatSlots, parseSlots } from '../../src/handoff/slots.js';

const policy = { threshold: 0.7, onUnknownIntent: 'handoff' as const };
const confident = { intent: 'TrackOrder', confidence: 0.93, source: 'inputs' as const };

/** Issue 14, section 1: the decision on what a Call Digital Bot Flow really gives its flow. */
describe('handoff/decision rules (exit reason, intent, confidence, default)', () => {
  it('when the customer asked for a human, then hand off whatever the confidence', () => {
    const out = decide(confident, policy, '', { exitReason: 'AgentRequestedByUser' });
    assert.equal(out.handoffRecommended, true);
    assert.equal(out.status, 'handoff_recommended');
    assert.equal(out.decisionRule, 'customer_asked_for_agent');
    assert.equal(out.exitReason, 'AgentRequestedByUser');
    assert.equal(out.confidence, 0.93, 'the confidence is still reported');
    assert.match(out.message, /customer_asked_for_agent \(the customer asked for a human \(exit reason AgentRequestedByUser\)\): applies/);
  });

  for (const exitReason of ['RecognitionFailure', 'Error']) {
    it(`when the bot gave up (${exitReason}), then hand off, and the message lists the rules tried`, () => {
      const out = decide(confident, policy, '', { exitReason });
      assert.equal(out.handoffRecommended, true);
      assert.equal(out.decisionRule, 'bot_gave_up');
      assert.match(out.message, new RegExp(`customer_asked_for_agent \\(exit reason ${exitReason}\\): no; bot_gave_up .*: applies`));
    });
  }

  it('when the bot exited by its own rule (TriggeredByFlow), then the confidence decides', () => {
    const keep = decide(confident, policy, '', { exitReason: 'TriggeredByFlow' });
    assert.equal(keep.decisionRule, 'confidence_at_or_above_threshold');
    assert.equal(keep.handoffRecommended, false);
    assert.match(keep.message, /customer_asked_for_agent .*: no; bot_gave_up .*: no; confidence_below_threshold .*: no; confidence_at_or_above_threshold .*: applies/);
    const low = decide({ ...confident, confidence: 0.2 }, policy, '', { exitReason: 'TriggeredByFlow' });
    assert.equal(low.decisionRule, 'confidence_below_threshold');
    assert.equal(low.handoffRecommended, true);
  });

  it('when the exit reason is one Baton does not know, then it is accepted, said to be unknown, and the next rules decide', () => {
    const out = decide(undefined, policy, 'no source', { exitReason: 'SomethingNew' });
    assert.equal(out.exitReason, 'SomethingNew');
    assert.equal(out.decisionRule, 'default');
    assert.match(out.message, /exit reason SomethingNew \(not one Baton knows: no rule uses it\)/);
  });

  it('when nothing is known, then the configured default decides (and says it is the default)', () => {
    const handoff = decide(undefined, policy, 'no source', { intent: 'Billing' });
    assert.deepEqual([handoff.decisionRule, handoff.status, handoff.handoffRecommended, handoff.intent], ['default', 'unknown', true, 'Billing']);
    assert.match(handoff.message, /the flow names intent 'Billing' but no confidence.*configured default is to hand off/);
    const keep = decide(undefined, { ...policy, onUnknownIntent: 'keep' }, 'no source');
    assert.deepEqual([keep.decisionRule, keep.handoffRecommended], ['default', false]);
  });

  it('NOT_SET (and "") is no intent and no exit reason, in inputs and in participant data', () => {
    assert.equal(presentValue('NOT_SET'), undefined);
    assert.equal(presentValue(' '), undefined);
    const input = parseActionInput('assess-intent', {
      conversationId: '6f1c1a43-2a8c-4d6e-9a63-8f0b8b4b8c11',
      intent: 'NOT_SET',
      exitReason: 'NOT_SET',
      slots: '',
    });
    assert.equal(input.intent, undefined);
    assert.equal(input.exitReason, undefined);
    assert.equal(input.slots, undefined);
    const read = readIntentFromAttributes({ 'bot.intent': 'NOT_SET', 'bot.confidence': '0.4' }, { intent: 'bot.intent', confidence: 'bot.confidence' });
    assert.equal(read.reading?.intent, '');
    assert.equal(decide(undefined, policy, 'x', { intent: 'NOT_SET' }).intent, '');
  });
});

describe('handoff/slots (one flat input: name=value;name=value)', () => {
  it('parses pairs, splits at the first "=", decodes %XX, drops empty and NOT_SET values', () => {
    const { slots, problems } = parseSlots('orderNumber=12345; city=New%20York;note=a=b%3Bc;empty=;unset=NOT_SET;caf%C3%A9=ok;');
    assert.deepEqual(slots, { orderNumber: '12345', city: 'New York', note: 'a=b;c', 'café': 'ok' });
    assert.deepEqual(problems, []);
  });

  it('reports pairs that are not name=value, never failing, and a lone % stays as written', () => {
    const { slots, problems } = parseSlots('justtext;=value;pct=100%');
    assert.deepEqual(slots, { pct: '100%' });
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /slot pair 1 "justtext" is not name=value/);
  });

  it('a slot named __proto__ is a slot, and formatSlots writes back what parseSlots reads', () => {
    const { slots } = parseSlots('__proto__=x;b=1%3B2');
    assert.equal(Object.getPrototypeOf(slots), Object.prototype);
    assert.deepEqual(Object.keys(slots), ['__proto__', 'b']);
    assert.deepEqual(parseSlots(formatSlots(slots)).slots, slots);
    assert.equal(formatSlots({ a: 'x=y;z%' }), 'a=x%3Dy%3Bz%25');
  });
});
