// Writes the configuration table of packages/bridge/README.md from the table in src/config.ts.
// config.test.ts fails while the README differs from what this writes.
import { readFile, writeFile } from 'node:fs/promises';
import { configReadmeTable } from '../src/config.js';
import { readmeWithTable } from '../src/config-table.js';

const readmeUrl = new URL('../README.md', import.meta.url);
const before = await readFile(readmeUrl, 'utf8');
const after = readmeWithTable(before, configReadmeTable());
if (after === before) {
  console.log('README.md: the configuration table is up to date');
} else {
  await writeFile(readmeUrl, after);
  console.log('README.md: configuration table rewritten');
}
