/**
 * Genesys Cloud regions as the official SDKs know them: name → domain. The API host is
 * `api.{domain}` and the login host `login.{domain}` (the SDKs derive one from the other).
 * Source: purecloud-platform-client-v2 (JS SDK, v262.0.0 installed here)
 * `src/purecloud-platform-client-v2/PureCloudRegionHosts.js`; docs/genesys-facts.md#regions.
 * The Go SDK's list matches except that it lacks `eusc_de_east_1`.
 */
export const GENESYS_REGIONS = {
  us_east_1: 'mypurecloud.com',
  us_east_2: 'use2.us-gov-pure.cloud',
  us_west_2: 'usw2.pure.cloud',
  ca_central_1: 'cac1.pure.cloud',
  sa_east_1: 'sae1.pure.cloud',
  mx_central_1: 'mxc1.pure.cloud',
  eu_west_1: 'mypurecloud.ie',
  eu_west_2: 'euw2.pure.cloud',
  eu_central_1: 'mypurecloud.de',
  eu_central_2: 'euc2.pure.cloud',
  eusc_de_east_1: 'edee1.eusc-pure.cloud',
  me_central_1: 'mec1.pure.cloud',
  ap_south_1: 'aps1.pure.cloud',
  ap_northeast_1: 'mypurecloud.jp',
  ap_northeast_2: 'apne2.pure.cloud',
  ap_northeast_3: 'apne3.pure.cloud',
  ap_southeast_1: 'apse1.pure.cloud',
  ap_southeast_2: 'mypurecloud.com.au',
} as const satisfies Record<string, string>;

export type RegionName = keyof typeof GENESYS_REGIONS;
export type RegionDomain = (typeof GENESYS_REGIONS)[RegionName];

export interface Region {
  name: RegionName;
  domain: RegionDomain;
}

export const REGION_NAMES = Object.keys(GENESYS_REGIONS) as RegionName[];

/**
 * Finds a region by SDK name (`us_east_1`, also `us-east-1`, any case) or by domain
 * (`mypurecloud.com`, also `api.mypurecloud.com` / `login.mypurecloud.com`). Undefined when the
 * input is neither: callers turn that into a configuration error.
 */
export function findRegion(input: string): Region | undefined {
  const text = input.trim().toLowerCase();
  if (text === '') return undefined;
  const asName = text.replace(/-/g, '_');
  if (Object.hasOwn(GENESYS_REGIONS, asName)) {
    const name = asName as RegionName;
    return { name, domain: GENESYS_REGIONS[name] };
  }
  const asDomain = text.replace(/^(api|login)\./, '').replace(/\.$/, '');
  for (const name of REGION_NAMES) {
    if (GENESYS_REGIONS[name] === asDomain) return { name, domain: GENESYS_REGIONS[name] };
  }
  return undefined;
}
