import { DataActionsError } from '../errors.js';

/**
 * The bridge's base URL as the generated actions will call it, without a trailing slash.
 *
 * https only: Genesys reaches the bridge over the internet, and certificate problems are a
 * documented failure class (docs/genesys-facts.md#https-endpoints). Whether Genesys refuses plain http outright is UNCONFIRMED,
 * so `allowInsecure` exists for local testing only. The URL must not carry credentials (they
 * would land in every export), a query or a fragment (paths are appended), nor `$` or `#`, which
 * Velocity would read as references or directives in the URL template.
 */
export function normaliseBaseUrl(baseUrl: string, options: { allowInsecure?: boolean } = {}): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new DataActionsError('base_url_invalid', `Base URL "${baseUrl}" is not an absolute URL`, { cause });
  }
  const insecureAllowed = options.allowInsecure === true && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !insecureAllowed) {
    throw new DataActionsError(
      'base_url_invalid',
      `Base URL must be https (got ${url.protocol}//…); plain http is allowed only with allowInsecure, for local testing`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new DataActionsError(
      'base_url_invalid',
      'Base URL must not contain credentials; configure them on the integration',
    );
  }
  if (url.search !== '' || url.hash !== '' || baseUrl.includes('?') || baseUrl.includes('#')) {
    throw new DataActionsError('base_url_invalid', 'Base URL must not have a query or a fragment');
  }
  if (url.href.includes('$')) {
    throw new DataActionsError(
      'base_url_invalid',
      'Base URL must not contain "$" (Velocity would read it as a reference)',
    );
  }
  return url.href.replace(/\/+$/, '');
}
