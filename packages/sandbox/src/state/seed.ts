import { createHash } from 'node:crypto';
import type { ParsedConversationFixture } from './fixture.js';
import type { OrgDirectory } from './org.js';
import type { Prng } from './prng.js';
import type { QueueRecord } from './records.js';

const QUEUE_NAMES = ['Support', 'Billing', 'General', 'Sales', 'Returns'] as const;
const AGENT_NAMES = ['Alex Agent', 'Sam Support', 'Riley Rep', 'Jordan Helper'] as const;

/** Division, bot flow, queues, agents and deployment from the seed (same seed, same ids). */
export function seedDirectory(prng: Prng, now: number): OrgDirectory {
  const division = { id: prng.uuid(), name: 'Home' };
  const botFlow = { id: prng.uuid(), name: 'Baton Support Bot' };
  const queues: QueueRecord[] = QUEUE_NAMES.map((name, i) => ({
    id: prng.uuid(),
    name,
    description: `${name} queue`,
    dateCreated: now - (400 - i) * 86_400_000,
    memberCount: prng.int(3, 40),
  }));
  const agents = AGENT_NAMES.map((name) => ({ id: prng.uuid(), name }));
  const deploymentId = prng.uuid();
  // Derived, not drawn: a new PRNG draw here would change every id seeded after it.
  const messageFlow = { id: derivedUuid(botFlow.id, 'inbound message flow'), name: 'Baton Inbound Message Flow' };
  return { division, botFlow, messageFlow, queues, agents, deploymentId };
}

/** A v4-shaped UUID that is a function of `base` and `label`. */
function derivedUuid(base: string, label: string): string {
  const h = createHash('sha256').update(`${base}/${label}`).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface IntentScript {
  intent: string;
  openers: readonly string[];
  details: readonly string[];
  botAsk: string;
}

const SCRIPTS: readonly IntentScript[] = [
  { intent: 'CancelOrder', openers: ['I want to cancel my order', 'Please cancel my order'], details: ['It is order 55120', 'Order number 77341, placed yesterday'], botAsk: 'What is your order number?' },
  { intent: 'TrackOrder', openers: ['Where is my parcel?', 'Tracking has said nothing for days'], details: ['Order 66012', 'It was meant to arrive Monday'], botAsk: 'Can you share the order number?' },
  { intent: 'BillingQuestion', openers: ['Question about my bill', 'Why was I charged twice?'], details: ['The invoice from last week', 'Two charges of 49.99'], botAsk: 'Which invoice is this about?' },
  { intent: 'ResetPassword', openers: ['I cannot log in', 'I forgot my password'], details: ['The reset email never comes', 'It says the account is locked'], botAsk: 'Did you try the reset link on the login page?' },
  { intent: 'Refund', openers: ['I want my money back', 'Refund for a damaged item'], details: ['The screen was cracked', 'The wrong size was delivered'], botAsk: 'Sorry about that. What went wrong with the item?' },
  { intent: 'TechnicalIssue', openers: ['The app keeps crashing', 'My router drops the connection'], details: ['Since the last update', 'Every few minutes'], botAsk: 'Have you tried restarting the device?' },
];

const FIRST = ['Ava', 'Ben', 'Chloe', 'Dev', 'Ella', 'Finn', 'Grace', 'Hiro', 'Isla', 'Jon', 'Kira', 'Liam', 'Maya', 'Noah', 'Omar', 'Pia'];
const LAST = ['Smith', 'Jones', 'Patel', 'Garcia', 'Kim', 'Nguyen', 'Brown', 'Silva', 'Müller', 'Rossi', 'Khan', 'Dubois'];
const AGENT_LINES = ['Hi, thanks for waiting. I have the details from the bot.', 'Let me check that for you.', 'Done. Is there anything else?'];

type Message = ParsedConversationFixture['messages'][number];

/**
 * Realistic conversations from the PRNG: bot-held, queued and agent-handled conversations started
 * over the last ~9 days (bot analytics keep ~10 days, docs/genesys-facts.md#bot-flow-analytics), most with a bot session, some
 * with participant data, a few listed out of order and with receipts. Already in parsed form (no
 * zod pass) so that 10,000 take well under a second.
 */
export function generateFixtures(prng: Prng, dir: OrgDirectory, count: number): ParsedConversationFixture[] {
  const out: ParsedConversationFixture[] = [];
  for (let i = 0; i < count; i += 1) {
    const script = prng.pick(SCRIPTS);
    const confidence = Math.round(prng.next() * 100) / 100;
    const roll = prng.next();
    const kind: 'inBot' | 'inQueue' | 'withAgent' = roll < 0.5 ? 'inBot' : roll < 0.8 ? 'inQueue' : 'withAgent';
    const startedAt = -prng.int(5 * 60, 9 * 86_400);
    let t = prng.int(2, 20);
    const messages: Message[] = [];
    const push = (from: Message['from'], text: string, msgKind: Message['kind'] = 'text'): void => {
      messages.push({ from, text, kind: msgKind, at: t });
      t += prng.int(2, 90);
    };
    push('customer', prng.pick(script.openers));
    push('bot', script.botAsk);
    const extra = prng.int(0, 4);
    for (let k = 0; k < extra; k += 1) {
      push('customer', prng.pick(script.details));
      if (prng.chance(0.2)) push('bot', '', 'receipt');
      push('bot', 'Thanks, one moment.');
    }
    if (kind === 'withAgent') {
      t += prng.int(30, 600);
      for (const line of AGENT_LINES.slice(0, prng.int(1, 3))) {
        push('agent', line);
        if (prng.chance(0.6)) push('customer', prng.pick(script.details));
      }
    }
    // Web messaging does not guarantee listing order: swap a neighbouring pair now and then.
    let listOrder: ParsedConversationFixture['listOrder'] = 'chronological';
    if (messages.length > 2 && prng.chance(0.1)) {
      const j = prng.int(0, messages.length - 2);
      const a = messages[j] as Message;
      messages[j] = messages[j + 1] as Message;
      messages[j + 1] = a;
      listOrder = 'asWritten';
    }
    const fixture: ParsedConversationFixture = {
      customerName: `${prng.pick(FIRST)} ${prng.pick(LAST)}`,
      startedAt,
      messages,
      state: kind === 'inBot' ? 'inBot' : 'inQueue',
      listOrder,
    };
    // No participant data: a Genesys bot writes none by itself, and a confidence exists only where a
    // bot author writes one (the lowConfidence and highConfidence scenarios) or in bot-flow
    // analytics. The draw that once chose participant data stays, so a seed's conversations stay the same.
    prng.chance(0.6);
    if (prng.chance(0.85)) fixture.botSession = { intent: script.intent, confidence };
    if (kind !== 'inBot') fixture.queueId = prng.pick(dir.queues).id;
    out.push(fixture);
  }
  return out;
}
