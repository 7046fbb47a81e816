import type { BotSession, BotTurnResult, Sandbox } from '../src/index.js';
import { connectGuest, structured, type GuestClient, type WireFrame } from './guest-client.js';

/**
 * Plays the inbound message flow's Call Digital Bot Flow for tests: every text a guest sends goes to
 * a bot session on its conversation (started on the first one) until the bot exits.
 */
export interface BotHarness {
  readonly sessions: Map<string, BotSession>;
  readonly results: Map<string, BotTurnResult[]>;
  stop(): void;
}

export function playBot(sb: Sandbox, botId?: string): BotHarness {
  const sessions = new Map<string, BotSession>();
  const results = new Map<string, BotTurnResult[]>();
  const stop = sb.guest.onGuestMessage((e) => {
    if (e.kind !== 'text' || e.text === undefined) return;
    let session = sessions.get(e.conversationId);
    if (!session) {
      session = sb.bots.start(e.conversationId, botId);
      sessions.set(e.conversationId, session);
    }
    if (session.exit) return;
    results.set(e.conversationId, [...(results.get(e.conversationId) ?? []), session.turn(e.text)]);
  });
  return { sessions, results, stop };
}

/** A configured guest on the sandbox's deployment. */
export async function guestOn(sb: Sandbox): Promise<GuestClient> {
  const g = await connectGuest(sb.webMessagingUrl, sb.deploymentId);
  await g.configure(sb.deploymentId);
  return g;
}

/** Sends a text and waits for its Inbound echo and then `replies` Outbound texts; returns the replies. */
export async function say(g: GuestClient, text: string, replies = 1): Promise<WireFrame[]> {
  g.sendText(text);
  await g.next(structured('Inbound', 'Text'));
  const out: WireFrame[] = [];
  for (let i = 0; i < replies; i += 1) out.push(await g.next(structured('Outbound', 'Text')));
  return out;
}
