#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { loadBotDefinition, type BotDefinition } from './bot/bot-definition.js';
import { createSandbox, type Sandbox } from './sandbox.js';

const argsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  seed: z.coerce.number().int().default(42),
  conversations: z.coerce.number().int().min(0).max(1_000_000).default(20),
  'latency-ms': z.coerce.number().min(0).default(0),
  'analytics-lag-ms': z.coerce.number().int().min(0).default(2_000),
  'transfer-delay-ms': z.coerce.number().int().min(0).max(600_000).default(200),
  'agent-answer-delay-ms': z.coerce.number().int().min(0).max(600_000).default(0),
  /** A bot definition file (JSON) replacing the seeded bot. */
  bot: z.string().min(1).optional(),
});

export type CliOptions = z.output<typeof argsSchema>;

/** Parses `--port --host --seed --conversations --latency-ms --analytics-lag-ms --transfer-delay-ms --agent-answer-delay-ms --bot`; throws with a usage message on a bad value. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      conversations: { type: 'string' },
      'latency-ms': { type: 'string' },
      'analytics-lag-ms': { type: 'string' },
      'transfer-delay-ms': { type: 'string' },
      'agent-answer-delay-ms': { type: 'string' },
      bot: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid value'}`);
  }
  return parsed.data;
}

/**
 * What the standalone sandbox prints: first one JSON line a harness can parse (url, an
 * all-permission client, the Guest API origin and the seeded deployment), then human-readable
 * lines. The secret is a throwaway for a local simulated org; it is printed only on this first
 * line, never logged elsewhere.
 */
export function startupLines(sb: Sandbox): string[] {
  const lines = [
    JSON.stringify({ url: sb.url, clientId: sb.clientId, clientSecret: sb.clientSecret, webMessagingUrl: sb.webMessagingUrl, deploymentId: sb.deploymentId }),
  ];
  lines.push(`Genesys Cloud sandbox listening on ${sb.url} (POST /oauth/token, /api/v2/*; harness routes under /__sandbox)`);
  lines.push(`Web Messaging Guest API: ${sb.webMessagingUrl}/v1?deploymentId=${sb.deploymentId}`);
  lines.push(`inbound message flow: ${sb.org.messageFlow.id}`);
  lines.push(`bot flow: ${sb.botFlowId} (digital bot; intents ${sb.bots.definition(sb.bots.defaultBotId)?.intents.map((i) => i.name).join(', ') ?? ''})`);
  for (const q of sb.queues) lines.push(`queue ${q.name}: ${q.id}`);
  for (const [name, id] of Object.entries(sb.scenarios)) lines.push(`scenario ${name}: ${id}`);
  lines.push(`conversations: ${sb.org.listConversations().length}`);
  return lines;
}

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\nusage: sandbox [--port N] [--host H] [--seed N] [--conversations N] [--latency-ms N] [--analytics-lag-ms N] [--transfer-delay-ms N] [--agent-answer-delay-ms N] [--bot FILE.json]\n`);
    process.exitCode = 2;
    return;
  }
  let bot: BotDefinition | undefined;
  if (opts.bot !== undefined) {
    try {
      bot = await loadBotDefinition(opts.bot);
    } catch (e) {
      process.stderr.write(`--bot: ${(e as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
  }
  const sb = await createSandbox({
    port: opts.port,
    host: opts.host,
    seed: opts.seed,
    conversations: opts.conversations,
    latencyMs: opts['latency-ms'],
    analyticsLagMs: opts['analytics-lag-ms'],
    transferDelayMs: opts['transfer-delay-ms'],
    agentAnswerDelayMs: opts['agent-answer-delay-ms'],
    ...(bot === undefined ? {} : { bot }),
  });
  process.stdout.write(`${startupLines(sb).join('\n')}\n`);
  const stop = (signal: NodeJS.Signals): void => {
    process.stdout.write(`received ${signal}, stopping\n`);
    sb.close().then(
      () => {
        process.exitCode = 0;
      },
      (e: unknown) => {
        process.stderr.write(`error while stopping: ${(e as Error).message}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Run only when executed directly, so importing this module has no side effects.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
