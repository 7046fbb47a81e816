import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import {
  ConversationScenarioParseError,
  findScenarioFiles,
  formatScenarioReport,
  parseConversationScenarios,
  runScenarioFiles,
  scenarioExitCode,
  type ConversationSandboxSetup,
  type ConversationScenario,
  type ScenarioRun,
} from '@baton/core';
import { configSecrets, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import type { ConversationTarget } from '../scenarios/conversation-target.js';
import {
  CANCELLED_REASON,
  conversationJUnitXml,
  formatConversationFailure,
  formatConversationSkips,
  runConversationScenario,
  skippedScenario,
  type ConversationScenarioResult,
} from '../scenarios/conversation-runner.js';
import { handoffRulesOf } from '../scenarios/handoff-rules.js';
import { RealOrgTargetError, realOrgTargetFromConfig } from '../scenarios/real-org-target.js';
import { sandboxTarget } from '../scenarios/sandbox-target.js';
import { CommandFailed, STOP_SIGNAL_EXIT_CODE, type CliIo, type StopSignal } from './io.js';
import { serve, type ServeHandle, type ServeOptions } from './serve.js';

/** Conversation scenarios: ours (`*.conversation.yaml`) and the chatbot tester's test-scripts (any YAML). */
const CONVERSATION_FILE = /\.ya?ml$/;

/**
 * `baton test <glob…>`: runs `*.handoff.json` scenario files headless, against the configured org or
 * an in-process sandbox when none is configured (inline fixtures are seeded into it), with the same
 * runner the VS Code Test Explorer uses, so what passes in the editor passes in the pipeline; and
 * `*.conversation.yaml` conversation scenarios as a customer on the sandbox's running conversation
 * loop (`baton serve`'s, on a free port), or on a real org's deployment when GENESYS_CLIENT_ID is set
 * (UNCONFIRMED; steps that need an agent are skipped and reported). Exits 1 when any scenario (or file) fails, or none matched.
 * On SIGINT/SIGTERM (`io.onStopSignal`) the running conversations are cancelled (their steps not run
 * are skipped as `cancelled`), the report and the JUnit file cover what ran, the sandbox loops stop,
 * and the exit code is the shell's for the signal (130, 143): a CI job cancelled mid-suite still
 * leaves its report.
 */
export async function testCommand(
  patterns: string[],
  io: CliIo,
  options: { junit?: string; concurrency?: number } = {},
): Promise<void> {
  const stop = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const unsubscribe = io.onStopSignal?.((signal) => {
    stoppedBy ??= signal;
    stop.abort(new Error(`stopped by ${signal}`));
  });
  try {
    await runTests(patterns, io, options, stop.signal);
  } finally {
    unsubscribe?.();
  }
  // Tests the command ran to the end pass or fail as usual; a stopped run always ends as stopped.
  if (stoppedBy) throw new CommandFailed(`stopped by ${stoppedBy}`, STOP_SIGNAL_EXIT_CODE[stoppedBy]);
}

async function runTests(
  patterns: string[],
  io: CliIo,
  options: { junit?: string; concurrency?: number },
  signal: AbortSignal,
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
    // With conversations to come, they report the stop (all cancelled) and write the JUnit file.
    if (signal.aborted && conversationFiles.length === 0) return stopped(io, signal, 0);
    if (conversationFiles.length === 0 && scenarioExitCode(run) !== 0)
      throw new CommandFailed(`${run.failed} scenario(s) failed`, 1);
  }
  if (conversationFiles.length > 0) {
    const { results, parseErrors } = await runConversationFiles(conversationFiles, io, options.concurrency, signal);
    if (options.junit)
      await writeFile(path.resolve(io.cwd, options.junit), conversationJUnitXml(results, parseErrors));
    const failedHere = results.filter((r) => !r.passed).length + parseErrors.length;
    const cancelledHere = results.filter((r) => r.cancelled).length;
    // A scenario with steps that were not checked is reported as skipped, not passed.
    const skippedHere = results.filter((r) => r.passed && !r.cancelled && r.skipped.length > 0).length;
    const passedHere = results.filter((r) => r.passed && !r.cancelled).length - skippedHere;
    io.stdout(
      `${fixtureFiles.length > 0 ? '\n' : ''}conversations: ${passedHere} passed, ${failedHere} failed${skippedHere > 0 ? `, ${skippedHere} skipped` : ''}${cancelledHere > 0 ? `, ${cancelledHere} cancelled` : ''}\n`,
    );
    if (signal.aborted) return stopped(io, signal, cancelledHere);
    failed += failedHere;
    ran += conversationFiles.length;
  }
  if (failed > 0 || ran === 0) throw new CommandFailed(`${failed} scenario(s) failed`, 1);
}

/** Says the run was stopped (the report above shows what ran); the caller exits with the signal's code. */
function stopped(io: CliIo, signal: AbortSignal, cancelled: number): void {
  const why = signal.reason instanceof Error ? signal.reason.message : 'stopped';
  io.stderr(`baton: ${why}: ${cancelled} scenario(s) cancelled; the report shows what ran.\n`);
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

/**
 * Runs conversation files: on `baton serve` sandbox loops (free loopback ports; one per distinct
 * `sandbox:` setup), or, with a real org configured, on its deployment (UNCONFIRMED).
 */
async function runConversationFiles(
  files: readonly string[],
  io: CliIo,
  concurrency: number | undefined,
  signal: AbortSignal,
) {
  const scenarios: ConversationScenario[] = [];
  const parseErrors: { file: string; message: string }[] = [];
  for (const file of files) {
    try {
      scenarios.push(...parseConversationScenarios(file, await readFile(path.join(io.cwd, file), 'utf8')));
    } catch (error) {
      if (!(error instanceof ConversationScenarioParseError)) throw error;
      parseErrors.push({ file, message: error.message });
      io.stdout(`✗ ${error.message}\n`);
      // The rest of what is wrong with the file, so one run shows it all.
      for (const problem of error.problems.slice(1)) io.stdout(`    ${file}:${problem.line}: ${problem.message}\n`);
    }
  }
  const results: ConversationScenarioResult[] = [];
  if (scenarios.length === 0) return { results, parseErrors };
  if (signal.aborted) {
    // Stopped before any loop started: nothing to start them for.
    results.push(...scenarios.map((s) => ({ ...skippedScenario(s, CANCELLED_REASON), cancelled: true as const })));
    return { results, parseErrors };
  }
  const config = loadConfig(io.env);
  if (config.genesys.mode !== 'sandbox') {
    let target: ReturnType<typeof realOrgTargetFromConfig> | undefined;
    try {
      target = realOrgTargetFromConfig(config);
      await target.preflight();
      io.stderr(`REAL ORG (UNCONFIRMED): conversations run on ${target.description}.\n`);
      const org = target;
      results.push(...(await runScenarios(scenarios, () => org, io, concurrency ?? 1, signal)));
    } catch (error) {
      if (error instanceof RealOrgTargetError) {
        io.stderr(`baton: ${error.message}\n`);
        throw new CommandFailed(error.message, 2);
      }
      throw error;
    } finally {
      await target?.close();
    }
    return { results, parseErrors };
  }
  // One sandbox loop per distinct `sandbox:` setup (most suites: one), all started before the run.
  const setups = new Map<string, ConversationSandboxSetup>();
  for (const scenario of scenarios) setups.set(setupKey(scenario.sandbox), scenario.sandbox ?? {});
  const loops = new Map<string, { handle: ServeHandle; target: ConversationTarget }>();
  try {
    for (const [key, setup] of setups) {
      if (signal.aborted) break;
      const handle = await serve(
        { ...io, env: { ...io.env, PORT: '0', HOST: '127.0.0.1' }, stdout: () => undefined },
        { banner: false, logDestination: { write: () => undefined }, ...(await sandboxServeOptions(setup)) },
      );
      const rulesOf = async (conversationId: string) =>
        handoffRulesOf((await handle.runtime.stores.traces.list({ conversationId }))[0]);
      loops.set(key, {
        handle,
        target: sandboxTarget(handle.runtime.sandbox!, rulesOf, { ...(handle.loop && { loop: handle.loop.loop }) }),
      });
    }
    io.stderr(
      'SANDBOX MODE: conversations run on the sandbox (Guest API, bot, exported flow and data actions, agents).\n',
    );
    // A loop not started (stopped while starting them): its scenarios are cancelled before they connect.
    const targetOf = (scenario: ConversationScenario) =>
      (loops.get(setupKey(scenario.sandbox)) ?? loops.values().next().value!).target;
    results.push(...(await runScenarios(scenarios, targetOf, io, concurrency ?? SANDBOX_CONCURRENCY, signal)));
  } finally {
    for (const { handle } of loops.values()) await handle.stop('baton test');
  }
  return { results, parseErrors };
}

/**
 * Conversations run at once on the sandbox by default: each is its own guest session, and the
 * sandbox's agents answer any number of conversations, so a suite takes about as long as its slowest
 * scenarios rather than their sum. A real org runs one at a time unless asked (its API rate limit and
 * agents are shared with production).
 */
const SANDBOX_CONCURRENCY = 8;

/** Runs scenarios `concurrency` at a time; reports them in file order, each as soon as it and those before it finished. */
async function runScenarios(
  scenarios: readonly ConversationScenario[],
  targetOf: (scenario: ConversationScenario) => ConversationTarget,
  io: CliIo,
  concurrency: number,
  signal: AbortSignal,
): Promise<ConversationScenarioResult[]> {
  const results: (ConversationScenarioResult | undefined)[] = scenarios.map(() => undefined);
  let next = 0;
  let reported = 0;
  const report = () => {
    for (; reported < results.length && results[reported]; reported++) {
      const result = results[reported]!;
      const scenario = scenarios[reported]!;
      const mark = !result.passed ? '✗' : result.skipped.length > 0 ? '○' : '✓';
      const cancelled = result.cancelled ? ' cancelled' : '';
      const skipped = result.skipped.length > 0 ? `, ${result.skipped.length} skipped` : '';
      io.stdout(
        `${mark} ${scenario.file}:${scenario.line} › ${scenario.name} (${result.steps} steps${skipped}, ${result.durationMs} ms)${cancelled}\n`,
      );
      for (const line of [...formatConversationSkips(result), ...formatConversationFailure(result)])
        io.stdout(`${line}\n`);
    }
  };
  const worker = async () => {
    for (let i = next++; i < scenarios.length; i = next++) {
      results[i] = await runConversationScenario(scenarios[i]!, {
        target: targetOf(scenarios[i]!),
        now: () => performance.now(),
        signal,
      });
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, scenarios.length) }, worker));
  return results as ConversationScenarioResult[];
}

function setupKey(setup: ConversationSandboxSetup | undefined): string {
  const entries = Object.entries(setup ?? {}).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

/** `baton serve`'s options for a scenario's `sandbox:` setup: the sandbox's options and the loop's. */
async function sandboxServeOptions(setup: ConversationSandboxSetup): Promise<ServeOptions> {
  const sandboxOptions = {
    ...(setup.platformApiLatencyMs !== undefined && { latencyMs: setup.platformApiLatencyMs }),
    ...(setup.conversationDisconnect === 'hidden' && { conversationDisconnect: { displayToGuest: false } }),
  };
  const loop = {
    ...(setup.bridge === 'unreachable' && { bridgeUrl: `http://127.0.0.1:${await closedPort()}` }),
    ...(setup.dataActionTimeoutSeconds !== undefined && { timeoutSeconds: setup.dataActionTimeoutSeconds }),
  };
  return {
    ...(Object.keys(sandboxOptions).length > 0 && {
      runtimeOptions: {
        startSandbox: async (options) => (await import('@baton/sandbox')).createSandbox({ ...options, ...sandboxOptions }),
      },
    }),
    ...(Object.keys(loop).length > 0 && { loop }),
  };
}

/** A loopback port nothing listens on (bound, then released): connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
