import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { parseBasicAuthorization, type BasicCredentials } from '../auth/basic-auth.js';
import type { BearerTokenIssuer } from '../auth/bearer-token.js';
import { createSecretComparer } from '../auth/constant-time.js';
import type { AuthFailureHandler } from '../auth/failure-throttle.js';
import { readBodyWith } from '../body-reading.js';

export interface OAuthRouteOptions {
  clientId: string;
  clientSecret: string;
  tokens: BearerTokenIssuer;
  /** Counts, throttles and logs one failed client authentication; its verdict picks 401 or 429. */
  onFailure?: AuthFailureHandler;
}

/**
 * `POST /oauth/token`, the endpoint the integration's custom auth action calls for the User Defined
 * (OAuth) credential type (docs/genesys-facts.md#data-action-credentials): client credentials grant, client
 * authenticated by HTTP Basic (RFC 6749 §2.3.1; `client_id`/`client_secret` in the body are also
 * accepted), form or JSON body. Errors follow RFC 6749 §5.2 (`error`, `error_description`) and also
 * carry the bridge's `code`/`message`.
 *
 * Basic credentials in the header are checked before the body is read: an unauthenticated client
 * gets its 401 at once instead of holding a connection while it sends (or drips) a body.
 */
export function createOAuthRoutes(options: OAuthRouteOptions): Router {
  const router = Router();
  const same = createSecretComparer();
  const parseForm = readBodyWith(express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 }));
  const parseJson = readBodyWith(express.json({ limit: '4kb', strict: true }));

  // Both halves are compared every time (no short-circuit), so timing does not tell which was wrong.
  const matches = (presented: BasicCredentials | undefined) => {
    const idOk = presented !== undefined && same(presented.user, options.clientId);
    const secretOk = presented !== undefined && same(presented.password, options.clientSecret);
    return idOk && secretOk;
  };
  const refuse = (req: Request, res: Response, basicScheme: boolean) => {
    const verdict = options.onFailure?.(req.ip ?? 'unknown');
    if (verdict?.throttled) {
      res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
      oauthError(res, 429, 'invalid_client', `Too many failed authentication attempts from this address; retry after ${verdict.retryAfterSeconds} s.`);
      return;
    }
    if (basicScheme) res.setHeader('WWW-Authenticate', 'Basic realm="baton"');
    oauthError(res, 401, 'invalid_client', 'Client authentication failed.');
  };

  const checkHeaderFirst: RequestHandler = (req, res, next) => {
    setNoStore(res);
    const fromHeader = parseBasicAuthorization(req.headers.authorization);
    if (fromHeader === undefined) {
      next();
      return;
    }
    if (!matches(fromHeader)) {
      refuse(req, res, true);
      return;
    }
    res.locals.oauthClientAuthenticated = true;
    next();
  };

  router.post('/oauth/token', checkHeaderFirst, parseForm, parseJson, (req, res) => {
    const body: Record<string, unknown> = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
    if (res.locals.oauthClientAuthenticated !== true) {
      const fromBody =
        typeof body.client_id === 'string' && typeof body.client_secret === 'string' ? { user: body.client_id, password: body.client_secret } : undefined;
      if (!matches(fromBody)) {
        refuse(req, res, false);
        return;
      }
    }
    if (body.grant_type !== 'client_credentials') {
      oauthError(res, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      return;
    }
    res.status(200).json(options.tokens.issue());
  });
  return router;
}

function setNoStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.locals.errorCode = error;
  const code = status === 401 ? 'unauthorized' : status === 429 ? 'too_many_requests' : 'bad_request';
  res.status(status).json({ error, error_description: description, code, message: description });
}
