import { contextIdOf, describeError, isBatonError, type HandoffOutput, type HandoffTrace } from '@baton/core';
import { configSecrets, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import { CommandFailed, type CliIo } from './io.js';

export interface HandoffCommandOptions {
  queue?: string;
  mode?: string;
  priority?: string;
  json?: boolean;
}

/**
 * `baton handoff <conversationId>`: one handoff, printed with its decision and trace (the seed's
 * `go run main.go`). Against the configured org, or an in-process sandbox when none is configured,
 * where the id may also be a scenario name such as `lowConfidence`.
 */
export async function handoffCommand(conversationId: string, options: HandoffCommandOptions, io: CliIo): Promise<void> {
  const config = loadConfig(io.env);
  const secrets = () => configSecrets(config);
  // Warnings only, on stderr: stdout is the result (JSON with --json).
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, secrets, destination: { write: (s: string) => io.stderr(s) } });
  const runtime = await createRuntime(config, { logger });
  try {
    let id = conversationId;
    if (runtime.sandbox) {
      const scenarios = runtime.sandbox.scenarios as Record<string, string>;
      if (Object.hasOwn(scenarios, conversationId)) id = scenarios[conversationId]!;
      if (!options.json) io.stderr(`SANDBOX MODE: simulated Genesys org (no GENESYS_CLIENT_ID). Scenarios: ${Object.keys(scenarios).join(', ')}\n`);
    }
    const input: Record<string, unknown> = { conversationId: id };
    if (options.queue !== undefined) input.queueId = options.queue;
    if (options.mode !== undefined) input.mode = options.mode;
    if (options.priority !== undefined) input.priority = options.priority;

    try {
      const { output, trace } = await runtime.steps.handoff(input as never, { deadline: Date.now() + config.deadlineMs });
      io.stdout(options.json ? `${JSON.stringify({ output, trace }, null, 2)}\n` : formatHandoff(output, trace));
    } catch (error) {
      if (options.json) io.stdout(`${JSON.stringify({ error: errorSummary(error) }, null, 2)}\n`);
      else io.stderr(`Handoff failed: ${describeError(error)}\n`);
      throw new CommandFailed('handoff failed');
    }
  } finally {
    await runtime.close();
  }
}

function errorSummary(error: unknown): Record<string, unknown> {
  if (!isBatonError(error)) return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
  const out: Record<string, unknown> = { code: error.code, message: error.message };
  const contextId = contextIdOf(error);
  if (contextId) out.contextId = contextId;
  if ('issues' in error) out.issues = (error as { issues: unknown }).issues;
  return out;
}

/** The decision, then the trace: each step and each Platform API call it made. */
export function formatHandoff(output: HandoffOutput, trace: HandoffTrace): string {
  const lines: string[] = [];
  lines.push(`Handoff ${output.handoffId} for conversation ${trace.conversationId}: ${output.status.toUpperCase()}`);
  lines.push(`  ${output.message}`);
  lines.push(
    `  intent: ${output.intent || '(none)'}  confidence: ${output.confidence}  source: ${output.intentSource}  threshold: ${output.threshold}`,
  );
  if (output.queueId) {
    lines.push(`  queue: ${output.queueName} (${output.queueId})  priority: ${output.priority}  mode: ${output.mode}  transferred: ${output.transferred}`);
  }
  if (output.waitMessage && output.queueId) lines.push(`  wait message: ${output.waitMessage}`);
  lines.push(`  ${output.apiCalls} Platform API calls, ${output.durationMs} ms`);
  lines.push('');
  lines.push('Trace:');
  for (const step of trace.steps) {
    lines.push(`  ${step.step.padEnd(16)} ${step.outcome.padEnd(8)} ${String(Math.round(step.durationMs)).padStart(5)} ms  ${step.summary}`);
    for (const call of step.calls) {
      const extra = [call.retries > 0 ? `${call.retries} retries` : '', call.contextId ? `contextId ${call.contextId}` : '', call.error ?? '']
        .filter(Boolean)
        .join(', ');
      lines.push(`      ${call.method.padEnd(6)} ${call.path}  -> ${call.status} (${Math.round(call.durationMs)} ms${extra ? `, ${extra}` : ''})`);
    }
  }
  if (output.transcript) {
    lines.push('');
    lines.push(`Transcript (${output.messageCount} messages${output.truncated ? ', truncated' : ''}):`);
    for (const line of output.transcript.split('\n')) lines.push(`  ${line}`);
  }
  return `${lines.join('\n')}\n`;
}
