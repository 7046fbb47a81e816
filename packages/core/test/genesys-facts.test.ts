import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './helpers/repo-root.js';

/**
 * Code cites the Genesys behaviour it relies on as `docs/genesys-facts.md#<anchor>`. This test keeps
 * those citations resolvable: every cited anchor must be a heading of docs/genesys-facts.md, and the
 * older citation forms (numbered sections of notes outside the repository, their short source keys,
 * machine paths) must not come back.
 */

const FACTS = 'docs/genesys-facts.md';
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'artifacts', 'coverage', '.cache', '.vscode-test']);
const TEXT_EXTENSIONS = new Set([
  '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.md', '.sh', '.json', '.yaml', '.yml', '.html', '.css', '.tf', '',
]);


/** Source, docs, READMEs and scripts, as repository-relative paths with `/` separators. */
function textFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (SKIPPED_DIRS.has(entry.name)) continue; // `.git` is a file in a worktree
    if (entry.isDirectory()) {
      out.push(...textFiles(root, full));
    } else if (entry.isFile() && TEXT_EXTENSIONS.has(path.extname(entry.name)) && statSync(full).size < 2_000_000) {
      out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  }
  return out;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Keys of the "Source keys" table that are distinctive enough to spot in prose (hyphenated ones, not `PY`). */
export function sourceKeys(markdown: string): string[] {
  const section = markdown.split(/^## Source keys\s*$/m)[1] ?? '';
  return [...section.matchAll(/^\|\s*([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\s*\|/gm)].map((m) => m[1]!);
}

interface Rules {
  anchors: Set<string>;
  keys: string[];
}

/** Problems in one file, as `path:line: what`. */
export function citationProblems(file: string, text: string, rules: Rules): string[] {
  const problems: string[] = [];
  const isFacts = file === FACTS;
  const escapedKeys = rules.keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const keyPattern = new RegExp(`\\b(?:${[...escapedKeys, '(?:HC|CM|BLOG|ANN|HELP|COMM)-[A-Z0-9]+(?:-[A-Z0-9]+)*'].join('|')})\\b`);
  text.split('\n').forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    for (const m of line.matchAll(/genesys-facts\.md#([\p{L}\p{N}_-]+)/gu)) {
      if (!rules.anchors.has(m[1]!)) problems.push(`${at}: no heading in ${FACTS} has the anchor #${m[1]}`);
    }
    if (isFacts) {
      for (const m of line.matchAll(/\]\(#([^)]+)\)/g)) {
        if (!rules.anchors.has(m[1]!)) problems.push(`${at}: internal link to missing anchor #${m[1]}`);
      }
    }
    if (/\/work\//.test(line)) problems.push(`${at}: machine path`);
    if (/shared\/reference/.test(line)) problems.push(`${at}: path to notes outside the repository`);
    if (/reference\s+§/.test(line)) problems.push(`${at}: numbered-section citation of notes outside the repository`);
    if (/genesys-(?:platform-api|data-actions)\.md/.test(line)) problems.push(`${at}: citation of notes outside the repository`);
    if (isFacts) return;
    for (const m of line.matchAll(/§\s?\d/g)) {
      if (!/RFC \d+ $/.test(line.slice(0, m.index))) problems.push(`${at}: bare section citation "${m[0]}"`);
    }
    const key = keyPattern.exec(line);
    if (key) problems.push(`${at}: bare source key ${key[0]} (cite ${FACTS}#<anchor> instead)`);
  });
  return problems;
}

describe('docs/genesys-facts.md citations', () => {
  const root = repoRoot();
  const facts = readFileSync(path.join(root, FACTS), 'utf8');
  const rules: Rules = { anchors: headingAnchors(facts), keys: sourceKeys(facts) };

  it('computes GitHub anchors and reads the source keys of the facts file', () => {
    assert.ok(rules.anchors.has('participant-data-limits'));
    assert.ok(rules.anchors.has('source-keys'));
    assert.ok(headingAnchors('## Error body and correlation id\n## A `b` (c)\n## A b c').has('a-b-c-1'));
    assert.ok(rules.keys.length >= 35, `only ${rules.keys.length} source keys found`);
    assert.ok(rules.keys.includes(['HC', 'CRED'].join('-')));
  });

  it('when a citation names a missing anchor or an old form comes back, then it is reported', () => {
    const cite = (anchor: string): string => `// x (${FACTS}#${anchor})`;
    assert.deepEqual(citationProblems('a.ts', cite('rate-limits'), rules), []);
    assert.equal(citationProblems('a.ts', cite('rate-limit'), rules).length, 1);
    const section = '\u00a7';
    for (const old of [
      `// (reference ${section}1.3)`,
      `// (${['BLOG', 'CACHE'].join('-')})`,
      `// (${['ANN', '429'].join('-')})`,
      `// (see ${section}3.5)`,
      `# see /${'work'}/x`,
    ]) {
      assert.notDeepEqual(citationProblems('a.ts', old, rules), [], old);
    }
    assert.deepEqual(citationProblems('a.ts', '// HMAC-SHA256, RFC 6749 §5.2, DEV-ONLY, UI-CHECK', rules), []);
  });

  it('every citation in the repository resolves, and no old citation form remains', () => {
    const files = textFiles(root);
    assert.ok(files.includes(FACTS) && files.includes('README.md'));
    const problems = files.flatMap((file) => citationProblems(file, readFileSync(path.join(root, file), 'utf8'), rules));
    assert.deepEqual(problems, []);
  });
});
