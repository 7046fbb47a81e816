import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import {
  coerceInputText,
  credentialsFromFields,
  DataActionsError,
  exportActions,
  formatStepTable,
  parseKeyValues,
  runActionFile,
} from '../src/index.js';
import { startTargetServer, type TargetServer } from './helpers/target-server.js';

const conversationId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

describe('runActionFile and formatStepTable (what `baton run-action` prints)', () => {
  let target: TargetServer;
  let dir: string;
  before(async () => {
    target = await startTargetServer();
    dir = await mkdtemp(join(tmpdir(), 'baton-run-'));
    await exportActions({
      baseUrl: target.baseUrl,
      auth: 'oauth',
      format: 'json',
      outDir: dir,
      allowInsecure: true,
    });
    target.on('POST', '/oauth/token', (_req, res) => {
      res.json({ access_token: 'tok-zzz-999', token_type: 'Bearer', expires_in: 60 });
    });
  });
  after(async () => {
    await target.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('when the CLI passes text inputs, then they are typed by the input contract as Architect would send them', () => {
    const schema = {
      properties: { confidence: { type: 'number' }, mask: { type: 'boolean' }, intent: { type: 'string' } },
    };
    assert.deepEqual(
      coerceInputText(schema, { confidence: '0.5', mask: 'true', intent: '0.5', other: 'x' }),
      {
        confidence: 0.5,
        mask: true,
        intent: '0.5',
        other: 'x',
      },
    );
    assert.deepEqual(parseKeyValues(['a=1', 'b=x=y']), { a: '1', b: 'x=y' });
    assert.throws(() => parseKeyValues(['novalue']), DataActionsError);
    assert.deepEqual(credentialsFromFields({ userName: 'u', password: 'p' }, false), {
      type: 'basic',
      userName: 'u',
      password: 'p',
    });
    assert.equal(credentialsFromFields({ apiKey: 'k' }, false).type, 'userDefined');
    assert.equal(credentialsFromFields({ clientId: 'a' }, true).type, 'userDefinedOAuth');
  });

  it('when an exported file runs with --custom-auth, then the table lists every step and the failing one', async () => {
    target.on('POST', '/v1/actions/assess-intent', (_req, res) => {
      res.status(400).json({ code: 'validation_failed', message: 'Invalid request: threshold: too big' });
    });
    const result = await runActionFile({
      file: join(dir, 'baton-assess-intent.custom.json'),
      customAuthFile: join(dir, 'baton-oauth.customAuth.json'),
      input: { conversationId, confidence: '0.4' },
      credentials: { clientId: 'cid', clientSecret: 'csecret-123' },
      correlationId: 'c-1',
    });
    assert.equal(result.success, false);
    const table = formatStepTable(result);
    const lines = table.split('\n');
    assert.match(lines[0]!, /^ # {2}Step +Status {2}Detail$/);
    assert.match(lines[1]!, /^ 1 {2}Validate input against the input contract +ok$/);
    assert.match(lines[2]!, /^ 2 {2}Execute custom authentication action +ok$/);
    assert.match(
      table,
      / 6 {2}Execute request +FAILED {2}400 BAD_REQUEST: Request to backend service failed/,
    );
    assert.match(
      table,
      /\n400 BAD_REQUEST: .*Response from web service: \{"code":"validation_failed".*\[c-1\]\n$/,
      'the full error closes the table',
    );
    assert.match(table, /Result: FAILED \(Architect output: Failure; correlation id c-1\)/);
    assert.ok(!table.includes('csecret-123') && !table.includes('tok-zzz-999'));
  });

  it('when the run succeeds, then the table ends with the final result', async () => {
    target.on('POST', '/v1/actions/assess-intent', (_req, res) => {
      res.json({
        status: 'handoff_recommended',
        handoffRecommended: true,
        intent: '',
        confidence: 0.4,
        source: 'inputs',
        threshold: 0.7,
        exitReason: '',
        decisionRule: 'confidence_below_threshold',
        slots: '',
        message: 'ok',
      });
    });
    const result = await runActionFile({
      file: join(dir, 'baton-assess-intent.custom.json'),
      customAuthFile: join(dir, 'baton-oauth.customAuth.json'),
      input: { conversationId, confidence: '0.4' },
      credentials: { clientId: 'cid', clientSecret: 'csecret-123' },
    });
    const table = formatStepTable(result);
    assert.match(table, /Result: SUCCESS \(Architect output: Success/);
    assert.match(table, /"handoffRecommended": true/);
  });

  it('when the file is not a data action, then a definition_invalid error names it', async () => {
    await assert.rejects(
      runActionFile({ file: join(dir, 'missing.json'), input: {}, credentials: {} }),
      (e: unknown) =>
        e instanceof DataActionsError &&
        e.code === 'definition_invalid' &&
        e.message.includes('missing.json'),
    );
    await assert.rejects(
      runActionFile({ file: 'x.json', input: {}, credentials: {}, readText: async () => '{"name":"x"}' }),
      (e: unknown) => e instanceof DataActionsError && /integrationType/.test(e.message),
    );
  });
});
