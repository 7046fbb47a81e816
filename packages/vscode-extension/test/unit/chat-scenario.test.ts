import assert from 'node:assert/strict';
import { parseConversationScenarios } from '@baton/core';
import {
  conversationScenarioYaml,
  distinctiveFragment,
  participantDataExpectations,
  scenarioFileName,
  scenarioSteps,
  withScenarioSuffix,
  type ChatRecord,
} from '../../src/chat/chat-scenario.js';

const handedOff: ChatRecord = {
  events: [
    { kind: 'customer', text: 'I want to talk to a human about my invoice' },
    { kind: 'bot', text: 'Hi! I am the support bot. What can I help you with today?' },
    { kind: 'bot', text: "I'll connect you with someone from our team." },
    {
      kind: 'handoff',
      queue: 'Support',
      priority: 5,
      decisionRule: 'customer_asked_for_agent: Hand off: the customer asked for a human (exit reason AgentRequestedByUser)',
      participantData: {
        'bot.intent': 'NOT_SET',
        'conversationDetails.participantData.Baton Summary': 'longtext:I want to talk to a human about my invoice',
        'conversationDetails.participantData.Baton Exit Reason': 'AgentRequestedByUser',
        'conversationDetails.participantData.Baton Confidence': 'number:0.00',
      },
    },
    { kind: 'bot', text: 'Transferring to human support. Please wait.' },
    { kind: 'agent', text: 'Hello, I can see your invoice.', fromPanel: true },
    { kind: 'disconnect', byPanel: true },
  ],
};

describe('Save as Scenario: the generator (chat record → *.conversation.yaml)', () => {
  it('when a chat was handed off, answered, and ended by the agent, then every observation becomes its step, in order', () => {
    assert.deepEqual(scenarioSteps(handedOff), [
      { say: 'I want to talk to a human about my invoice' },
      { expectBot: { contains: 'What can I help you with today?' } },
      { expectBot: { contains: "I'll connect you with someone from our team." } },
      { expectHandoff: { queue: 'Support', priority: 5, decisionRule: 'customer_asked_for_agent' } },
      { expectParticipantData: { 'Baton Exit Reason': 'AgentRequestedByUser', 'Baton Confidence': '0.00' } },
      { expectAgentAnswers: { queue: 'Support' } },
      { expectBot: { contains: 'Transferring to human support.' } },
      { agentSays: 'Hello, I can see your invoice.' },
      { expectAgent: { contains: 'Hello, I can see your invoice.' } },
      { disconnect: true },
      { expectDisconnect: true },
    ]);
  });

  it("the YAML parses with core's parser into the same steps, whatever the customer typed (quotes, colons, #, newlines)", () => {
    const tricky = 'order #12: "refund" \'now\'\nplease - {x}: [y]';
    const record: ChatRecord = { events: [{ kind: 'customer', text: tricky }, ...handedOff.events.slice(1)] };
    const yaml = conversationScenarioYaml(record, { name: 'invoice: handed off #1' });
    const [scenario] = parseConversationScenarios('saved.conversation.yaml', yaml);
    assert.equal(scenario?.name, 'invoice: handed off #1');
    assert.deepEqual(
      scenario?.steps.map((s) => s.step),
      scenarioSteps(record),
    );
    assert.deepEqual(scenario?.steps[0]?.step, { say: tricky });
  });

  it('when the conversation ended elsewhere (no agent of the panel), then it expects the disconnect without causing it', () => {
    const steps = scenarioSteps({ events: [{ kind: 'customer', text: 'hi' }, { kind: 'disconnect', byPanel: false }] });
    assert.deepEqual(steps, [{ say: 'hi' }, { expectDisconnect: true }]);
  });

  it('when a handoff was observed with no agent answering yet (a real org, still queued), then no expectAgentAnswers', () => {
    const steps = scenarioSteps({
      events: [{ kind: 'customer', text: 'hi' }, { kind: 'handoff', queue: 'Support', priority: 5, participantData: {}, agentAnswered: false }],
    });
    assert.deepEqual(steps, [{ say: 'hi' }, { expectHandoff: { queue: 'Support', priority: 5 } }]);
  });

  it('when the customer said nothing, then there is nothing to save', () => {
    assert.throws(() => conversationScenarioYaml({ events: [{ kind: 'bot', text: 'Hello' }] }), /Nothing to save/);
  });

  it('picks a fragment no other reply contains, cut at a word boundary', () => {
    const greeting = 'Hi! I am the support bot. What can I help you with today?';
    const other = 'Sorry, I did not get that. What can I help you with today?';
    assert.equal(distinctiveFragment(greeting, [greeting, other]), 'I am the support bot.');
    const long = 'Your order 5551234 is on its way and should arrive within three to five business days';
    const f = distinctiveFragment(long, [long]);
    assert.ok(f.length <= 48 && long.startsWith(f) && !f.endsWith(' '), f);
  });

  it('expects a couple of agent-visible keys, by the name the agent sees, never machine keys', () => {
    const data = participantDataExpectations({
      'baton.handoffId': 'h-1',
      'conversationDetails.participantData.Baton Summary': 'longtext:charged twice',
      'conversationDetails.participantData.Baton Intent': 'Refund',
    });
    assert.deepEqual(data, { 'Baton Intent': 'Refund', 'Baton Summary': 'charged twice' });
  });

  it('names the file after the scenario', () => {
    assert.equal(scenarioFileName('Chat: I want to talk to a human about my invoice'), 'i-want-to-talk-to-a-human-about-my-invoice.conversation.yaml');
    assert.equal(scenarioFileName('!!!'), 'chat.conversation.yaml');
  });

  it('gives a chosen file the .conversation.yaml suffix scenarios are found by', () => {
    assert.equal(withScenarioSuffix('/w/invoice.yaml'), '/w/invoice.conversation.yaml');
    assert.equal(withScenarioSuffix('/w/invoice'), '/w/invoice.conversation.yaml');
    assert.equal(withScenarioSuffix('/w/a.conversation.yaml'), '/w/a.conversation.yaml');
  });
});
