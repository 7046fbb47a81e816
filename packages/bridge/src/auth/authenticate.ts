import type { RequestHandler } from 'express';
import type { InboundAuthConfig } from '../config.js';
import { parseBasicAuthorization, parseBearerAuthorization } from './basic-auth.js';
import type { BearerTokenIssuer } from './bearer-token.js';
import { createSecretComparer } from './constant-time.js';
import { TooManyAuthFailuresError, UnauthorizedError } from '../http-errors.js';
import type { AuthFailureHandler } from './failure-throttle.js';

export type AuthMode = 'basic' | 'apikey' | 'oauth';

export interface Authenticator {
  /** The mode that accepted the request's credentials, or undefined. */
  check(headers: { authorization?: string | undefined; 'x-api-key'?: string | string[] | undefined }): AuthMode | undefined;
  readonly modes: readonly AuthMode[];
}

/**
 * Checks a request against every enabled credential type of the Web Services Data Actions
 * integration (docs/genesys-facts.md#data-action-credentials): Basic Auth (`Authorization: Basic`), User
 * Defined (`X-API-Key: ${credentials.apiKey}`), User Defined (OAuth) (`Authorization: Bearer` with a
 * token from our own `/oauth/token`). All comparisons are constant-time.
 */
export function createAuthenticator(auth: InboundAuthConfig, tokens: BearerTokenIssuer | undefined): Authenticator {
  const same = createSecretComparer();
  const modes: AuthMode[] = [];
  if (auth.basic) modes.push('basic');
  if (auth.apiKey !== undefined) modes.push('apikey');
  if (auth.oauth && tokens) modes.push('oauth');

  return {
    modes,
    check(headers) {
      const authorization = headers.authorization;
      if (auth.basic) {
        const presented = parseBasicAuthorization(authorization);
        // Both halves are compared every time (no short-circuit), so timing does not tell which was wrong.
        if (presented) {
          const userOk = same(presented.user, auth.basic.user);
          const passwordOk = same(presented.password, auth.basic.password);
          if (userOk && passwordOk) return 'basic';
        }
      }
      if (auth.apiKey !== undefined) {
        const key = headers['x-api-key'];
        if (typeof key === 'string' && same(key, auth.apiKey)) return 'apikey';
      }
      if (auth.oauth && tokens) {
        const token = parseBearerAuthorization(authorization);
        if (token !== undefined && tokens.verify(token)) return 'oauth';
      }
      return undefined;
    },
  };
}

/**
 * The middleware: any enabled credential type admits the request. A failure is one 401 whose body
 * never says which mode was tried, which part was wrong, or which modes exist; or 429 once its
 * source is past the failure limit (`onFailure` decides). Credentials are checked first, so
 * correct ones always pass.
 */
export function requireAuth(authenticator: Authenticator, onFailure?: AuthFailureHandler): RequestHandler {
  return (req, res, next) => {
    const mode = authenticator.check({ authorization: req.headers.authorization, 'x-api-key': req.headers['x-api-key'] });
    if (mode === undefined) {
      const verdict = onFailure?.(req.ip ?? 'unknown');
      next(verdict?.throttled ? new TooManyAuthFailuresError(verdict.retryAfterSeconds) : new UnauthorizedError());
      return;
    }
    res.locals.authMode = mode;
    next();
  };
}
