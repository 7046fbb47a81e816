#!/usr/bin/env node
// The `baton` command. It exists before the first build (pnpm links workspace bins at install
// time, when dist/ is not there yet) and loads the compiled CLI; `pnpm baton` builds first.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('baton: the CLI is not built yet. Run `pnpm run build` (or `pnpm baton ...`, which builds first).\n');
  process.exit(1);
}
await import(cli.href);
