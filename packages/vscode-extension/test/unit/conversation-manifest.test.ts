import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { ConversationsNotSupportedError, runConversationOn } from '../../src/backend/conversation-run.js';
import type { OrgBackend } from '../../src/backend/org-backend.js';
import { DEFAULT_CONVERSATION_GLOB } from '../../src/model/conversation-steps.js';

const pkg = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));

describe('package.json: conversation scenarios', () => {
  it('contributes the conversation schema to the YAML extension, from a file the .vsix ships', () => {
    const entry = manifest.contributes.yamlValidation.find((v: { fileMatch: string }) => v.fileMatch === '*.conversation.yaml');
    assert.ok(entry, JSON.stringify(manifest.contributes.yamlValidation));
    const file = String(entry.url).replace(/^\.\//, '');
    assert.ok(existsSync(new URL(file, pkg)), `${file} exists`);
    // .vscodeignore excludes everything (`**`) and lists what ships: the schema must be listed.
    const shipped = readFileSync(new URL('.vscodeignore', pkg), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    assert.ok(shipped.includes(file), `.vscodeignore ships ${file}: ${JSON.stringify(shipped)}`);
  });

  it('activates for a workspace with conversation files and for YAML documents', () => {
    assert.ok(manifest.activationEvents.includes('workspaceContains:**/*.conversation.yaml'));
    assert.ok(manifest.activationEvents.includes('onLanguage:yaml'));
  });

  it("defaults baton.conversationGlob to the code's default", () => {
    assert.equal(manifest.contributes.configuration.properties['baton.conversationGlob'].default, DEFAULT_CONVERSATION_GLOB);
  });
});

describe('running a conversation scenario from the editor', () => {
  it('on an org without a conversation loop (a real org), then it fails with "not supported in the editor yet", naming the org', async () => {
    const backend = { kind: 'genesys', name: 'Prod' } as OrgBackend;
    const scenario = { file: 'a.conversation.yaml', name: 'a', line: 1, steps: [{ step: { say: 'hi' }, line: 3 }] };
    await assert.rejects(runConversationOn(backend, scenario, Date.now), (e: unknown) => {
      assert.ok(e instanceof ConversationsNotSupportedError);
      assert.match(e.message, /"Prod" is not supported in the editor yet/);
      return true;
    });
  });
});
