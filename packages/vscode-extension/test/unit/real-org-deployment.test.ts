import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { serve, type Logger, type ServeHandle } from '@baton/bridge';
import { RealOrgTargetError } from '@baton/bridge/conversations';
import { createGuestClient, parseConversationScenarios, type Clock } from '@baton/core';
import { createManualClock } from '@baton/core/testing';
import { createBackend } from '../../src/backend/create-backend.js';
import { preflightConversations, runConversationOn } from '../../src/backend/conversation-run.js';
import { MissingDeploymentError, type OrgBackend } from '../../src/backend/org-backend.js';
import { chatStateSchema, type ChatState } from '../../src/chat/chat-protocol.js';
import { conversationScenarioYaml } from '../../src/chat/chat-scenario.js';
import { ChatSession, openChatSession, realOrgChatTarget } from '../../src/chat/chat-session.js';
import type { OrgProfile } from '../../src/model/org-profile.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as unknown as Logger;

/**
 * `baton serve` in sandbox mode, reached only through a real-org profile named `name` (baseUrl,
 * deploymentId, a least-permission client of its own), and the extension's backend for it.
 * `agentsAnswer: false` leaves conversations in their queue.
 */
async function serveStandIn(name: string, options: { agentsAnswer?: boolean } = {}): Promise<{ handle: ServeHandle; profile: OrgProfile; secret: string; backend: OrgBackend }> {
  const handle = await serve(
    { env: { LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' }, stdout: () => undefined, stderr: () => undefined, cwd: repo },
    { banner: false, logDestination: { write: () => undefined } },
  );
  const sb = handle.runtime.sandbox!;
  if (options.agentsAnswer === false) sb.agents.configure({ autoAnswer: 'none' });
  const client = sb.addClient({ permissions: ['conversation:message:view', 'conversation:communication:view', 'routing:queue:view'] });
  const profile: OrgProfile = { name, region: 'us_east_1', clientId: client.clientId, baseUrl: sb.url, deploymentId: sb.deploymentId };
  const backend = await createBackend({ kind: 'genesys', profile }, client.clientSecret, { logger: silent });
  return { handle, profile, secret: client.clientSecret, backend };
}

async function until(session: ChatSession, what: string, test: (s: ChatState) => boolean, ms = 15_000): Promise<ChatState> {
  for (let waited = 0; ; waited += 20) {
    const s = session.state();
    if (test(s)) return s;
    if (waited > ms) assert.fail(`timed out waiting for ${what}; state ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Issue #16 (real-org Chat as Customer and conversation scenarios) without a real org: `baton serve` in sandbox mode (its
 * conversation loop running) stands in, reached only through the profile (baseUrl, the Guest API
 * origin derived from it, deploymentId, client credentials), as the extension would reach Genesys.
 */
describe('a real-org profile with a deploymentId (a served sandbox standing in)', function () {
  this.timeout(60_000);
  let handle: ServeHandle;
  let profile: OrgProfile;
  let secret: string;
  let backend: OrgBackend;

  before(async () => {
    ({ handle, profile, secret, backend } = await serveStandIn('Stand-in'));
  });
  after(async () => {
    await backend?.dispose();
    await handle?.stop('test');
  });

  it('Test Explorer: a scenario runs on the deployment; agent steps and rule checks are skipped with their reasons, never passed', async () => {
    const file = path.join(repo, 'examples/conversations/customer-asks-for-human.conversation.yaml');
    const [scenario] = parseConversationScenarios(file, await readFile(file, 'utf8'));
    const result = await runConversationOn(backend, scenario!, () => performance.now());
    assert.equal(result.failure, undefined, JSON.stringify(result.failure));
    assert.ok(result.transcript.some((t) => /Transferring to human support/.test(t)), JSON.stringify(result.transcript));
    const skipped = new Map(result.skipped.map((k) => [Object.keys(k.step)[0], k.reason]));
    assert.match(skipped.get('agentSays') ?? '', /needs a simulated agent/);
    assert.match(skipped.get('expectDataActionPath') ?? '', /does not show its flow runs/);
    assert.ok(!skipped.has('say') && !skipped.has('expectBot'), 'the customer steps ran');
  });

  it('Test Explorer: a scenario that sets the sandbox up is skipped whole', async () => {
    const [scenario] = parseConversationScenarios('down.conversation.yaml', 'name: down\nsandbox:\n  bridge: unreachable\nsteps:\n  - say: hi\n');
    const result = await runConversationOn(backend, scenario!, () => 0);
    assert.match(result.skipped[0]?.reason ?? '', /sets up the sandbox .* cannot be set up so/);
  });

  it('Chat as Customer: the bot answers over the Guest API and the panel shows the handoff as the Platform API shows it, marked UNCONFIRMED', async () => {
    const session = new ChatSession({ target: realOrgChatTarget(profile.name, backend.deployment!(), { pollMs: 100 }) });
    try {
      await session.start();
      assert.equal(session.state().status, 'open', JSON.stringify(session.state()));
      assert.equal(session.state().canActAsAgent, false);
      await session.say('the item arrived damaged, order 4445556');
      const s = await until(session, 'the bot reply and the handoff', (st) => st.orgHandoff !== undefined && st.messages.some((m) => m.from === 'bot'));
      assert.equal(s.orgHandoff!.queue, 'Support');
      assert.equal(s.orgHandoff!.priority, 5);
      assert.match(s.orgHandoff!.note, /^UNCONFIRMED.*deployed bridge/);
      assert.ok(s.orgHandoff!.participantData.some((e) => e.agentVisible && e.label === 'Baton Exit Reason'), JSON.stringify(s.orgHandoff));
      assert.ok(s.conversationId, 'found by the message details route');
      assert.equal(s.handoff, undefined, 'no Baton trace on a real org');
      chatStateSchema.parse(s);
      // Save as Scenario: the handoff as observed (no decision rule: not on the org); the file runs back on the deployment.
      const [saved] = parseConversationScenarios('saved.conversation.yaml', conversationScenarioYaml(session.record(), { name: 'saved' }));
      const steps = saved!.steps.map((x) => x.step);
      assert.ok(steps.some((x) => 'expectHandoff' in x && x.expectHandoff.queue === 'Support' && x.expectHandoff.priority === 5 && x.expectHandoff.decisionRule === undefined), JSON.stringify(steps));
      assert.ok(steps.some((x) => 'expectParticipantData' in x), JSON.stringify(steps));
      const replay = await runConversationOn(backend, saved!, () => performance.now());
      assert.equal(replay.failure, undefined, JSON.stringify(replay));
    } finally {
      await session.close();
    }
  });

  it('Test Explorer preflight: a good profile passes; a wrong deploymentId or a refused secret is one error naming the profile setting to fix', async () => {
    await preflightConversations(backend);
    const wrongDeployment = await createBackend({ kind: 'genesys', profile: { ...profile, deploymentId: 'no-such-deployment' } }, secret, { logger: silent });
    const wrongSecret = await createBackend({ kind: 'genesys', profile }, 'not-the-secret', { logger: silent });
    try {
      await assert.rejects(preflightConversations(wrongDeployment), (e: unknown) => {
        assert.ok(e instanceof RealOrgTargetError, String(e));
        assert.match(e.message, /refused deployment no-such-deployment \(400 Deployment not found\)/);
        assert.match(e.message, /the "deploymentId" of "Stand-in" in the baton\.orgs setting/);
        assert.doesNotMatch(e.message, /GENESYS_/, 'the editor has no environment variables to set');
        return true;
      });
      await assert.rejects(preflightConversations(wrongSecret), (e: unknown) => {
        assert.ok(e instanceof RealOrgTargetError, String(e));
        assert.match(e.message, /refused the client credentials \(check the clientId of "Stand-in" and its client secret \(Baton: Set Org Client Secret\)\)/);
        assert.doesNotMatch(e.message, /not-the-secret/);
        return true;
      });
    } finally {
      await wrongDeployment.dispose();
      await wrongSecret.dispose();
    }
  });

  it('Chat as Customer preflight: a refused secret or deployment rejects with the message naming the profile setting, and no guest connection of the chat is made; a good profile opens one', async () => {
    let guestClients = 0;
    const counting: typeof createGuestClient = (options) => {
      guestClients += 1;
      return createGuestClient(options);
    };
    const wrongDeployment = await createBackend({ kind: 'genesys', profile: { ...profile, deploymentId: 'no-such-deployment' } }, secret, { logger: silent });
    const wrongSecret = await createBackend({ kind: 'genesys', profile }, 'not-the-secret', { logger: silent });
    try {
      await assert.rejects(openChatSession(profile.name, wrongSecret, { createClient: counting }), (e: unknown) => {
        assert.ok(e instanceof RealOrgTargetError, String(e));
        assert.match(e.message, /refused the client credentials \(check the clientId of "Stand-in" and its client secret \(Baton: Set Org Client Secret\)\)/);
        assert.doesNotMatch(e.message, /not-the-secret/);
        return true;
      });
      await assert.rejects(openChatSession(profile.name, wrongDeployment, { createClient: counting }), (e: unknown) => {
        assert.ok(e instanceof RealOrgTargetError, String(e));
        assert.match(e.message, /the "deploymentId" of "Stand-in" in the baton\.orgs setting/);
        return true;
      });
      assert.equal(guestClients, 0, 'the chat made no guest connection');
      const session = await openChatSession(profile.name, backend, { createClient: counting, pollMs: 100 });
      try {
        assert.equal(guestClients, 1);
        assert.equal(session.target.deploymentId, profile.deploymentId);
        await session.start();
        assert.equal(session.state().status, 'open', JSON.stringify(session.state()));
      } finally {
        await session.close();
      }
    } finally {
      await wrongDeployment.dispose();
      await wrongSecret.dispose();
    }
  });

  it('without a deploymentId, Test Explorer and Chat say which setting to add', async () => {
    const { deploymentId: _d, ...bare } = profile;
    const other = await createBackend({ kind: 'genesys', profile: bare }, secret, { logger: silent });
    try {
      const [scenario] = parseConversationScenarios('x.conversation.yaml', 'name: x\nsteps:\n  - say: hi\n');
      await assert.rejects(runConversationOn(other, scenario!, () => 0), (e: unknown) => e instanceof MissingDeploymentError && /"deploymentId" in the baton\.orgs setting/.test(e.message));
      await assert.rejects(preflightConversations(other), (e: unknown) => e instanceof MissingDeploymentError && /"deploymentId" in the baton\.orgs setting/.test(e.message));
      assert.throws(() => other.deployment!(), /deploymentId/);
    } finally {
      await other.dispose();
    }
  });
});

/**
 * Chat as Customer on a real org polls the Platform API for the handoff; a conversation can wait
 * minutes in a queue, so the looks back off (1 s, 2 s, 4 s, then every 5 s) while the handoff
 * does not change (docs/genesys-facts.md#rate-limits). The served sandbox's agents do not answer
 * here, so the conversation stays queued; time is a manual clock the test moves poll by poll.
 */
describe('Chat as Customer on a real org: a conversation waiting in its queue is looked at less and less often', function () {
  this.timeout(60_000);
  let handle: ServeHandle;
  let backend: OrgBackend;

  before(async () => {
    ({ handle, backend } = await serveStandIn('Queued', { agentsAnswer: false }));
  });
  after(async () => {
    await backend?.dispose();
    await handle?.stop('test');
  });

  it('when the handoff has been seen and stops changing, then the next looks wait 1 s, 2 s, 4 s, 5 s, 5 s', async () => {
    const manual = createManualClock();
    const waits: number[] = [];
    const clock: Clock = { ...manual, setTimer: (ms, fn) => (waits.push(ms), manual.setTimer(ms, fn)) };
    // The guest client's heartbeat (60 s) uses the clock too: only the looks are counted.
    const looks = () => waits.filter((w) => w <= 5000);
    const session = new ChatSession({ target: realOrgChatTarget('Queued', backend.deployment!()), clock });
    try {
      await session.start();
      await session.say('I want to talk to a human');
      /** Lets the next look run (its timer is due) and waits until it has scheduled the one after. */
      const nextLook = async () => {
        const before = looks().length;
        manual.advance(5000);
        for (let i = 0; i < 1000 && looks().length === before; i++) await new Promise((r) => setTimeout(r, 5));
        assert.ok(looks().length > before, 'the chat looked again');
      };
      let i = 0;
      while (session.state().orgHandoff === undefined) {
        assert.ok(i++ < 200, `no handoff seen; state ${JSON.stringify(session.state())}`);
        await nextLook();
      }
      assert.equal(session.state().orgHandoff!.queue, 'Support');
      // The look that saw the handoff appear scheduled the first of these.
      const from = looks().length - 1;
      for (let n = 0; n < 4; n++) await nextLook();
      assert.deepEqual(looks().slice(from, from + 5), [1000, 2000, 4000, 5000, 5000]);
    } finally {
      await session.close();
    }
  });
});
