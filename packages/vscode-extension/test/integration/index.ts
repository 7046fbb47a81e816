// Entry point VS Code's extension host calls (extensionTestsPath): runs every *.e2e.js next to it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.e2e.js')).sort();
  // BATON_E2E_ORDER=reverse runs the suites last to first: no suite may depend on another's leftovers.
  if (process.env.BATON_E2E_ORDER === 'reverse') files.reverse();
  console.log(`e2e suites: ${files.join(', ')}`);
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The harness reads this line: passed and failed counts from inside the real VS Code.
      console.log(`BATON-E2E-RESULT ${JSON.stringify({ passed: runner.stats?.passes ?? 0, failed: failures })}`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
