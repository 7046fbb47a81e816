import assert from 'node:assert/strict';
import { BatonError } from '../../src/errors.js';
import { findRegion, GENESYS_REGIONS, REGION_NAMES } from '../../src/genesys/regions.js';
import { describeTarget, resolveTarget } from '../../src/genesys/target.js';

// PureCloudRegionHosts of the JS SDK (docs/genesys-facts.md#regions).
const SDK_REGIONS: Record<string, string> = {
  us_east_1: 'mypurecloud.com',
  eu_west_1: 'mypurecloud.ie',
  ap_southeast_2: 'mypurecloud.com.au',
  ap_northeast_1: 'mypurecloud.jp',
  eu_central_1: 'mypurecloud.de',
  us_west_2: 'usw2.pure.cloud',
  ca_central_1: 'cac1.pure.cloud',
  ap_northeast_2: 'apne2.pure.cloud',
  eu_west_2: 'euw2.pure.cloud',
  ap_south_1: 'aps1.pure.cloud',
  us_east_2: 'use2.us-gov-pure.cloud',
  sa_east_1: 'sae1.pure.cloud',
  me_central_1: 'mec1.pure.cloud',
  ap_northeast_3: 'apne3.pure.cloud',
  eu_central_2: 'euc2.pure.cloud',
  mx_central_1: 'mxc1.pure.cloud',
  ap_southeast_1: 'apse1.pure.cloud',
  eusc_de_east_1: 'edee1.eusc-pure.cloud',
};

describe('genesys regions', () => {
  it('knows exactly the 18 regions of the SDK, with their domains', () => {
    assert.equal(REGION_NAMES.length, 18);
    assert.deepEqual({ ...GENESYS_REGIONS }, SDK_REGIONS);
  });

  for (const [name, domain] of Object.entries(SDK_REGIONS)) {
    it(`resolves ${name} by name and by domain ${domain} to api.${domain} and login.${domain}`, () => {
      const expected = { region: name, apiBaseUrl: `https://api.${domain}`, loginBaseUrl: `https://login.${domain}` };
      assert.deepEqual(resolveTarget({ region: name }), expected);
      assert.deepEqual(resolveTarget({ region: domain }), expected);
    });
  }

  it('accepts dashes, any case and api./login. host prefixes', () => {
    assert.equal(findRegion('EU-West-1')?.name, 'eu_west_1');
    assert.equal(findRegion('api.usw2.pure.cloud')?.name, 'us_west_2');
    assert.equal(findRegion('login.mypurecloud.de')?.name, 'eu_central_1');
  });

  it('when the region is unknown, then configuration_invalid names it and lists the known ones', () => {
    assert.throws(
      () => resolveTarget({ region: 'us_east_9' }),
      (error: unknown) =>
        error instanceof BatonError &&
        error.code === 'configuration_invalid' &&
        error.message.includes('"us_east_9"') &&
        error.message.includes('eusc_de_east_1'),
    );
  });

  it('does not accept an arbitrary host as a region', () => {
    assert.throws(() => resolveTarget({ region: 'evil.example.com' }), { code: 'configuration_invalid' });
    assert.throws(() => resolveTarget({ region: 'https://api.mypurecloud.com.evil.example' }), { code: 'configuration_invalid' });
  });

  it('when no region is given, then configuration_invalid', () => {
    assert.throws(() => resolveTarget({}), { code: 'configuration_invalid' });
  });

  it('uses an explicit base URL for both hosts, with no region, and rejects credentials in it', () => {
    assert.deepEqual(resolveTarget({ baseUrl: 'http://127.0.0.1:4010/', region: 'us_east_1' }), {
      apiBaseUrl: 'http://127.0.0.1:4010',
      loginBaseUrl: 'http://127.0.0.1:4010',
    });
    assert.throws(() => resolveTarget({ baseUrl: 'http://user:pw@127.0.0.1:1' }), { code: 'configuration_invalid' });
    assert.throws(() => resolveTarget({ baseUrl: 'ftp://127.0.0.1' }), { code: 'configuration_invalid' });
  });

  it('describes a target without secrets', () => {
    assert.equal(describeTarget(resolveTarget({ region: 'eu_west_1' })), 'region eu_west_1 (login.mypurecloud.ie)');
  });
});
