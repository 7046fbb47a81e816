import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** The value imports (not `import type`, not `import()`) of a source file: module specifiers. */
async function valueImports(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)) found.push(m[1]!);
  return found;
}

/** Every module `baton serve` loads at start (static imports from the CLI), package names for the rest. */
async function loadedAtStart(entry: string): Promise<{ files: Set<string>; packages: Set<string> }> {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = async (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of await valueImports(file)) {
      if (spec.startsWith('.')) await visit(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  await visit(join(src, entry));
  return { files, packages };
}

// The lean-bridge issue: what a bridge does not use must not sit in its memory.
describe('what baton serve loads at start', () => {
  it('when the CLI starts, then Redis, the sandbox org and the data-action tooling are not loaded (each is loaded where it is used)', async () => {
    const { files, packages } = await loadedAtStart('cli.ts');
    assert.ok(files.has(join(src, 'commands/serve.ts')), 'the walk reaches serve');
    for (const pkg of ['ioredis', '@baton/sandbox', '@baton/data-actions']) assert.ok(!packages.has(pkg), `${pkg} is imported at start`);
  });
});
