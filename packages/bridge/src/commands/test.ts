import { formatScenarioReport, runScenarioFiles, scenarioExitCode } from '@baton/core';
import { configSecrets, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import { CommandFailed, type CliIo } from './io.js';

/**
 * `baton test <glob…>`: runs `*.handoff.json` scenario files headless, against the configured org or
 * an in-process sandbox when none is configured (inline fixtures are seeded into it), with the same
 * runner the VS Code Test Explorer uses, so what passes in the editor passes in the pipeline.
 * Exits 1 when any scenario (or file) fails.
 */
export async function testCommand(patterns: string[], io: CliIo): Promise<void> {
  const config = loadConfig(io.env);
  const logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    secrets: () => configSecrets(config),
    destination: { write: (s: string) => io.stderr(s) },
  });
  const runtime = await createRuntime(config, { logger });
  try {
    const sandbox = runtime.sandbox;
    if (sandbox) io.stderr('SANDBOX MODE: scenarios run against a simulated Genesys org (no GENESYS_CLIENT_ID).\n');
    const queues = (await runtime.genesys.listQueues()).map((q) => ({ id: q.id ?? '', name: q.name ?? '' }));
    const run = await runScenarioFiles(patterns, {
      cwd: io.cwd,
      service: runtime.steps,
      queues,
      ...(sandbox ? { seedConversation: async (fixture: Record<string, unknown>) => sandbox.org.addConversation(fixture as never) } : {}),
    });
    io.stdout(formatScenarioReport(run));
    const exitCode = scenarioExitCode(run);
    if (exitCode !== 0) throw new CommandFailed(`${run.failed} scenario(s) failed`, exitCode);
  } finally {
    await runtime.close();
  }
}
