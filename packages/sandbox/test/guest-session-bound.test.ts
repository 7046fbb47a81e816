import assert from 'node:assert/strict';
import { createSandbox, SandboxError, type Sandbox } from '../src/index.js';
import { connectGuest, structured, type GuestClient } from './guest-client.js';

/**
 * Any token a Guest API client sends makes a session; `maxGuestSessions` bounds how many the
 * sandbox keeps, dropping the least recently active one nobody is connected to (or whose
 * conversation ended). Observed as a client sees it: a dropped token's next configureSession is a
 * new session (`newSession: true`), a kept one's resumes (`newSession: false`).
 */
describe('Guest API sessions are bounded (maxGuestSessions, least recently active idle/ended first)', function () {
  this.timeout(20_000);
  let sb: Sandbox;
  const guests: GuestClient[] = [];
  const guest = async (token?: string) => {
    const g = await connectGuest(sb.webMessagingUrl, sb.deploymentId, token);
    guests.push(g);
    return g;
  };
  /** configureSession with `token` on `g`'s socket (the socket's earlier session goes idle). */
  const configureAs = async (g: GuestClient, token: string) => {
    g.send({ action: 'configureSession', token, deploymentId: sb.deploymentId });
    return (await g.next((f) => f.type === 'response')).body as { newSession: boolean };
  };
  beforeEach(async () => {
    sb = await createSandbox({ conversations: 0, maxGuestSessions: 3 });
  });
  afterEach(async () => {
    for (const g of guests.splice(0)) await g.close();
    await sb.close();
  });

  it('when random tokens churn past the bound, then idle sessions are dropped oldest first and a connected one is kept however old', async () => {
    // The oldest session, its guest still connected, in a conversation.
    const live = await guest();
    await live.configure(sb.deploymentId);
    live.sendText('hello');
    await live.next(structured('Inbound', 'Text'));
    const conversationId = sb.guest.conversationIdOf(live.token);
    assert.ok(conversationId);

    // One socket sends token after token: each earlier one is left idle.
    const churn = await guest();
    for (const token of ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']) assert.equal((await configureAs(churn, token)).newSession, true);

    // Kept: the connected one (the oldest of all) and the two most recently active.
    assert.equal(sb.guest.conversationIdOf(live.token), conversationId);
    const probe = await guest();
    assert.equal((await configureAs(probe, 'r5')).newSession, false, 'r5 was among the most recent');
    // Dropped: r1..r4, each when a newer token needed its place.
    assert.equal((await configureAs(probe, 'r1')).newSession, true, 'r1 was dropped');
    live.sendText('still here');
    await live.next(structured('Inbound', 'Text'));
    assert.deepEqual(sb.org.getConversation(conversationId)?.messages.map((m) => m.text), ['hello', 'still here']);
  });

  it('when every session is connected, then the bound is exceeded rather than a guest cut off; an ended (read-only) one and then an idle one go first', async () => {
    const [g1, g2, g3, g4] = [await guest(), await guest(), await guest(), await guest()] as const;
    for (const g of [g1, g2, g3, g4]) assert.equal((await g.configure(sb.deploymentId)).body.newSession, true);
    // g1's conversation ends from the org's side: its session turns read-only, its guest still connected.
    g1.sendText('hello');
    await g1.next(structured('Inbound', 'Text'));
    sb.guest.disconnect(sb.guest.conversationIdOf(g1.token)!);
    await g1.next(structured('Outbound', 'Event'));
    // A new token (on g3's socket, which leaves g3 idle) drops the ended g1; the next one drops idle g3.
    await configureAs(g3, 'x');
    await configureAs(await guest(), 'y');
    const probe = await guest();
    assert.equal((await configureAs(probe, g2.token)).newSession, false, 'g2 (connected) kept');
    assert.equal((await configureAs(probe, g4.token)).newSession, false, 'g4 (connected) kept');
    assert.equal((await configureAs(probe, g1.token)).newSession, true, 'g1 (ended) dropped');
    assert.equal((await configureAs(probe, g3.token)).newSession, true, 'g3 (idle) dropped');
  });

  it('when maxGuestSessions is not a positive integer, then createSandbox refuses naming the option', async () => {
    await assert.rejects(createSandbox({ maxGuestSessions: 0 }), (e: unknown) => e instanceof SandboxError && /maxGuestSessions/.test(e.message));
  });
});
