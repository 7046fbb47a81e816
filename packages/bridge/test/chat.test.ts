import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox, type SandboxOptions } from '@baton/sandbox';
import { runCli } from '../src/commands/program.js';
import { serve, type ServeHandle } from '../src/commands/serve.js';

/** An io whose stdin is piped text (not a TTY), as `echo … | baton chat` gives. */
function io(lines: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      env: { LOG_LEVEL: 'silent', ...env },
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
      cwd: process.cwd(),
      stdin: Readable.from(lines.map((l) => `${l}\n`)),
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

async function adminToken(sb: Sandbox): Promise<string> {
  const res = await fetch(`${sb.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * Until the bot and flow loop exists, the sandbox answers nothing by itself: this stand-in bot
 * replies to `hello`, and on `agent please` transfers the conversation to the first queue through
 * the Platform API (as the flow would), has an agent answer and speak. `bye` disconnects.
 */
function standInBot(sb: Sandbox, manualAgent = true): { agentName: () => string | undefined } {
  let agentName: string | undefined;
  sb.guest.onGuestMessage((e) => {
    if (e.kind !== 'text') return;
    if (e.text === 'hello') sb.guest.sendOutbound(e.conversationId, { text: 'Hi! \u001b[2JHow can I help?', originatingEntity: 'Bot' });
    if (e.text === 'bye') sb.guest.disconnect(e.conversationId);
    if (e.text === 'agent please') {
      void (async () => {
        sb.guest.sendOutbound(e.conversationId, { text: 'Let me get you someone.', originatingEntity: 'Bot' });
        const flow = sb.org.getConversation(e.conversationId)!.participants.find((p) => p.purpose !== 'customer' && p.state !== 'disconnected')!;
        const res = await fetch(`${sb.url}/api/v2/conversations/${e.conversationId}/participants/${flow.id}/replace/queue`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await adminToken(sb)}` },
          body: JSON.stringify({ queueId: sb.queues[0]!.id }),
        });
        assert.equal(res.status, 202);
        // Otherwise the sandbox's own agents answer the queued conversation.
        if (!manualAgent) return;
        agentName = sb.org.connectAgent(e.conversationId).name;
        sb.guest.sendOutbound(e.conversationId, { text: 'Hi, I am here to help.', originatingEntity: 'Human' });
      })();
    }
  });
  return { agentName: () => agentName };
}

describe('baton chat', () => {
  it('with the whole loop (the default): the bot answers, the exported flow calls the bridge when the customer asks for a human, and an agent answers with the context', async () => {
    const t = io(['I want a refund for order 12345', 'I want to talk to a human agent please']);
    const code = await runCli(['chat', '--wait', '3'], t.io);
    assert.equal(code, 0, t.err());
    const out = t.out();
    assert.match(out, /^bot: Hi! I am the support bot/m, 'the sandbox bot greets (Call Digital Bot Flow)');
    assert.match(out, /^bot: Thanks\. I have noted a refund request for order 12345\.$/m, 'the bot answers an intent it can serve');
    assert.match(out, /^bot: Transferring to human support\. Please wait\.$/m, "the flow's Send Response with the bridge's waitMessage");
    assert.match(out, /--- HANDED OFF to queue Support: agent \S.* answered/, 'Transfer to ACD, then a sandbox agent answered');
    // What the bridge wrote through the exported data action, as the agent sees it.
    assert.match(out, /Baton Exit Reason = AgentRequestedByUser/);
    assert.match(out, /Baton Reason = longtext:Hand off: the customer asked for a human/);
    assert.match(out, /Baton Last Message = longtext:I want to talk to a human agent please/);
    assert.match(out, /the agent's view \(sandbox\)/);
  });

  describe('with the in-process sandbox (the default)', () => {
    let sb: Sandbox | undefined;
    let bot: ReturnType<typeof standInBot> | undefined;
    const startSandbox = async (options?: SandboxOptions) => {
      sb = await createSandbox({ ...options, transferDelayMs: 0 });
      // The stand-in plays the agent by hand (connectAgent): the sandbox's own agents stay out of it.
      sb.agents.configure({ autoAnswer: 'none' });
      bot = standInBot(sb);
      return sb;
    };

    it('when lines are piped in, then it sends them as the customer, prints the bot and the agent (control characters escaped) and the handoff as the Platform API shows it', async () => {
      const t = io(['hello', 'agent please']);
      const code = await runCli(['chat', '--wait', '1', '--attr', 'accountId=A-17'], t.io, { chat: { runtimeOptions: { startSandbox }, conversationLoop: false } });
      assert.equal(code, 0, t.err());
      const out = t.out();
      assert.match(out, /^you: hello$/m);
      assert.match(out, /^bot: Hi! \\u001b\[2JHow can I help\?$/m);
      assert.equal(out.includes(String.fromCharCode(27)), false, 'no raw ESC reaches the terminal');
      assert.match(out, /^bot: Let me get you someone\.$/m);
      const agent = bot!.agentName()!;
      assert.ok(agent);
      assert.ok(out.includes(`agent (${agent}): Hi, I am here to help.`), out);
      assert.ok(out.includes(`--- HANDED OFF to queue ${sb!.queues[0]!.name}: agent ${agent} answered`), out);
      assert.match(out, /^ {6}accountId = A-17$/m);
      // In order: the agent's message, then the handoff.
      assert.ok(out.indexOf('agent (') < out.indexOf('--- HANDED OFF'));
      assert.match(t.err(), /SANDBOX: chatting with a simulated org/);
    });

    it('with --json, then it prints one JSON event per line: session, messages, conversation, handoff, end', async () => {
      const t = io(['hello', 'agent please']);
      const code = await runCli(['chat', '--json', '--wait', '1'], t.io, { chat: { runtimeOptions: { startSandbox }, conversationLoop: false } });
      assert.equal(code, 0, t.err());
      const events = t
        .out()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; from?: string; text?: string; outcome?: string; queue?: string; conversationId?: string });
      assert.equal(events[0]?.event, 'session');
      assert.equal(events.at(-1)?.event, 'end');
      const conversation = events.find((e) => e.event === 'conversation');
      assert.ok(conversation?.conversationId);
      assert.equal(sb!.org.getConversation(conversation.conversationId) !== undefined, true);
      assert.deepEqual(
        events.filter((e) => e.event === 'message').map((e) => `${e.from}: ${e.text}`),
        ['guest: hello', 'bot: Hi! \u001b[2JHow can I help?', 'guest: agent please', 'bot: Let me get you someone.', 'agent: Hi, I am here to help.'],
      );
      const handoff = events.find((e) => e.event === 'handoff');
      assert.deepEqual([handoff?.outcome, handoff?.queue], ['agent', sb!.queues[0]!.name]);
      assert.equal(t.err(), '');
    });

    it("when the sandbox exposes what the agent saw (sb.agents.viewOf), then the handoff carries the agent's view", async () => {
      const startWithAgents = async (options?: SandboxOptions) => {
        sb = await createSandbox({ ...options, transferDelayMs: 0 });
        bot = standInBot(sb, false);
        return sb;
      };
      const t = io(['hello', 'agent please']);
      const code = await runCli(['chat', '--json', '--wait', '1', '--attr', 'plan=gold'], t.io, { chat: { runtimeOptions: { startSandbox: startWithAgents }, conversationLoop: false } });
      assert.equal(code, 0, t.err());
      const handoff = t
        .out()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; conversationId?: string; agentView?: unknown })
        .find((e) => e.event === 'handoff');
      assert.ok(handoff?.agentView, t.out());
      assert.match(JSON.stringify(handoff.agentView), /gold/);
    });
  });

  describe('with --url against `pnpm start` (its sandbox console, no Platform API credentials)', () => {
    let handle: ServeHandle;
    before(async () => {
      handle = await serve(io([], { PORT: '0', HOST: '127.0.0.1' }).io, { banner: false, logDestination: { write: () => undefined } });
    });
    after(() => handle?.stop('test'));

    it("when an agent answers, then it shows the handoff and the agent's view from the sandbox's console feed", async () => {
      const sb = handle.runtime.sandbox!;
      const t = io(['I was charged twice for order 88812, I want to talk to a human']);
      const code = await runCli(['chat', '--url', sb.webMessagingUrl, '--deployment-id', sb.deploymentId, '--wait', '1.5'], t.io);
      assert.equal(code, 0, t.err());
      assert.match(t.out(), /--- HANDED OFF to queue Support: agent .+ answered/);
      assert.match(t.out(), /Baton Summary = .*charged twice/);
      assert.match(t.out(), /the agent's view \(sandbox\)/);
      assert.doesNotMatch(t.out(), /no Platform API configured/);
    });
  });

  describe('with --url (a sandbox started elsewhere)', () => {
    let sb: Sandbox;
    before(async () => {
      sb = await createSandbox({ conversations: 0, transferDelayMs: 0 });
      standInBot(sb);
    });
    after(() => sb.close());
    const platformEnv = () => ({ GENESYS_BASE_URL: sb.url, GENESYS_CLIENT_ID: sb.clientId, GENESYS_CLIENT_SECRET: sb.clientSecret });

    it('when the org disconnects, then it says the chat is read-only, sends nothing more and prints the outcome', async () => {
      const t = io(['hello', 'bye', 'anyone there?'], platformEnv());
      const code = await runCli(['chat', '--url', sb.webMessagingUrl, '--deployment-id', sb.deploymentId, '--wait', '1'], t.io);
      assert.equal(code, 0, t.err());
      assert.match(t.out(), /--- the conversation was disconnected \(read-only now\)/);
      assert.match(t.out(), /--- ENDED without a handoff/);
      assert.doesNotMatch(t.out(), /anyone there/);
      const conversationId = /conversation ([0-9a-f-]{36})/.exec(t.err())?.[1];
      assert.ok(conversationId, t.err());
      const texts = sb.org.getConversation(conversationId)!.messages.filter((m) => m.from === 'customer' && m.kind === 'text').map((m) => m.text);
      assert.deepEqual(texts, ['hello', 'bye']);
    });

    it('with --token, then it resumes the same session and conversation', async () => {
      const first = io(['hello'], platformEnv());
      assert.equal(await runCli(['chat', '--url', sb.webMessagingUrl, '--deployment-id', sb.deploymentId, '--wait', '0.5'], first.io), 0, first.err());
      const token = /Session token: (\S+)/.exec(first.err())?.[1];
      const conversationId = /conversation ([0-9a-f-]{36})/.exec(first.err())?.[1];
      assert.ok(token && conversationId, first.err());

      const again = io(['still me'], platformEnv());
      assert.equal(await runCli(['chat', '--url', sb.webMessagingUrl, '--deployment-id', sb.deploymentId, '--wait', '0.5', '--token', token], again.io), 0, again.err());
      assert.match(again.err(), /\(resumed session\)/);
      assert.equal(/conversation ([0-9a-f-]{36})/.exec(again.err())?.[1], conversationId);
      const texts = sb.org.getConversation(conversationId)!.messages.filter((m) => m.from === 'customer' && m.kind === 'text').map((m) => m.text);
      assert.deepEqual(texts, ['hello', 'still me']);
    });

    it("without Platform API credentials, it chats and shows the conversation from the sandbox's console feed", async () => {
      const t = io(['hello']);
      const code = await runCli(['chat', '--url', sb.webMessagingUrl, '--deployment-id', sb.deploymentId, '--wait', '0.5'], t.io);
      assert.equal(code, 0, t.err());
      assert.match(t.out(), /^bot: Hi!/m);
      assert.match(t.out(), /--- NOT HANDED OFF: the conversation is still with the bot\/flow\n {4}participants \(sandbox console\):/);
    });

    it('without Platform API credentials and no sandbox console at that origin, it says why it cannot show the handoff', async () => {
      // A Guest API origin whose host answers /console/events with no event stream (as a real org's would).
      const bare = await createSandbox({ conversations: 0, transferDelayMs: 0 });
      const proxy = createServer((req, res) => void res.writeHead(404).end());
      proxy.on('upgrade', (req, socket, head) => {
        const upstream = connect(new URL(bare.webMessagingUrl).port ? Number(new URL(bare.webMessagingUrl).port) : 80, '127.0.0.1', () => {
          upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\r\n')}\r\n\r\n`);
          upstream.write(head);
          socket.pipe(upstream).pipe(socket);
        });
        upstream.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      standInBot(bare);
      try {
        const t = io(['hello']);
        const origin = `ws://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
        const code = await runCli(['chat', '--url', origin, '--deployment-id', bare.deploymentId, '--wait', '0.5'], t.io);
        assert.equal(code, 0, t.err());
        assert.match(t.out(), /^bot: Hi!/m);
        assert.match(t.out(), /no Platform API configured/);
      } finally {
        proxy.closeAllConnections();
        proxy.close();
        await bare.close();
      }
    });

    it('when the deployment is unknown, then it fails with the Guest API error code and text', async () => {
      const t = io(['hello']);
      const code = await runCli(['chat', '--url', sb.webMessagingUrl, '--deployment-id', 'no-such-deployment'], t.io);
      assert.equal(code, 1);
      assert.match(t.err(), /Guest API error 400: Deployment not found/);
    });
  });

  it('as a child process with piped stdin, then it chats and exits 0 at EOF (nothing keeps the process alive)', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'chat', '--wait', '0.2'], {
      env: { ...process.env, LOG_LEVEL: 'silent', GENESYS_CLIENT_ID: '', GENESYS_CLIENT_SECRET: '', GENESYS_BASE_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    child.stdin.end('hello\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    assert.match(out, /^you: hello$/m);
    // The outcome is printed at the end, whoever holds the conversation by then.
    assert.match(out, /^--- (NOT HANDED OFF|HANDED OFF|ENDED)/m);
    assert.doesNotMatch(err, /closed the connection/);
  });

  it('refuses --url or --region without --deployment-id, an unknown region and a --url that is not ws(s):// (exit 2)', async () => {
    const a = io([]);
    assert.equal(await runCli(['chat', '--url', 'ws://127.0.0.1:1'], a.io), 2);
    assert.match(a.err(), /--deployment-id is required/);
    const b = io([]);
    assert.equal(await runCli(['chat', '--region', 'nowhere', '--deployment-id', 'd'], b.io), 2);
    assert.match(b.err(), /unknown region "nowhere"/);
    const c = io([]);
    assert.equal(await runCli(['chat', '--url', 'http://127.0.0.1:1', '--deployment-id', 'd'], c.io), 2);
    assert.match(c.err(), /--url expects a ws:\/\/ or wss:\/\/ origin/);
  });
});
