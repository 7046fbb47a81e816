import type { BotDefinitionInput } from './bot-definition.js';

/**
 * The seeded bot: the README's scenarios (a refund, a billing question, an order status the bot
 * answers itself, a customer asking for an agent, a confused customer). Written exactly as a bot
 * definition file (JSON) would be; its `id` is replaced by the org's bot flow id at start-up so that
 * bot-flow analytics list its sessions. It writes `bot.intent` and `bot.confidence` when it exits,
 * as a bot author does for Baton (a Genesys bot writes no participant data by itself,
 * docs/genesys-facts.md#participant-data).
 */
export const DEFAULT_BOT: BotDefinitionInput = {
  id: 'default',
  name: 'Baton Support Bot',
  language: 'en-us',
  greeting: 'Hi! I am the support bot. What can I help you with today?',
  confidenceThreshold: 0.5,
  intents: [
    {
      name: 'Refund',
      utterances: ['I want a refund', 'I want my money back', 'refund for a damaged item', 'the item arrived broken, refund please', 'return an item for a refund'],
      slots: ['orderNumber'],
      requires: ['orderNumber'],
      reply: 'Thanks. I have noted a refund request for order {orderNumber}.',
    },
    {
      name: 'BillingQuestion',
      utterances: ['question about my bill', 'why was I charged twice', 'problem with my invoice', 'billing question', 'wrong amount on my bill'],
      slots: ['paymentMethod'],
      reply: 'Let me look into your billing question.',
    },
    {
      name: 'TrackOrder',
      utterances: ['where is my order', 'where is my parcel', 'track my order', 'order status', 'my package has not arrived'],
      slots: ['orderNumber'],
      requires: ['orderNumber'],
      reply: 'Order {orderNumber} is on its way and should arrive within two days. Anything else?',
      // The bot answers this one itself: the customer says goodbye, or asks for more.
      exit: false,
    },
    {
      name: 'CancelOrder',
      utterances: ['cancel my order', 'please cancel my order', 'I want to cancel an order'],
      slots: ['orderNumber'],
      requires: ['orderNumber'],
      reply: 'I have noted the cancellation of order {orderNumber}.',
    },
  ],
  slots: [
    { name: 'orderNumber', pattern: '\\b(\\d{5,})\\b', prompt: 'What is your order number?' },
    { name: 'paymentMethod', values: ['card', 'PayPal', 'bank transfer'] },
  ],
  exit: {
    agentPhrases: ['agent', 'human', 'real person', 'representative', 'operator', 'speak to someone', 'talk to someone'],
    userExitPhrases: ['bye', 'goodbye', "that's all", 'no thanks'],
    maxNoMatch: 2,
  },
  participantData: { intent: 'bot.intent', confidence: 'bot.confidence' },
};
