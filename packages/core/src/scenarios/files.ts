import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { globToRegExp } from './glob.js';
import { jsonPointer } from './json-pointer.js';
import { runScenario, type RunScenarioOptions, type ScenarioResult } from './runner.js';
import { scenarioFileSchema, type ScenarioFile } from './schema.js';

export interface ScenarioFileResult {
  /** As given or found (relative to `cwd` when found by a glob). */
  file: string;
  scenarios: ScenarioResult[];
  /** The file could not be read or does not follow the schema; no scenario ran. */
  error?: { path: string; message: string };
}

export interface ScenarioRun {
  files: ScenarioFileResult[];
  passed: number;
  failed: number;
}

export type RunScenarioFilesOptions = Omit<RunScenarioOptions, 'pointer'> & {
  /** Directory globs are relative to (default: process.cwd() of the caller, passed explicitly). */
  cwd: string;
  /** Called after each scenario, for progress output. */
  onResult?: (file: string, result: ScenarioResult) => void;
};

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist']);

/** Files under `cwd` matching any of the globs (relative, `/`-separated), sorted. */
export async function findScenarioFiles(patterns: string | readonly string[], cwd: string): Promise<string[]> {
  const regexps = (typeof patterns === 'string' ? [patterns] : patterns).map((p) => globToRegExp(p.replace(/^\.\//, '')));
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(path.join(cwd, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(rel);
      } else if (entry.isFile() && regexps.some((r) => r.test(rel))) {
        found.push(rel);
      }
    }
  };
  await walk('');
  return found.sort();
}

/** Parses a scenario file's text; on failure, the JSON pointer of the first bad field. */
export function parseScenarioFile(text: string): { file: ScenarioFile } | { error: { path: string; message: string } } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: { path: '', message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` } };
  }
  const parsed = scenarioFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = jsonPointer(issue.path.filter((p): p is string | number => typeof p !== 'symbol'));
    return { error: { path: at, message: `${at || '(file)'}: ${issue.message}` } };
  }
  return { file: parsed.data };
}

/** Runs every scenario of one parsed file, in order (they share the org's request budget). */
export async function runScenarioFile(
  file: ScenarioFile,
  options: Omit<RunScenarioOptions, 'pointer'> & { onResult?: (result: ScenarioResult) => void },
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const [i, scenario] of file.scenarios.entries()) {
    const result = await runScenario(scenario, { ...options, pointer: `/scenarios/${i}` });
    options.onResult?.(result);
    results.push(result);
  }
  return results;
}

/** `baton test <glob>`: finds the files, runs them all, and counts. Never throws for a failing scenario. */
export async function runScenarioFiles(patterns: string | readonly string[], options: RunScenarioFilesOptions): Promise<ScenarioRun> {
  const { cwd, onResult, ...runOptions } = options;
  const files: ScenarioFileResult[] = [];
  for (const file of await findScenarioFiles(patterns, cwd)) {
    let text: string;
    try {
      text = await readFile(path.join(cwd, file), 'utf8');
    } catch (error) {
      files.push({ file, scenarios: [], error: { path: '', message: error instanceof Error ? error.message : String(error) } });
      continue;
    }
    const parsed = parseScenarioFile(text);
    if ('error' in parsed) {
      files.push({ file, scenarios: [], error: parsed.error });
      continue;
    }
    const scenarios = await runScenarioFile(parsed.file, { ...runOptions, onResult: (r) => onResult?.(file, r) });
    files.push({ file, scenarios });
  }
  const all = files.flatMap((f) => f.scenarios);
  const passed = all.filter((r) => r.passed).length;
  return { files, passed, failed: all.length - passed + files.filter((f) => f.error).length };
}
