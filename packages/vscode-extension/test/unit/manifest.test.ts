import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Commands, Settings, Views } from '../../src/ids.js';
import { orgProfileSchema } from '../../src/model/org-profile.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('package.json contributions', () => {
  it('declares exactly the typed command ids, each with a Baton title', () => {
    const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(declared, Object.values(Commands).sort());
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Baton');
  });

  it('declares the Handoffs view and every setting the code reads', () => {
    assert.deepEqual(manifest.contributes.views.baton.map((v: { id: string }) => v.id), [Views.handoffs]);
    const props = Object.keys(manifest.contributes.configuration.properties).sort();
    const read = [Settings.orgs, Settings.bridgeUrl, Settings.historyLimit, Settings.scenarioGlob, Settings.conversationGlob].map((k) => `baton.${k}`).sort();
    assert.deepEqual(props, read);
  });

  it('activates lazily and has no setting that could hold a secret', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    const orgItem = manifest.contributes.configuration.properties['baton.orgs'].items;
    assert.equal(orgItem.additionalProperties, false);
    assert.deepEqual(Object.keys(orgItem.properties).sort(), ['baseUrl', 'clientId', 'deploymentId', 'name', 'region', 'webMessagingUrl']);
    // The setting's schema and the parser's cannot drift apart.
    assert.deepEqual(Object.keys(orgItem.properties).sort(), Object.keys(orgProfileSchema.shape).sort());
  });

  it('keeps workspace packages out of dependencies (they are bundled)', () => {
    assert.equal(manifest.dependencies, undefined);
    for (const name of Object.keys(manifest.devDependencies)) if (name.startsWith('@baton/')) assert.equal(manifest.devDependencies[name], 'workspace:*');
  });
});
