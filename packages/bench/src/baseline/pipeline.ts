import { Agent, fetch } from 'undici';
import type { MessageData, Participant } from '../genesys-shapes.js';

/**
 * The seed tutorial's pipeline, ported as literally as the real Genesys API allows: what a
 * straightforward port would do, to measure the bridge against. Deliberately naive, as the seed is:
 * - a new client-credentials token for every handoff (the seed builds its client per run);
 * - every call strictly after the previous one, none in parallel;
 * - a new TCP connection for every call (a fresh dispatcher per call, closed after it), no reuse;
 * - no pacing, no retries, no idempotency, no queue lookup, no trace.
 * The seed's three steps map to: intent from the flow's inputs (the analytics metric it reads does
 * not exist), transcript = GET conversation + POST messages/bulk, "welcome message" = PATCH the
 * customer's agent-visible participant attributes (the flow's Transfer to ACD queues it).
 */
export interface BaselineGenesys {
  genesysUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface BaselineHandoffInput {
  conversationId: string;
  intent?: string;
  confidence?: number;
}

export interface BaselineHandoffResult {
  status: 'ready_for_transfer' | 'bot_keeps';
  transcript: string;
  apiCalls: number;
}

const THRESHOLD = 0.7;
const PREFIX = 'Agent, the guest requires assistance. Chat history follows:\n';


export async function baselineHandoff(genesys: BaselineGenesys, input: BaselineHandoffInput): Promise<BaselineHandoffResult> {
  if (input.confidence !== undefined && input.confidence >= THRESHOLD) return { status: 'bot_keeps', transcript: '', apiCalls: 0 };
  const base = genesys.genesysUrl;
  const cid = encodeURIComponent(input.conversationId);

  const basic = Buffer.from(`${genesys.clientId}:${genesys.clientSecret}`).toString('base64');
  const token = (await call(`${base}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  })) as { access_token: string };
  const auth = { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' };

  const conversation = (await call(`${base}/api/v2/conversations/messages/${cid}`, { method: 'GET', headers: auth })) as { participants?: Participant[] };
  const participants = conversation.participants ?? [];
  const ids = participants.flatMap((p) => (p.messages ?? []).map((m) => m.messageId)).filter((id): id is string => typeof id === 'string');
  const listing = (await call(`${base}/api/v2/conversations/messages/${cid}/messages/bulk`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(ids),
  })) as { entities?: MessageData[] };

  const lines = (listing.entities ?? [])
    .filter((m) => m.normalizedMessage?.type === 'Text')
    .sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)))
    .map((m) => {
      const from = m.direction === 'inbound' ? 'guest' : m.normalizedMessage?.originatingEntity === 'Bot' ? 'bot' : 'agent';
      return `[${from}] ${m.normalizedMessage?.text ?? ''}`;
    });
  const transcript = lines.length > 0 ? PREFIX + lines.join('\n') : 'No prior conversation history available.';

  const customer = participants.find((p) => p.purpose === 'customer');
  await call(`${base}/api/v2/conversations/messages/${cid}/participants/${encodeURIComponent(customer?.id ?? '')}/attributes`, {
    method: 'PATCH',
    headers: auth,
    // The seed's welcomeMessage, cut to one participant-data value (256 characters).
    body: JSON.stringify({ attributes: { 'conversationDetails.participantData.Welcome Message': transcript.slice(0, 256) } }),
  });
  return { status: 'ready_for_transfer', transcript, apiCalls: 3 };
}

async function call(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<unknown> {
  // A dispatcher of its own per call: a new connection each time, closed once the body is read.
  const dispatcher = new Agent();
  try {
    const res = await fetch(url, { ...init, dispatcher });
    const body = await res.text();
    if (!res.ok) throw new Error(`${init.method} ${new URL(url).pathname} answered ${res.status}`);
    return JSON.parse(body) as unknown;
  } finally {
    void dispatcher.close();
  }
}
