import type { ScenarioRun } from './files.js';

/**
 * Plain-text report for `baton test`: one line per scenario, the failed expectations under it
 * with their JSON pointer, and a final count line. No colours: CI logs keep it readable.
 */
export function formatScenarioReport(run: ScenarioRun): string {
  const lines: string[] = [];
  for (const file of run.files) {
    if (file.error) {
      lines.push(`✗ ${file.file}: ${file.error.message}`);
      continue;
    }
    for (const scenario of file.scenarios) {
      lines.push(`${scenario.passed ? '✓' : '✗'} ${file.file} › ${scenario.name} (${scenario.apiCalls} API calls, ${scenario.durationMs} ms)`);
      for (const e of scenario.expectations.filter((x) => !x.passed)) {
        lines.push(`    ${file.file}#${e.path}: ${e.message}`);
      }
    }
  }
  if (run.files.length === 0) lines.push('no scenario files matched');
  lines.push(`scenarios: ${run.passed} passed, ${run.failed} failed`);
  return lines.join('\n');
}

/** Exit code for CI: non-zero on any failure, and when nothing matched (a typo in the glob must not pass). */
export function scenarioExitCode(run: ScenarioRun): number {
  return run.failed > 0 || run.files.length === 0 ? 1 : 0;
}
