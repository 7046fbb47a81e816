import { rmSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportActions, parseDataActionDefinition } from '@baton/data-actions';
import type { Clock } from '@baton/core';
import { startConversationLoop, type BotProvider, type ConversationLoop, type FlowOrgPorts, type FlowRunResult, type FlowTraceEntry } from '@baton/flow';
import type { Sandbox } from '@baton/sandbox';

/** The inbound message flow, exported exactly as `baton export-actions --format archy` writes it. */
export const SANDBOX_FLOW_FILE = 'baton-handoff.inboundShortMessage.yaml';

export interface SandboxLoop {
  loop: ConversationLoop;
  /** The folder holding the exported data actions and the flow the sandbox runs. */
  dir: string;
  flowFile: string;
  close(): void;
}

export interface SandboxLoopOptions {
  sandbox: Sandbox;
  /** The bridge the flow's Call Data Action calls (its data actions' base URL). */
  bridgeUrl: string;
  /** The bridge's inbound API key: the integration's User Defined credential. */
  apiKey: string;
  /** Where to export the actions and the flow (default a new temporary folder). */
  dir?: string;
  /** The exported actions' `config.timeoutSeconds` (1–60; default the export's): tests of the flow's Timeout path. */
  timeoutSeconds?: number;
  onError?: (conversationId: string, error: unknown) => void;
  /** Each flow step as it is taken (the console's timeline). */
  onTraceEntry?: (conversationId: string, entry: FlowTraceEntry) => void;
  onRunEnd?: (conversationId: string, result: FlowRunResult) => void;
  /** Times the flow's data action calls; default the system clock. */
  clock?: Pick<Clock, 'now'>;
}

/**
 * The whole conversation on the sandbox: the same artefacts a user deploys (the data actions and
 * the Archy flow `baton export-actions --format archy` writes, for API-key auth), run by the flow
 * runtime against this bridge, with the sandbox's bot and agents. A customer chatting on the
 * sandbox's Guest API then reaches the bot, the bridge's handoff and an agent.
 */
export async function startSandboxLoop(options: SandboxLoopOptions): Promise<SandboxLoop> {
  const { sandbox } = options;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'baton-flow-')));
  const bot = sandbox.bots.definition(sandbox.bots.defaultBotId);
  const defaultQueue = sandbox.queues[0];
  if (!defaultQueue) throw new Error('the sandbox has no queue for the flow to fall back to');
  await exportActions({
    baseUrl: options.bridgeUrl,
    auth: 'apikey',
    format: 'archy',
    outDir: dir,
    allowInsecure: true,
    ...(options.timeoutSeconds !== undefined && { timeoutSeconds: options.timeoutSeconds }),
    archy: {
      defaultQueueId: defaultQueue.id,
      ...(bot && { botFlowName: bot.name, slots: bot.slots.map((s) => s.name) }),
    },
  });
  const names = await readdir(dir);
  const dataActions = await Promise.all(
    names.filter((n) => n.endsWith('.custom.json')).map(async (n) => parseDataActionDefinition(await readFile(join(dir, n), 'utf8'), n)),
  );
  const flowFile = join(dir, SANDBOX_FLOW_FILE);
  const loop = startConversationLoop({
    sandbox,
    flow: await readFile(flowFile, 'utf8'),
    dataActions,
    credentials: { type: 'userDefined', fields: { apiKey: options.apiKey } },
    bots: sandboxBots(sandbox),
    org: sandboxOrgPorts(sandbox),
    ...(options.onError && { onError: options.onError }),
    ...(options.onTraceEntry && { onTraceEntry: options.onTraceEntry }),
    ...(options.onRunEnd && { onRunEnd: options.onRunEnd }),
    ...(options.clock && { clock: options.clock }),
  });
  return {
    loop,
    dir,
    flowFile,
    close() {
      loop.close();
      // A folder of our own (not one the caller chose) goes with the run.
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Call Digital Bot Flow on the sandbox's bot: it sends its own replies to the guest, so the turn returns only its exit. */
function sandboxBots(sandbox: Sandbox): BotProvider {
  return {
    start(conversationId) {
      const session = sandbox.bots.start(conversationId);
      return {
        turn(text) {
          const { exit } = session.turn(text);
          return exit ? { exit: { exitReason: exit.exitReason, ...(exit.intent !== undefined && { intent: exit.intent }), slots: exit.slots, confidence: exit.confidence } } : {};
        },
      };
    },
  };
}

/** Transfer to ACD as the flow does it (an agent of the queue then answers); participant data on the customer. */
function sandboxOrgPorts(sandbox: Sandbox): FlowOrgPorts {
  return {
    transferToQueue: (conversationId, queueId, priority) => void sandbox.org.transferToAcd(conversationId, queueId, priority),
    setParticipantData: (conversationId, attributes) => sandbox.org.mergeCustomerAttributes(conversationId, { ...attributes }),
    findQueue: (id) => sandbox.org.findQueue(id),
  };
}
