import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { DataActionsError, exportActions, generateActions, parseDataActionDefinition } from '../src/index.js';

describe('exportActions', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'baton-export-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('when exporting json for oauth, then one baton-<id>.custom.json per endpoint plus baton-oauth.customAuth.json are written, as generated', async () => {
    const outDir = join(root, 'oauth-json');
    const { files } = await exportActions({
      baseUrl: 'https://baton.example.com',
      auth: 'oauth',
      format: 'json',
      outDir,
    });
    const names = (await readdir(outDir)).sort();
    assert.deepEqual(names, [
      'baton-assess-intent.custom.json',
      'baton-hand-to-queue.custom.json',
      'baton-handoff.custom.json',
      'baton-oauth.customAuth.json',
      'baton-transcript.custom.json',
    ]);
    assert.equal(files.length, 5);
    const generated = generateActions({ baseUrl: 'https://baton.example.com', auth: 'oauth' });
    const text = await readFile(join(outDir, 'baton-handoff.custom.json'), 'utf8');
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(JSON.parse(text), generated.actions.find((a) => a.id === 'handoff')!.definition);
    assert.equal(parseDataActionDefinition(text).actionType, 'custom');
  });

  it('when exporting json for apikey, then no custom auth file is written', async () => {
    const outDir = join(root, 'apikey-json');
    await exportActions({ baseUrl: 'https://baton.example.com', auth: 'apikey', format: 'json', outDir });
    assert.ok(!(await readdir(outDir)).some((n) => n.endsWith('.customAuth.json')));
  });

  it('when exporting terraform, then baton.tf is written', async () => {
    const outDir = join(root, 'tf');
    const { files } = await exportActions({
      baseUrl: 'https://baton.example.com',
      auth: 'basic',
      format: 'terraform',
      outDir,
    });
    assert.deepEqual(await readdir(outDir), ['baton.tf']);
    assert.equal(files[0], join(outDir, 'baton.tf'));
    assert.match(
      await readFile(files[0]!, 'utf8'),
      /resource "genesyscloud_integration_action" "baton_handoff"/,
    );
  });

  it('when the base URL is http, then nothing is written and the error says https', async () => {
    const outDir = join(root, 'insecure');
    await assert.rejects(
      exportActions({ baseUrl: 'http://baton.example.com', auth: 'basic', format: 'json', outDir }),
      (e: unknown) =>
        e instanceof DataActionsError && e.code === 'base_url_invalid' && /https/.test(e.message),
    );
    await assert.rejects(readdir(outDir), { code: 'ENOENT' });
    await exportActions({
      baseUrl: 'http://127.0.0.1:3000',
      auth: 'basic',
      format: 'json',
      outDir,
      allowInsecure: true,
    });
    assert.equal((await readdir(outDir)).length, 4);
  });
});
