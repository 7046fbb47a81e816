import express, { Router, type Response } from 'express';
import { parseBasicAuthorization } from '../auth/basic-auth.js';
import type { BearerTokenIssuer } from '../auth/bearer-token.js';
import { createSecretComparer } from '../auth/constant-time.js';

export interface OAuthRouteOptions {
  clientId: string;
  clientSecret: string;
  tokens: BearerTokenIssuer;
  onFailure?: () => void;
}

/**
 * `POST /oauth/token`, the endpoint the integration's custom auth action calls for the User Defined
 * (OAuth) credential type (docs/genesys-facts.md#data-action-credentials): client credentials grant, client
 * authenticated by HTTP Basic (RFC 6749 §2.3.1; `client_id`/`client_secret` in the body are also
 * accepted), form or JSON body. Errors follow RFC 6749 §5.2 (`error`, `error_description`) and also
 * carry the bridge's `code`/`message`.
 */
export function createOAuthRoutes(options: OAuthRouteOptions): Router {
  const router = Router();
  const same = createSecretComparer();
  const parseForm = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 });
  const parseJson = express.json({ limit: '4kb', strict: true });

  router.post('/oauth/token', parseForm, parseJson, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    const body: Record<string, unknown> = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
    const fromHeader = parseBasicAuthorization(req.headers.authorization);
    const presented =
      fromHeader ??
      (typeof body.client_id === 'string' && typeof body.client_secret === 'string'
        ? { user: body.client_id, password: body.client_secret }
        : undefined);

    const idOk = presented !== undefined && same(presented.user, options.clientId);
    const secretOk = presented !== undefined && same(presented.password, options.clientSecret);
    if (!idOk || !secretOk) {
      options.onFailure?.();
      if (fromHeader) res.setHeader('WWW-Authenticate', 'Basic realm="baton"');
      oauthError(res, 401, 'invalid_client', 'Client authentication failed.');
      return;
    }
    if (body.grant_type !== 'client_credentials') {
      oauthError(res, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      return;
    }
    res.status(200).json(options.tokens.issue());
  });
  return router;
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.locals.errorCode = error;
  res.status(status).json({ error, error_description: description, code: status === 401 ? 'unauthorized' : 'bad_request', message: description });
}
