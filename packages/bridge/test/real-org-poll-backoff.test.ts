import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenesysClient, parseConversationScenarios, resolveTarget, systemClock, type Clock } from '@baton/core';
import type { Sandbox } from '@baton/sandbox';
import { serve, type ServeHandle } from '../src/commands/serve.js';
import { runConversationScenario } from '../src/scenarios/conversation-runner.js';
import { realOrgTarget } from '../src/scenarios/real-org-target.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A conversation waiting in its queue on a real org is looked at less and less often (1 s, 2 s,
 * 4 s, then every 5 s) instead of once a second: each look is a Platform API call against the
 * client's 300 a minute (docs/genesys-facts.md#rate-limits). A served sandbox stands in for the
 * org and counts the calls per OAuth client; its agents do not answer, so the conversation stays
 * queued. The wait is on the runner's clock: real until the conversation is queued, then a manual
 * one (a sleep moves time on at once), so a minute's wait takes no wall time.
 */
describe('the real-org target backs off while a conversation waits in its queue', function () {
  this.timeout(60_000);
  let handle: ServeHandle;
  let sb: Sandbox;

  before(async () => {
    handle = await serve(
      { env: { LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' }, stdout: () => undefined, stderr: () => undefined, cwd: repo },
      { banner: false, logDestination: { write: () => undefined } },
    );
    sb = handle.runtime.sandbox!;
    sb.agents.configure({ autoAnswer: 'none' });
  });
  after(() => handle?.stop('test'));

  // Step 3 never holds (the conversation waits in Support): the runner looks for a minute.
  const [scenario] = parseConversationScenarios(
    'queued.conversation.yaml',
    'name: waits in the queue\nsteps:\n  - say: I want to talk to a human\n  - expectHandoff: { queue: Support }\n    timeoutMs: 20000\n  - expectHandoff: { queue: Billing }\n    timeoutMs: 60000\n',
  );

  /** Runs the scenario; returns the Platform API calls the client made during the queued minute, and the waits between them. */
  async function waitAMinuteInQueue(pollMaxMs?: number) {
    const client = sb.addClient({ permissions: ['conversation:message:view', 'conversation:communication:view', 'routing:queue:view'] });
    const genesys = createGenesysClient({
      target: resolveTarget({ baseUrl: sb.url }),
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      requestsPerMinute: 300,
      maxHoldMs: 0,
    });
    const calls = () => sb.counters.snapshot().byClient[client.clientId] ?? 0;
    const base = realOrgTarget({ webMessagingOrigin: sb.webMessagingUrl, deploymentId: sb.deploymentId, genesys, ...(pollMaxMs !== undefined && { pollMaxMs }) });
    let fake: number | undefined;
    let queued = false;
    let callsBefore = 0;
    const sleeps: number[] = [];
    const clock: Pick<Clock, 'sleep'> = {
      sleep: (ms, signal) => (fake === undefined ? systemClock.sleep(ms, signal) : (sleeps.push(ms), (fake += ms), Promise.resolve())),
    };
    // Once the conversation is queued, the next step's start (its deadline) switches time to the manual clock.
    const now = () => {
      if (queued && fake === undefined) {
        fake = Date.now();
        callsBefore = calls();
      }
      return fake ?? Date.now();
    };
    const target = {
      ...base,
      async observeHandoff(conversationId: string) {
        const seen = await base.observeHandoff(conversationId);
        queued ||= seen?.queue.name === 'Support';
        return seen;
      },
    };
    try {
      const result = await runConversationScenario(scenario!, { target, now, clock, WebSocket });
      assert.equal(result.failure?.index, 2, JSON.stringify(result));
      assert.match(result.failure?.actual ?? '', /queue Support/);
      return { calls: calls() - callsBefore, sleeps };
    } finally {
      await genesys.close();
    }
  }

  it('when nothing changes, then the waits double from 1 s to a 5 s cap: a queued minute costs 15 calls where polling each second costs 61', async () => {
    const backedOff = await waitAMinuteInQueue();
    assert.deepEqual(backedOff.sleeps, [1000, 2000, 4000, ...Array<number>(10).fill(5000), 3000]);
    const everySecond = await waitAMinuteInQueue(1000);
    assert.equal(everySecond.sleeps.length, 60);
    // One GET /api/v2/conversations/{id} per look (the conversation id and the queue name are known by then).
    assert.deepEqual([backedOff.calls, everySecond.calls], [15, 61]);
  });
});
