import * as assert from 'node:assert/strict';
import { genesysTargetOf, webMessagingOriginOf, needsWriteConfirmation, parseOrgProfiles, secretKeyFor, SANDBOX_ORG_NAME } from '../../src/model/org-profile.js';

describe('org profiles', () => {
  it('when the setting holds valid profiles, then they are all returned', () => {
    const { profiles, problems } = parseOrgProfiles([
      { name: 'Prod', region: 'us_east_1', clientId: 'a' },
      { name: 'Test', region: 'mypurecloud.de', clientId: 'b' },
    ]);
    assert.deepEqual(profiles.map((p) => p.name), ['Prod', 'Test']);
    assert.deepEqual(problems, []);
  });

  it('when an entry carries a client secret, then it is reported and the secret is dropped', () => {
    const { profiles, problems } = parseOrgProfiles([{ name: 'Prod', region: 'us_east_1', clientId: 'a', clientSecret: 'shh' }]);
    assert.deepEqual(profiles, [{ name: 'Prod', region: 'us_east_1', clientId: 'a' }]);
    assert.match(problems[0]!, /holds a client secret/);
    assert.ok(!JSON.stringify(profiles).includes('shh'));
  });

  it('when entries are malformed or duplicate the Sandbox name, then only those are skipped', () => {
    const { profiles, problems } = parseOrgProfiles([
      { name: 'Prod', region: 'us_east_1' },
      { name: SANDBOX_ORG_NAME, region: 'us_east_1', clientId: 'x' },
      { name: 'Ok', region: 'us_east_1', clientId: 'y' },
      { name: 'Ok', region: 'us_west_2', clientId: 'z' },
    ]);
    assert.deepEqual(profiles.map((p) => p.clientId), ['y']);
    assert.equal(problems.length, 3);
  });

  it('secrets are keyed per profile', () => {
    assert.notEqual(secretKeyFor('a'), secretKeyFor('b'));
  });

  it('asks before writes on a real org only', () => {
    const real = { kind: 'genesys' as const, profile: { name: 'Prod', region: 'us_east_1', clientId: 'a' } };
    assert.equal(needsWriteConfirmation(real, true), true);
    assert.equal(needsWriteConfirmation(real, false), false);
    assert.equal(needsWriteConfirmation({ kind: 'sandbox', name: SANDBOX_ORG_NAME }, true), false);
  });
});

describe('org profile baseUrl', () => {
  it('when a profile sets an http(s) baseUrl, then its Genesys target is that URL (region still required)', () => {
    const { profiles, problems } = parseOrgProfiles([
      { name: 'Local', region: 'us_east_1', clientId: 'a', baseUrl: 'http://127.0.0.1:4010' },
      { name: 'NoRegion', clientId: 'b', baseUrl: 'http://127.0.0.1:4010' },
    ]);
    assert.deepEqual(profiles.map((p) => p.name), ['Local']);
    assert.match(problems[0]!, /baton\.orgs\[1\]: region/);
    assert.deepEqual(genesysTargetOf(profiles[0]!), { baseUrl: 'http://127.0.0.1:4010' });
  });

  it('when a profile has no baseUrl, then its region is the target', () => {
    const { profiles } = parseOrgProfiles([{ name: 'Prod', region: 'us_east_1', clientId: 'a' }]);
    assert.deepEqual(genesysTargetOf(profiles[0]!), { region: 'us_east_1' });
  });

  it('when the baseUrl is not an http(s) URL, then the profile is reported and skipped', () => {
    const { profiles, problems } = parseOrgProfiles([
      { name: 'Ftp', region: 'us_east_1', clientId: 'a', baseUrl: 'ftp://example.com' },
      { name: 'Word', region: 'us_east_1', clientId: 'a', baseUrl: 'localhost' },
    ]);
    assert.deepEqual(profiles, []);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /baseUrl/);
  });

  it('reads deploymentId and webMessagingUrl; refuses a webMessagingUrl that is not ws(s)', () => {
    const { profiles, problems } = parseOrgProfiles([
      { name: 'Prod', region: 'us_east_1', clientId: 'a', deploymentId: 'dep-1', webMessagingUrl: 'wss://proxy.example.com' },
      { name: 'Bad', region: 'us_east_1', clientId: 'b', webMessagingUrl: 'https://proxy.example.com' },
    ]);
    assert.deepEqual(profiles, [{ name: 'Prod', region: 'us_east_1', clientId: 'a', deploymentId: 'dep-1', webMessagingUrl: 'wss://proxy.example.com' }]);
    assert.match(problems[0]!, /webMessagingUrl expected a ws\(s\) URL/);
  });

  it("the Guest API origin: the override, else baseUrl's host over ws(s), else the region's", () => {
    const base = { name: 'P', region: 'mypurecloud.de', clientId: 'a' };
    assert.equal(webMessagingOriginOf(base), 'wss://webmessaging.mypurecloud.de');
    assert.equal(webMessagingOriginOf({ ...base, baseUrl: 'http://127.0.0.1:4010' }), 'ws://127.0.0.1:4010');
    assert.equal(webMessagingOriginOf({ ...base, baseUrl: 'https://proxy.example.com/x' }), 'wss://proxy.example.com');
    assert.equal(webMessagingOriginOf({ ...base, baseUrl: 'http://127.0.0.1:4010', webMessagingUrl: 'ws://127.0.0.1:5000/' }), 'ws://127.0.0.1:5000');
    assert.equal(webMessagingOriginOf({ ...base, region: 'nowhere' }), undefined);
  });
});
