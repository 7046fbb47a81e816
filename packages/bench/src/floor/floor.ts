import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { HANDOFF_PATH } from '../targets.js';
import type { MessageData, Participant } from '../genesys-shapes.js';

/**
 * The floor: the least a process can do and still make the bridge's flow-mode handoff, written as
 * small as it honestly can be, to show what the hardware allows. `node:http`, one keep-alive undici
 * pool to the Genesys origin (64 sockets, the bridge's default, so the rows compare like for like), one token fetched once (single-flight) and reused, and the same three
 * dependent Platform API calls the bridge makes (GET conversation → POST messages/bulk → PATCH
 * attributes), with the transcript cut into 256-character participant-data values as the bridge
 * writes it. No validation beyond the conversation id, no retries, no pacing, no idempotency, no
 * trace, no logs, no metrics: everything the bridge adds is measured against this.
 */
export interface FloorOptions {
  genesysUrl: string;
  clientId: string;
  clientSecret: string;
  apiKey: string;
  threshold?: number;
}


const PART = 256;
const BUDGET = 4000;

export function createFloorServer(options: FloorOptions): Server {
  const origin = new URL(options.genesysUrl).origin;
  const basePath = new URL(options.genesysUrl).pathname.replace(/\/$/, '');
  const pool = new Pool(origin, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });
  const expectedKey = Buffer.from(options.apiKey);
  const threshold = options.threshold ?? 0.7;
  let token: Promise<string> | undefined;
  let tokenExpires = 0;

  async function call(method: 'GET' | 'POST' | 'PATCH', path: string, bearer: string, body?: string): Promise<unknown> {
    const res = await pool.request({
      method,
      path: basePath + path,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body }),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path} answered ${res.statusCode}`);
    return text ? JSON.parse(text) : undefined;
  }

  function accessToken(): Promise<string> {
    if (token && Date.now() < tokenExpires) return token;
    // Single-flight: until this request settles, every caller shares it.
    tokenExpires = Number.POSITIVE_INFINITY;
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
    token = pool
      .request({
        method: 'POST',
        path: basePath + '/oauth/token',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      })
      .then(async (res) => {
        const answer = (await res.body.json()) as { access_token: string; expires_in: number };
        if (res.statusCode !== 200) throw new Error(`token answered ${res.statusCode}`);
        tokenExpires = Date.now() + (answer.expires_in - 60) * 1000;
        return answer.access_token;
      });
    token.catch(() => (token = undefined));
    return token;
  }

  async function handoff(input: { conversationId: string; confidence?: number }): Promise<Record<string, unknown>> {
    if (input.confidence !== undefined && input.confidence >= threshold) return { status: 'bot_keeps' };
    const bearer = await accessToken();
    const cid = encodeURIComponent(input.conversationId);
    const conversation = (await call('GET', `/api/v2/conversations/messages/${cid}`, bearer)) as { participants?: Participant[] };
    const participants = conversation.participants ?? [];
    const ids: string[] = [];
    for (const p of participants) for (const m of p.messages ?? []) if (m.messageId) ids.push(m.messageId);
    const listing = (await call('POST', `/api/v2/conversations/messages/${cid}/messages/bulk`, bearer, JSON.stringify(ids))) as { entities?: MessageData[] };
    const lines = (listing.entities ?? [])
      .filter((m) => m.normalizedMessage?.type === 'Text')
      .sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)))
      .map((m) => `${m.direction === 'inbound' ? 'Customer' : m.normalizedMessage?.originatingEntity === 'Bot' ? 'Bot' : 'Agent'}: ${m.normalizedMessage?.text ?? ''}`);
    const transcript = lines.join('\n').slice(-BUDGET);
    const attributes: Record<string, string> = {};
    for (let i = 0, n = 1; i < transcript.length; i += PART, n += 1) attributes[`conversationDetails.participantData.baton.transcript.${n}`] = transcript.slice(i, i + PART);
    const customer = participants.find((p) => p.purpose === 'customer');
    await call('PATCH', `/api/v2/conversations/messages/${cid}/participants/${encodeURIComponent(customer?.id ?? '')}/attributes`, bearer, JSON.stringify({ attributes }));
    return { status: 'ready_for_transfer', transcriptParts: Math.ceil(transcript.length / PART) };
  }

  function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== HANDOFF_PATH) return answer(res, 404, { code: 'not_found' });
    const key = Buffer.from(String(req.headers['x-api-key'] ?? ''));
    if (key.length !== expectedKey.length || !timingSafeEqual(key, expectedKey)) return answer(res, 401, { code: 'unauthorized' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: { conversationId?: unknown; confidence?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return answer(res, 400, { code: 'bad_request' });
    }
    if (typeof body?.conversationId !== 'string') return answer(res, 400, { code: 'bad_request', message: 'conversationId is required' });
    try {
      answer(res, 200, await handoff({ conversationId: body.conversationId, ...(typeof body.confidence === 'number' && { confidence: body.confidence }) }));
    } catch (error) {
      answer(res, 502, { code: 'upstream_failed', message: (error as Error).message });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  server.on('close', () => void pool.close());
  return server;
}
