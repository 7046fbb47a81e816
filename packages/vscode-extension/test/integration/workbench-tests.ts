// Starting Test Explorer runs through the workbench, as its Run button does, for the e2e tests.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BatonApi } from '../../src/extension';
import type { ConversationRunSummary } from '../../src/testing/conversation-tests';
import { ConversationTestControllerId } from '../../src/ids';

/** The workbench's TestRunProfileBitset.Run (not the API's TestRunProfileKind.Run, which is 1). */
export const RUN_GROUP = 2;

/**
 * Starts a run of the given Test Explorer items through the workbench (`vscode.runTestsById`, what
 * the test peek's Run button sends) once the workbench knows them. Resolves once the run has reached
 * the extension, with `ended`: the command's promise, which settles when the workbench's run has
 * ended (in an object: an async function returning a promise would wait for it).
 *
 * Why not simply call the command: the extension host sends new test items to the workbench in
 * batches, at most 200 ms after they change, and `vscode.runTestsById` resolves at once without
 * running anything when it does not know an id. It asks the extension host for a missing child only
 * the first time it expands that parent (then it caches the expansion): the first new file of a
 * session (and the first new scenario in a file) is synced on demand, every later one races the
 * batch and loses when the run is asked for at once. The run then silently never happens and the
 * test times out waiting for it, in whichever test comes second: which is why the cancel case in
 * the conversations suite, a new file, made the real-org suite's first run time out.
 * A user can only click an item the Test Explorer already shows; a test waits for the same: an
 * attempt that resolved without the run starting is retried until the workbench runs it.
 *
 * `ids` are the items' paths from their controller joined by NUL (the workbench's test ids);
 * `started` says whether the run reached the extension (a scenario running or a run finished).
 */
export async function startTestRun(ids: readonly string[], started: () => boolean, timeoutMs = 15_000): Promise<{ ended: Promise<unknown> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let settled = false;
    const done = Promise.resolve(vscode.commands.executeCommand('vscode.runTestsById', RUN_GROUP, ...ids)).finally(() => {
      settled = true;
    });
    while (!settled && !started()) await sleep(50);
    // The command settles only after its run ends, and the extension reports the end before that.
    if (started()) return { ended: done };
    await done;
    const what = ids.map((id) => id.split('\0').pop()).join(', ');
    if (Date.now() > deadline) throw new Error(`the workbench did not run ${what}: it does not know the item`);
    // In the log: how often the race happens (the test still passes).
    console.log(`  (the workbench does not know ${what} yet; running it again)`);
    await sleep(100);
  }
}

/** Polls `probe` every 100 ms until it gives a value; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(100);
  }
}

/**
 * Runs one scenario whose second step waits far longer than the test (a reply that never comes),
 * cancels the run (`testing.cancelRun`, the Test Explorer's Stop button) once the scenario is running,
 * and checks what a cancel must leave: the scenario skipped as cancelled, the waiting step skipped,
 * nothing failed, the workbench's run ended (nothing of it left for the next test's run).
 */
export async function cancelRunningScenario(api: BatonApi, fileId: string, scenarioId: string): Promise<void> {
  const finished: ConversationRunSummary[] = [];
  const sub = api.onDidFinishConversationRun((s) => void finished.push(s));
  try {
    const { ended } = await startTestRun([[ConversationTestControllerId, fileId, scenarioId].join('\0')], () => finished.length > 0 || api.runningConversationScenario() === scenarioId);
    await waitFor('the scenario to be running', () => (api.runningConversationScenario() === scenarioId ? true : undefined));
    await vscode.commands.executeCommand('testing.cancelRun');
    // Well inside the step's 120 s: the cancel ended the running scenario, not only the queue after it.
    const summary = await waitFor('the cancelled run', () => finished.find((s) => s.results.some((r) => r.id === scenarioId)), 30_000);
    await ended;
    const result = summary.results.find((r) => r.id === scenarioId)!;
    assert.equal(result.cancelled, true, JSON.stringify(result, null, 2));
    assert.equal(result.state, 'skipped');
    assert.equal(result.failure, undefined);
    assert.equal(result.steps[1]?.state, 'skipped', 'the waiting step was cancelled, not failed');
    assert.ok(result.steps.every((x) => x.state !== 'failed'));
  } finally {
    sub.dispose();
  }
}

/** A scenario that waits (120 s) for a reply that never comes: only a cancel ends it in a test. */
export const WAITS_LONG_SCENARIO = 'name: waits long\nsteps:\n  - say: where is my order 5551234\n  - expectBot: { contains: a reply that never comes }\n    timeoutMs: 120000\n';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
