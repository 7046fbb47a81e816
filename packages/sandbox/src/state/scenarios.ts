import type { ConversationFixture } from './fixture.js';

export const SCENARIO_NAMES = [
  'lowConfidence',
  'highConfidence',
  'analyticsOnly',
  'noIntent',
  'alreadyHandedOff',
  'outOfOrder',
  'noMessages',
  'withPii',
  'longTranscript',
  'returningCustomer',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

function longTranscript(): ConversationFixture['messages'] {
  const out: NonNullable<ConversationFixture['messages']> = [];
  for (let i = 0; i < 42; i += 1) {
    out.push({ from: 'customer', text: `Customer message ${i + 1}: the router still drops the connection every few minutes.`, at: 30 + i * 40 });
    out.push({ from: 'bot', text: `Bot reply ${i + 1}: have you tried restarting the router and checking the cables?`, at: 45 + i * 40 });
  }
  return out;
}

/**
 * The named conversations every run seeds first (stable ids for a given seed). `alreadyHandedOff`
 * waits in the org's default (first) queue; `returningCustomer` came back after an agent handled a
 * first session (two sessions in one conversation id, the bot holding the second). Only lowConfidence and highConfidence carry a
 * `bot.confidence` participant data: their bot's author wrote one with Set Participant Data. A
 * Call Digital Bot Flow gives its flow no confidence (docs/genesys-facts.md#bot-exit-reasons), so
 * every other conversation is the realistic default: intent and confidence unknown to Baton
 * unless the flow passes them or bot-flow analytics have the session.
 */
export function scenarioFixtures(): Record<ScenarioName, ConversationFixture> {
  return {
    lowConfidence: {
      customerName: 'Jane Low',
      participantData: { 'bot.intent': 'CancelOrder', 'bot.confidence': '0.42' },
      botSession: { intent: 'CancelOrder', confidence: 0.42 },
      messages: [
        { from: 'customer', text: 'Hi', at: 5 },
        { from: 'bot', text: 'Hello! I am the virtual assistant. How can I help you today?', at: 7 },
        { from: 'customer', text: 'I want to cancel my order, it never arrived', at: 30 },
        { from: 'bot', text: 'I can help with that. What is your order number?', at: 32 },
        { from: 'customer', text: 'It is 12345, and I was also charged twice', at: 60 },
        { from: 'bot', text: 'Let me get you to someone who can help with that.', at: 62 },
      ],
    },
    highConfidence: {
      customerName: 'Hugo High',
      participantData: { 'bot.intent': 'TrackOrder', 'bot.confidence': '0.93' },
      botSession: { intent: 'TrackOrder', confidence: 0.93 },
      messages: [
        { from: 'customer', text: 'Where is my parcel? Order 98765', at: 5 },
        { from: 'bot', text: 'Your order 98765 shipped yesterday. Would you like to speak to an agent?', at: 7 },
        { from: 'customer', text: 'Yes please', at: 25 },
      ],
    },
    analyticsOnly: {
      customerName: 'Ana Lytics',
      botSession: { intent: 'BillingQuestion', confidence: 0.35 },
      messages: [
        { from: 'customer', text: 'Question about my invoice', at: 5 },
        { from: 'bot', text: 'Sure, what would you like to know about your invoice?', at: 7 },
        { from: 'customer', text: 'Why is it higher this month?', at: 40 },
        { from: 'bot', text: 'Let me transfer you to our billing team.', at: 42 },
      ],
    },
    noIntent: {
      customerName: 'Nora None',
      messages: [
        { from: 'customer', text: 'hello?', at: 5 },
        { from: 'bot', text: 'Hello! How can I help you today?', at: 7 },
        { from: 'customer', text: 'agent', at: 20 },
      ],
    },
    alreadyHandedOff: {
      customerName: 'Hank Handed',
      state: 'inQueue',
      botSession: { intent: 'Refund', confidence: 0.55 },
      messages: [
        { from: 'customer', text: 'I need a refund for a broken kettle', at: 5 },
        { from: 'bot', text: 'I am sorry to hear that. Connecting you to an agent now.', at: 7 },
      ],
    },
    outOfOrder: {
      customerName: 'Otto Order',
      botSession: { intent: 'ChangeAddress', confidence: 0.61 },
      // Listed out of timestamp order, with a receipt and a typing event in between, as web
      // messaging delivers them; a transcript must sort by timestamp and skip non-text items.
      listOrder: 'asWritten',
      messages: [
        { from: 'bot', text: 'What is the new address?', at: 32 },
        { from: 'customer', text: 'Hi, I moved house', at: 5 },
        { from: 'bot', text: '', kind: 'receipt', at: 33 },
        { from: 'customer', text: 'I need to change my delivery address', at: 30 },
        { from: 'customer', text: '', kind: 'event', at: 40 },
        { from: 'bot', text: 'Hello! How can I help you today?', at: 7 },
        { from: 'customer', text: '12 High Street, Springfield', at: 55 },
      ],
    },
    noMessages: {
      customerName: 'Mo Silent',
      messages: [],
    },
    withPii: {
      customerName: 'Penny Private',
      botSession: { intent: 'UpdatePayment', confidence: 0.38 },
      messages: [
        { from: 'customer', text: 'My email is jane.doe@example.com, please update my card', at: 5 },
        { from: 'bot', text: 'I can help with payment details. What would you like to change?', at: 7 },
        { from: 'customer', text: 'New card 4111 1111 1111 1111, exp 12/29', at: 40 },
        { from: 'customer', text: 'Call me on +1 (555) 010-7788 if needed', at: 55 },
        { from: 'bot', text: 'Thanks. Let me connect you with an agent.', at: 57 },
      ],
    },
    longTranscript: {
      customerName: 'Larry Long',
      botSession: { intent: 'TechnicalIssue', confidence: 0.51 },
      messages: longTranscript(),
      startedAt: -3600,
    },
    // A first session a human handled and ended; then, within the threading timeline, the customer
    // writes again: the same conversation id, a new customer and flow participant, the bot's turn.
    returningCustomer: {
      customerName: 'Rita Return',
      startedAt: -3600,
      state: 'inQueue',
      messages: [
        { from: 'customer', text: 'Where is my refund for order 5521?', at: 5 },
        { from: 'bot', text: 'Let me get someone from billing for you.', at: 8 },
        { from: 'agent', text: 'Hi Rita, the refund was issued today and takes 3 days.', at: 60 },
        { from: 'customer', text: 'Great, thanks!', at: 75 },
      ],
      returned: {
        at: 3000,
        messages: [
          { from: 'customer', text: 'Hi again, the parcel I ordered instead is damaged', at: 3000 },
          { from: 'bot', text: 'Sorry to hear that. Do you want a replacement or a refund?', at: 3003 },
          { from: 'customer', text: 'I want to speak to a person', at: 3020 },
        ],
      },
    },
  };
}
