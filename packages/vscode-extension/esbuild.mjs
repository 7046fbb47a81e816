// Bundles the extension (dist/extension.js, CommonJS, `vscode` external) and its integration
// tests (dist/test/*.js), and writes the scenario files' JSON schema. Workspace packages resolve
// to their TypeScript sources through the `source` export condition, so no package needs a
// separate build first and the VSIX carries no node_modules.
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  conditions: ['source'],
  // ESM entry points first: jsonc-parser's UMD build requires its own files dynamically, which a bundle cannot follow.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

rmSync(path.join(root, 'dist/test'), { recursive: true, force: true });
mkdirSync(path.join(root, 'dist/test'), { recursive: true });

await esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });

// Integration tests run inside VS Code's extension host: one bundle per file; mocha is loaded
// from the repository's node_modules at run time (its reporters are required dynamically).
const testDir = path.join(root, 'test/integration');
const testEntries = readdirSync(testDir).filter((f) => f === 'index.ts' || f.endsWith('.e2e.ts'));
await esbuild.build({
  ...common,
  entryPoints: testEntries.map((f) => path.join('test/integration', f)),
  outdir: 'dist/test',
  external: ['vscode', 'mocha'],
});

// The JSON schema of *.handoff.json (package.json jsonValidation): completion and squiggles in the editor.
const schemaOut = path.join(root, 'dist/test/.schema-emitter.cjs');
await esbuild.build({ ...common, entryPoints: ['src/model/scenario-json-schema.ts'], outfile: schemaOut, sourcemap: false });
const { scenarioJsonSchema } = createRequire(import.meta.url)(schemaOut);
writeFileSync(path.join(root, 'dist/handoff-scenario.schema.json'), JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
rmSync(schemaOut);
console.log(`esbuild: dist/extension.js, ${testEntries.length} test bundle(s), dist/handoff-scenario.schema.json`);
