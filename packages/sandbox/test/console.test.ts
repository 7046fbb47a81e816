import assert from 'node:assert/strict';
import { connectGuest } from './guest-client.js';
import { createTimelineStore } from '../src/index.js';
import { withSandbox } from './helpers.js';

/** Reads the event stream until a `state` event satisfies `match`; returns its snapshot. */
async function nextState(url: string, match: (s: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) assert.fail('the event stream ended');
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (/^event: state$/m.test(event) && data !== undefined) {
          const snapshot = JSON.parse(data) as Record<string, unknown>;
          if (match(snapshot)) return snapshot;
        }
      }
    }
  } finally {
    controller.abort();
  }
}

describe('the sandbox console', () => {
  it('serves one page under a strict Content-Security-Policy, its script and style as their own resources', async () => {
    await withSandbox({}, async (sb) => {
      const res = await fetch(sb.consoleUrl);
      assert.equal(res.status, 200);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/, 'no inline script');
      assert.match(csp, /style-src 'self'(;|$)/, 'no inline style');
      assert.match(csp, new RegExp(`connect-src 'self' ${sb.webMessagingUrl}`), 'the Guest API WebSocket');
      const html = await res.text();
      assert.ok(html.includes(`content="${sb.deploymentId}"`), 'the seeded deployment');
      assert.doesNotMatch(html, /<script>|<style>/, 'nothing inline');
      // Each conversation column comes from one template: its chat box and views, labelled per column.
      assert.match(html, /<template id="column-template">[\s\S]*<label data-for="say">[\s\S]*class="timeline"[\s\S]*class="handoffs"/);
      assert.match(html, /<button type="button" id="new-conversation">New conversation<\/button>/);
      assert.match(html, /<button type="button" id="replay"/);
      const js = await fetch(`${sb.consoleUrl}/console.js`);
      assert.equal(js.headers.get('content-type'), 'application/javascript; charset=utf-8');
      assert.match(await js.text(), /configureSession/);
      assert.match(await (await fetch(`${sb.consoleUrl}/console.css`)).text(), /prefers-color-scheme: dark/);
    });
  });

  it("streams the guest session's conversation (and only it): participants, then the queue once it is transferred", async () => {
    await withSandbox({}, async (sb) => {
      const events = (token: string) => `${sb.consoleUrl}/events?session=${encodeURIComponent(token)}`;
      const guest = await connectGuest(sb.webMessagingUrl, sb.deploymentId);
      await guest.configure(sb.deploymentId);
      const idle = await nextState(events(guest.token), () => true);
      assert.equal(idle['conversationId'], undefined, 'nothing before the first message');

      guest.sendText('hello');
      const started = await nextState(events(guest.token), (s) => s['conversationId'] !== undefined);
      const conversationId = sb.guest.conversationIdOf(guest.token)!;
      assert.equal(started['conversationId'], conversationId);
      assert.deepEqual((started['participants'] as { purpose: string }[]).map((p) => p.purpose).includes('customer'), true);

      const other = await nextState(events('another-session'), () => true);
      assert.equal(other['conversationId'], undefined, "another session's stream shows nothing of this conversation");

      sb.org.transferToAcd(conversationId, sb.queues[1]!.id, 7);
      const queued = await nextState(events(guest.token), (s) => s['queue'] !== undefined);
      assert.equal(queued['queue'], sb.queues[1]!.name);
      assert.equal(queued['priority'], 7);
      await guest.close();
    });
  });

  it('says when no flow or bridge is attached (timeline and handoffs null), and lists no scenarios', async () => {
    await withSandbox({}, async (sb) => {
      const idle = await nextState(`${sb.consoleUrl}/events?session=nobody`, () => true);
      assert.equal(idle['timeline'], null);
      assert.equal(idle['handoffs'], null);
      assert.deepEqual(await (await fetch(`${sb.consoleUrl}/scenarios`)).json(), []);
    });
  });

  it("streams what a runner attached for the session's conversation: the flow's timeline and Baton's traces; lists its scenarios; detach removes them", async () => {
    await withSandbox({}, async (sb) => {
      const timeline = createTimelineStore({ now: () => Date.parse('2026-09-01T12:00:00Z') });
      const asked: string[] = [];
      const trace = { handoffId: 'h-1', status: 'ready_for_transfer', startedAt: '2026-09-01T12:00:00Z', durationMs: 12, steps: [], calls: [{ method: 'GET', route: 'getConversationsMessage', path: '/api/v2/conversations/messages/x', status: 200, durationMs: 3 }] };
      const scenario = { id: 'a.conversation.yaml#1', name: 'A', file: 'a.conversation.yaml', says: ['hi', 'a human please'] };
      const detach = sb.console.attach({
        timelineOf: (id) => timeline.list(id),
        handoffTracesOf: (id) => (asked.push(id), Promise.resolve([trace])),
        scenarios: [scenario],
      });
      assert.deepEqual(await (await fetch(`${sb.consoleUrl}/scenarios`)).json(), [scenario]);

      const guest = await connectGuest(sb.webMessagingUrl, sb.deploymentId);
      await guest.configure(sb.deploymentId);
      guest.sendText('hello');
      await nextState(`${sb.consoleUrl}/events?session=${encodeURIComponent(guest.token)}`, (s) => s['conversationId'] !== undefined);
      const conversationId = sb.guest.conversationIdOf(guest.token)!;
      timeline.add(conversationId, { step: 'Call Data Action', name: 'Baton handoff', outcome: 'Success', durationMs: 40 });
      timeline.add('another-conversation', { step: 'Disconnect', name: 'Other' });
      const shown = await nextState(`${sb.consoleUrl}/events?session=${encodeURIComponent(guest.token)}`, (s) => (s['timeline'] as { events: unknown[] }).events.length > 0);
      assert.deepEqual((shown['timeline'] as { events: { step: string; durationMs: number }[] }).events.map((e) => [e.step, e.durationMs]), [['Call Data Action', 40]], "only this conversation's steps");
      assert.deepEqual(shown['handoffs'], [trace]);
      assert.ok(asked.includes(conversationId), "the traces asked for are this conversation's");

      detach();
      const after = await nextState(`${sb.consoleUrl}/events?session=${encodeURIComponent(guest.token)}`, () => true);
      assert.equal(after['timeline'], null);
      await guest.close();
    });
  });

  it("scripts the agent of a replay's session before its first line (POST /console/agent-script): the agent who answers says the scenario's lines and ends it; a bad request names the field", async () => {
    await withSandbox({}, async (sb) => {
      const scenario = { id: 'h.conversation.yaml#1', name: 'H', file: 'h.conversation.yaml', says: ['a human please'], agent: { replies: ['Hello from the script.'], disconnect: true } };
      const plain = { id: 'p.conversation.yaml#1', name: 'P', file: 'p.conversation.yaml', says: ['hi'] };
      sb.console.attach({ scenarios: [scenario, plain] });
      const post = (body: unknown) => fetch(`${sb.consoleUrl}/agent-script`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const fieldOf = async (r: Response) => ((await r.json()) as { details?: { fieldName: string }[] }).details?.[0]?.fieldName;
      const noSession = await post({ scenarioId: scenario.id });
      assert.deepEqual([noSession.status, await fieldOf(noSession)], [400, 'body.session']);
      const unknown = await post({ session: 's', scenarioId: 'nope' });
      assert.deepEqual([unknown.status, await fieldOf(unknown)], [400, 'body.scenarioId']);
      const noAgent = await post({ session: 's', scenarioId: plain.id });
      assert.deepEqual([noAgent.status, await fieldOf(noAgent)], [400, 'body.scenarioId']);

      const guest = await connectGuest(sb.webMessagingUrl, sb.deploymentId);
      await guest.configure(sb.deploymentId);
      // Before the session has a conversation: held until its first message starts one.
      assert.equal((await post({ session: guest.token, scenarioId: scenario.id })).status, 204);
      guest.sendText('a human please');
      const conversationId = await (async () => {
        for (let i = 0; i < 200; i++) {
          const id = sb.guest.conversationIdOf(guest.token);
          if (id) return id;
          await new Promise((r) => setTimeout(r, 10));
        }
        return assert.fail('no conversation');
      })();
      // What the flow would do: transfer it; an agent of the queue answers with the script.
      sb.org.transferToAcd(conversationId, sb.queues[0]!.id, 3);
      await sb.agents.answer(conversationId);
      const c = sb.org.getConversation(conversationId)!;
      assert.deepEqual(c.messages.filter((m) => m.kind === 'text' && m.from !== 'customer').map((m) => m.text), ['Hello from the script.']);
      assert.ok(c.participants.some((p) => p.purpose === 'agent' && p.state === 'disconnected'), 'the scripted agent ended it');
      await guest.close();
    });
  });
});
