import type { RequestCountersSnapshot } from '@baton/sandbox';
import { forkChild, type Child } from './ipc.js';
import { siblingModule } from './modules.js';
import type { ProcessUsage } from './processes/usage-probe.js';

export interface SandboxReady {
  type: 'ready';
  url: string;
  clientId: string;
  clientSecret: string;
  queueId: string;
  botFlowId: string;
  /** Bot-flow sessions in the org (the analytics source pages through them, newest first). */
  sessions: number;
}

/** Conversation ids by shape; each handoff uses a fresh one (a handoff is idempotent per conversation). */
export interface ConversationPools {
  /** Bot-held conversations with a bot session but no participant data: for intent from inputs. */
  plain: string[];
  /** Bot-held, with `bot.intent` / `bot.confidence` participant data. */
  participantData: string[];
  /** Bot-held, with only a (newest) bot-flow session: for intent from bot-flow analytics. */
  botSession: string[];
}

export interface SandboxProcess {
  readonly info: SandboxReady;
  readonly pid: number;
  pools(): Promise<ConversationPools>;
  counters(): Promise<RequestCountersSnapshot>;
  resetCounters(): Promise<void>;
  /** Starts recording the time each call spends in simulated latency. */
  record(): Promise<void>;
  /** Stops recording; the [start, end] intervals (ms, monotonic) since `record()`. */
  intervals(): Promise<[number, number][]>;
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
}

export interface SandboxProcessOptions {
  latencyMs: number;
  seed: number;
  plainConversations: number;
  probeConversations: number;
}

export async function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const child: Child = forkChild(siblingModule(import.meta.url, './processes/sandbox-main.js'), [
    String(options.latencyMs),
    String(options.seed),
    String(options.plainConversations),
    String(options.probeConversations),
  ]);
  let info: SandboxReady;
  try {
    info = await child.waitFor<SandboxReady>('ready', 60_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    info,
    pid: child.process.pid ?? -1,
    pools: () => child.request<ConversationPools>('pools'),
    counters: () => child.request<RequestCountersSnapshot>('counters'),
    resetCounters: () => child.request<void>('resetCounters'),
    record: () => child.request<void>('record'),
    intervals: () => child.request<[number, number][]>('intervals'),
    usage: () => child.request<ProcessUsage>('usage'),
    stop: () => child.stop(),
  };
}
