import { webMessagingOriginFor } from '@baton/core';
import { z } from 'zod';

/**
 * An org profile as it lives in the `baton.orgs` setting: nothing secret. The client secret lives
 * only in VS Code's SecretStorage, under `secretKeyFor(profile)`.
 */
export const orgProfileSchema = z
  .object({
    name: z.string().min(1).max(80),
    /** Genesys region name (`us_east_1`) or domain (`mypurecloud.com`). */
    region: z.string().min(1),
    clientId: z.string().min(1),
    /**
     * For testing against a standalone sandbox (`pnpm sandbox`) or a proxy: an http(s) base URL
     * serving `/oauth/token` and `/api/v2`, used instead of the region's hosts. Only from this
     * setting (the user's own configuration), never from request or scenario input.
     */
    baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    /** The org's Messenger deployment (Admin > Message > Messenger Deployments): Chat as Customer and conversation scenarios talk to it. */
    deploymentId: z.string().trim().min(1).max(200).optional(),
    /**
     * The Web Messaging Guest API origin (ws/wss), instead of the region's or the one derived from
     * `baseUrl`: for a standalone sandbox or a proxy, like `baseUrl`. Only from this setting.
     */
    webMessagingUrl: z.url({ protocol: /^wss?$/, error: 'expected a ws(s) URL' }).optional(),
  })
  .strict();
export type OrgProfile = z.infer<typeof orgProfileSchema>;

/** The built-in org: the sandbox, started in the extension host, so everything works with no credentials. */
export const SANDBOX_ORG_NAME = 'Sandbox';

export type ActiveOrg = { kind: 'sandbox'; name: typeof SANDBOX_ORG_NAME } | { kind: 'genesys'; profile: OrgProfile };

export function secretKeyFor(profileName: string): string {
  return `baton.org.${profileName}.clientSecret`;
}

/**
 * Reads the setting leniently: a malformed entry is skipped and reported, not fatal, so one bad
 * hand edit does not hide every other org. Duplicate names keep the first entry.
 */
export function parseOrgProfiles(raw: unknown): { profiles: OrgProfile[]; problems: string[] } {
  const profiles: OrgProfile[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { profiles, problems };
  if (!Array.isArray(raw)) return { profiles, problems: ['baton.orgs must be an array of { name, region, clientId, baseUrl?, deploymentId?, webMessagingUrl? }'] };
  raw.forEach((entry, i) => {
    if (entry !== null && typeof entry === 'object' && ('clientSecret' in entry || 'secret' in entry)) {
      problems.push(`baton.orgs[${i}] holds a client secret: remove it from settings and use "Baton: Set Org Client Secret"`);
    }
    const { clientSecret: _s, secret: _t, ...rest } = (entry ?? {}) as Record<string, unknown>;
    const parsed = orgProfileSchema.safeParse(rest);
    if (!parsed.success) {
      problems.push(`baton.orgs[${i}]: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'entry'} ${x.message}`).join('; ')}`);
    } else if (parsed.data.name === SANDBOX_ORG_NAME || profiles.some((p) => p.name === parsed.data.name)) {
      problems.push(`baton.orgs[${i}]: the name "${parsed.data.name}" is already taken`);
    } else {
      profiles.push(parsed.data);
    }
  });
  return { profiles, problems };
}

/** Where the org's Genesys API is: the profile's `baseUrl` when set, else its region. */
export function genesysTargetOf(profile: OrgProfile): { baseUrl: string } | { region: string } {
  return profile.baseUrl !== undefined ? { baseUrl: profile.baseUrl } : { region: profile.region };
}

/**
 * The Guest API origin of the profile's deployment: `webMessagingUrl` when set; else, with a
 * `baseUrl`, the same host over ws(s) (a standalone sandbox serves both); else the region's
 * `wss://webmessaging.<domain>` (docs/genesys-facts.md#web-messaging-guest-api). Undefined for an
 * unknown region.
 */
export function webMessagingOriginOf(profile: OrgProfile): string | undefined {
  if (profile.webMessagingUrl !== undefined) return profile.webMessagingUrl.replace(/\/+$/, '');
  if (profile.baseUrl !== undefined) {
    const url = new URL(profile.baseUrl);
    return `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
  }
  return webMessagingOriginFor(profile.region);
}

export function activeOrgName(org: ActiveOrg): string {
  return org.kind === 'sandbox' ? org.name : org.profile.name;
}

/**
 * Whether a step that writes to Genesys (participant data, transfer) needs the user's explicit
 * confirmation: always on a real org, never on the sandbox.
 */
export function needsWriteConfirmation(org: ActiveOrg, writes: boolean): boolean {
  return writes && org.kind !== 'sandbox';
}
