import assert from 'node:assert/strict';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import type { UpstreamCall } from '../../src/contracts/trace.js';
import { GenesysApiError } from '../../src/errors.js';
import { CAPTURED_BODY_LIMIT, captureBody } from '../../src/genesys/call-runner.js';
import { createGenesysClient, type GenesysClient, type GenesysClientOptions } from '../../src/genesys/client.js';
import { resolveTarget } from '../../src/genesys/target.js';

describe('Genesys client captureBodies (request and answer bodies on each UpstreamCall)', function () {
  let sandbox: Sandbox;
  const clients: GenesysClient[] = [];
  const calls: UpstreamCall[] = [];
  /** Every Authorization header the client sent, to check no record carries the token. */
  const tokensSent = new Set<string>();

  const client = (over: Partial<GenesysClientOptions> = {}): GenesysClient => {
    const c = createGenesysClient({
      target: resolveTarget({ baseUrl: sandbox.url }),
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      onCall: (call) => calls.push(call),
      fetch: (url, init) => {
        const auth = new Headers(init.headers).get('authorization');
        if (auth?.startsWith('Bearer ')) tokensSent.add(auth.slice('Bearer '.length));
        return fetch(url, init);
      },
      ...over,
    });
    clients.push(c);
    return c;
  };
  const customerOf = (conversationId: string) => sandbox.org.getConversation(conversationId)!.participants.find((p) => p.purpose === 'customer')!;
  const callOf = (route: string) => {
    const found = calls.filter((c) => c.route === route);
    assert.equal(found.length, 1, `one ${route} call in ${JSON.stringify(calls.map((c) => c.route))}`);
    return found[0]!;
  };
  const assertNoCredentials = () => {
    assert.ok(tokensSent.size > 0, 'the client sent a bearer token');
    const recorded = JSON.stringify(calls);
    for (const token of tokensSent) assert.ok(!recorded.includes(token), 'no record holds the access token');
    assert.ok(!recorded.includes(sandbox.clientSecret), 'no record holds the client secret');
    assert.ok(!/authorization|bearer/i.test(recorded), 'no headers recorded');
  };

  beforeEach(async () => {
    sandbox = await createSandbox({ conversations: 5, rateLimitPerMinute: 100_000 });
    calls.length = 0;
    tokensSent.clear();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await sandbox.close();
  });

  it('a PATCH attributes call records the attributes sent and the answer', async () => {
    const id = sandbox.scenarios.lowConfidence;
    const customer = customerOf(id);
    const attributes = { 'bot.summary': 'wants to cancel', 'bot.turns': '4' };
    const result = await client({ captureBodies: true }).patchParticipantAttributes(id, customer.id, attributes);

    const call = callOf('patchConversationsMessageParticipantAttributes');
    assert.deepEqual(call.requestBody, { attributes });
    assert.deepEqual(call.responseBody, JSON.parse(JSON.stringify(result)), 'the answer, parsed');
    assert.equal((call.responseBody as { attributes: Record<string, string> }).attributes['bot.summary'], 'wants to cancel');
    assertNoCredentials();
  });

  it('a bulk call records the ids sent and its answer, the first 4 KB when longer', async () => {
    const id = sandbox.scenarios.longTranscript;
    const ids = sandbox.org.getConversation(id)!.messages.map((m) => m.id);
    const c = client({ captureBodies: true });

    await c.getMessagesBulk(id, ids.slice(0, 1));
    const small = calls.at(-1)!;
    assert.equal(small.route, 'postConversationsMessageMessagesBulk');
    assert.deepEqual(small.requestBody, ids.slice(0, 1));
    const entities = (small.responseBody as { entities: { id: string }[] }).entities;
    assert.deepEqual(
      entities.map((m) => m.id),
      ids.slice(0, 1),
      'a short answer is kept whole, as JSON',
    );

    await c.getMessagesBulk(id, ids);
    const big = calls.at(-1)!;
    assert.equal(big.route, 'postConversationsMessageMessagesBulk');
    assert.equal(typeof big.responseBody, 'string', 'a long answer is kept as text');
    const text = big.responseBody as string;
    const truncated = /…\[truncated (\d+) bytes\]$/.exec(text);
    assert.ok(truncated, `ends with the truncation note: ${text.slice(-60)}`);
    assert.ok(Number(truncated[1]) > 0);
    assert.equal(Buffer.byteLength(text.slice(0, truncated.index)), CAPTURED_BODY_LIMIT, 'the first 4 KB');
    assert.ok(text.startsWith('{'), 'the beginning of the answer');
    assertNoCredentials();
  });

  it('an error answer is recorded too', async () => {
    await assert.rejects(client({ captureBodies: true }).getConversation('00000000-0000-4000-8000-00000000dead'), GenesysApiError);
    const call = callOf('getConversation');
    assert.equal(call.status, 404);
    assert.equal(call.requestBody, undefined, 'a GET sends no body');
    assert.equal((call.responseBody as { status?: number }).status, 404, JSON.stringify(call.responseBody));
    assertNoCredentials();
  });

  it('without the option, no bodies are recorded', async () => {
    const id = sandbox.scenarios.lowConfidence;
    const c = client();
    await c.patchParticipantAttributes(id, customerOf(id).id, { 'bot.summary': 'wants to cancel' });
    await c.getMessagesBulk(id, sandbox.org.getConversation(id)!.messages.map((m) => m.id));
    await assert.rejects(c.getConversation('00000000-0000-4000-8000-00000000dead'));
    assert.ok(calls.length >= 3, JSON.stringify(calls.map((c) => c.route)));
    for (const call of calls) {
      assert.ok(!('requestBody' in call) && !('responseBody' in call), `no bodies on ${call.route}`);
    }
  });

  it('captureBody keeps text that is not JSON, and counts the bytes it leaves out', () => {
    assert.equal(captureBody('<html>Bad gateway</html>'), '<html>Bad gateway</html>');
    assert.deepEqual(captureBody('{"a":1}'), { a: 1 });
    const long = 'é'.repeat(CAPTURED_BODY_LIMIT); // 2 bytes each
    const kept = captureBody(long) as string;
    assert.equal(kept, `${'é'.repeat(CAPTURED_BODY_LIMIT / 2)}…[truncated ${CAPTURED_BODY_LIMIT} bytes]`);
    const odd = captureBody(`x${long}`) as string;
    assert.ok(!odd.includes('\uFFFD'), 'a character cut in two is dropped, not mangled');
  });
});
