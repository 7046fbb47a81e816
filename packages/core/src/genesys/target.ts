import { BatonError } from '../errors.js';
import { findRegion, REGION_NAMES, type RegionName } from './regions.js';

/** Where the client sends its traffic: the API host and the login (OAuth) host. */
export interface GenesysTarget {
  /** The Genesys region, when the target is one (absent for an explicit base URL such as the sandbox). */
  region?: RegionName;
  /** E.g. `https://api.mypurecloud.com`, without a trailing slash. */
  apiBaseUrl: string;
  /** E.g. `https://login.mypurecloud.com`, without a trailing slash. */
  loginBaseUrl: string;
}

export interface TargetInput {
  /** Region name (`us_east_1`) or domain (`mypurecloud.com`). */
  region?: string;
  /**
   * An explicit base URL serving both `/oauth/token` and `/api/v2` (the sandbox). Only for
   * operator configuration, never from request input: it decides where the client secret is sent.
   * Takes precedence over `region`.
   */
  baseUrl?: string;
  /**
   * With `baseUrl`: a separate host for `/oauth/token`, as `login.{domain}` is separate from
   * `api.{domain}` in every region (docs/genesys-facts.md#regions). Same operator-only rule.
   */
  loginBaseUrl?: string;
}

/**
 * Resolves configuration into a target. Throws `configuration_invalid` naming the value that did
 * not resolve. Only the 18 SDK regions are reachable by name, so a typo cannot send the secret to
 * an arbitrary host.
 */
export function resolveTarget(input: TargetInput): GenesysTarget {
  if (input.baseUrl !== undefined && input.baseUrl.trim() !== '') {
    const base = parseBaseUrl(input.baseUrl);
    const login = input.loginBaseUrl !== undefined && input.loginBaseUrl.trim() !== '' ? parseBaseUrl(input.loginBaseUrl, 'loginBaseUrl') : base;
    return { apiBaseUrl: base, loginBaseUrl: login };
  }
  if (input.region === undefined || input.region.trim() === '') {
    throw new BatonError('configuration_invalid', 'No Genesys region configured: set a region such as us_east_1 or mypurecloud.com.', {
      details: { field: 'region' },
    });
  }
  const region = findRegion(input.region);
  if (!region) {
    throw new BatonError(
      'configuration_invalid',
      `Unknown Genesys region "${input.region}": expected one of ${REGION_NAMES.join(', ')} or its domain (e.g. mypurecloud.com).`,
      { details: { field: 'region', value: input.region } },
    );
  }
  return { region: region.name, apiBaseUrl: `https://api.${region.domain}`, loginBaseUrl: `https://login.${region.domain}` };
}

/** A short, secret-free description of a target for messages: `region us_east_1 (login.mypurecloud.com)`. */
export function describeTarget(target: GenesysTarget): string {
  const host = safeHost(target.loginBaseUrl);
  return target.region ? `region ${target.region} (${host})` : `base URL ${host}`;
}

function parseBaseUrl(raw: string, field: 'baseUrl' | 'loginBaseUrl' = 'baseUrl'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new BatonError('configuration_invalid', `Genesys base URL "${raw}" is not a URL.`, { details: { field } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BatonError('configuration_invalid', `Genesys base URL must be http(s), got ${url.protocol}`, { details: { field } });
  }
  if (url.username || url.password || url.search || url.hash) {
    // Credentials or a query in the base URL would end up in every request line and log.
    throw new BatonError('configuration_invalid', 'Genesys base URL must not carry credentials, a query or a fragment.', {
      details: { field },
    });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function safeHost(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return '(invalid URL)';
  }
}
