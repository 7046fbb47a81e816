import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ConversationScenarioParseError,
  findScenarioFiles,
  formatScenarioReport,
  parseConversationScenarios,
  runScenarioFiles,
  scenarioExitCode,
  type ConversationScenario,
  type ScenarioRun,
} from '@baton/core';
import { configSecrets, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import {
  conversationJUnitXml,
  formatConversationFailure,
  runConversationScenario,
  type ConversationScenarioResult,
} from '../scenarios/conversation-runner.js';
import { handoffRulesOf } from '../scenarios/handoff-rules.js';
import { CommandFailed, type CliIo } from './io.js';
import { serve } from './serve.js';

/** Conversation scenarios: ours (`*.conversation.yaml`) and the chatbot tester's test-scripts (any YAML). */
const CONVERSATION_FILE = /\.ya?ml$/;

/**
 * `baton test <glob…>`: runs `*.handoff.json` scenario files headless, against the configured org or
 * an in-process sandbox when none is configured (inline fixtures are seeded into it), with the same
 * runner the VS Code Test Explorer uses, so what passes in the editor passes in the pipeline; and
 * `*.conversation.yaml` conversation scenarios as a customer on the sandbox's running conversation
 * loop (`baton serve`'s, on a free port). Exits 1 when any scenario (or file) fails, or none matched.
 */
export async function testCommand(
  patterns: string[],
  io: CliIo,
  options: { junit?: string } = {},
): Promise<void> {
  const files = await findScenarioFiles(patterns, io.cwd);
  const conversationFiles = files.filter((f) => CONVERSATION_FILE.test(f));
  const fixtureFiles = files.filter((f) => !CONVERSATION_FILE.test(f));
  let failed = 0;
  let ran = 0;
  if (fixtureFiles.length > 0 || conversationFiles.length === 0) {
    const run = await runFixtureScenarios(fixtureFiles, io);
    if (fixtureFiles.length > 0 || files.length === 0) io.stdout(formatScenarioReport(run));
    failed += run.failed + run.files.filter((f) => f.error).length;
    ran += run.files.length;
    if (conversationFiles.length === 0 && scenarioExitCode(run) !== 0)
      throw new CommandFailed(`${run.failed} scenario(s) failed`, 1);
  }
  if (conversationFiles.length > 0) {
    const { results, parseErrors } = await runConversationFiles(conversationFiles, io);
    if (options.junit)
      await writeFile(path.resolve(io.cwd, options.junit), conversationJUnitXml(results, parseErrors));
    const failedHere = results.filter((r) => !r.passed).length + parseErrors.length;
    io.stdout(
      `${fixtureFiles.length > 0 ? '\n' : ''}conversations: ${results.length - results.filter((r) => !r.passed).length} passed, ${failedHere} failed\n`,
    );
    failed += failedHere;
    ran += conversationFiles.length;
  }
  if (failed > 0 || ran === 0) throw new CommandFailed(`${failed} scenario(s) failed`, 1);
}

async function runFixtureScenarios(files: readonly string[], io: CliIo): Promise<ScenarioRun> {
  if (files.length === 0) return { files: [], passed: 0, failed: 0 };
  const config = loadConfig(io.env);
  const logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    secrets: () => configSecrets(config),
    destination: { write: (s: string) => io.stderr(s) },
  });
  const runtime = await createRuntime(config, { logger });
  try {
    const sandbox = runtime.sandbox;
    if (sandbox)
      io.stderr('SANDBOX MODE: scenarios run against a simulated Genesys org (no GENESYS_CLIENT_ID).\n');
    const queues = (await runtime.genesys.listQueues()).map((q) => ({ id: q.id ?? '', name: q.name ?? '' }));
    // Exact file names: findScenarioFiles already expanded the globs.
    return await runScenarioFiles(files, {
      cwd: io.cwd,
      service: runtime.steps,
      queues,
      ...(sandbox
        ? {
            seedConversation: async (fixture: Record<string, unknown>) =>
              sandbox.org.addConversation(fixture as never),
          }
        : {}),
    });
  } finally {
    await runtime.close();
  }
}

/** Runs conversation files on one `baton serve` sandbox loop (on a free loopback port), one scenario after another. */
async function runConversationFiles(files: readonly string[], io: CliIo) {
  const scenarios: ConversationScenario[] = [];
  const parseErrors: { file: string; message: string }[] = [];
  for (const file of files) {
    try {
      scenarios.push(...parseConversationScenarios(file, await readFile(path.join(io.cwd, file), 'utf8')));
    } catch (error) {
      if (!(error instanceof ConversationScenarioParseError)) throw error;
      parseErrors.push({ file, message: error.message });
      io.stdout(`✗ ${error.message}\n`);
    }
  }
  const results: ConversationScenarioResult[] = [];
  if (scenarios.length === 0) return { results, parseErrors };
  if (loadConfig(io.env).genesys.mode !== 'sandbox') {
    // A real org's deployment (UNCONFIRMED): not driven yet; say so rather than pretend.
    throw new CommandFailed(
      'conversation scenarios run against the sandbox only (unset GENESYS_CLIENT_ID)',
      2,
    );
  }
  const handle = await serve(
    { ...io, env: { ...io.env, PORT: '0', HOST: '127.0.0.1' }, stdout: () => undefined },
    { banner: false, logDestination: { write: () => undefined } },
  );
  try {
    const sandbox = handle.runtime.sandbox!;
    io.stderr(
      'SANDBOX MODE: conversations run on the sandbox (Guest API, bot, exported flow and data actions, agents).\n',
    );
    const rulesOf = async (conversationId: string) =>
      handoffRulesOf((await handle.runtime.stores.traces.list({ conversationId }))[0]);
    for (const scenario of scenarios) {
      const result = await runConversationScenario(scenario, {
        sandbox,
        rulesOf,
        now: () => performance.now(),
      });
      results.push(result);
      io.stdout(
        `${result.passed ? '✓' : '✗'} ${scenario.file}:${scenario.line} › ${scenario.name} (${result.steps} steps, ${result.durationMs} ms)\n`,
      );
      for (const line of formatConversationFailure(result)) io.stdout(`${line}\n`);
    }
  } finally {
    await handle.stop('baton test');
  }
  return { results, parseErrors };
}
