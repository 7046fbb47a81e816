import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

// The root mocha run has no VS Code: unit tests and the model they test must never import it.
describe('unit-testable modules', () => {
  it('do not import vscode', () => {
    const dirs = ['../../src/model/', '../../src/log/', '../../src/chat/', './'];
    for (const dir of dirs) {
      const url = new URL(dir, import.meta.url);
      for (const f of readdirSync(url).filter((n) => n.endsWith('.ts') && n !== 'output-log.ts')) {
        const text = readFileSync(new URL(f, url), 'utf8');
        assert.ok(!/from ['"]vscode['"]/.test(text), `${dir}${f} imports vscode`);
      }
    }
  });
});
