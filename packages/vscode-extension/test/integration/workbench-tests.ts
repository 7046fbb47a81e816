// Starting Test Explorer runs through the workbench, as its Run button does, for the e2e tests.
import * as vscode from 'vscode';

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

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
