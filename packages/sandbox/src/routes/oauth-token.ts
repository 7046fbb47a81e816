import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ClientRegistry } from '../auth/client-registry.js';
import { ApiError } from '../http/api-error.js';
import type { TokenStore } from '../auth/token-store.js';
import { MAX_REQUEST_BYTES } from '../http/validation.js';
import type { RouteContext } from './route-context.js';

/**
 * OAuth errors from login.{domain} use the OAuth shape, not ErrorBody:
 * `{ error, error_description, description }` (Go SDK AuthResponse; docs/genesys-facts.md#oauth-client-credentials).
 * The HTTP status Genesys uses for each is UNCONFIRMED (RFC 6749 §5.2 statuses are used).
 */
function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).setHeader('Cache-Control', 'no-store');
  if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="oauth"');
  res.json({ error, description, error_description: description });
}

function basicCredentials(req: Request): { clientId: string; clientSecret: string } | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i <= 0) return undefined;
  return { clientId: decoded.slice(0, i), clientSecret: decoded.slice(i + 1) };
}

export interface OAuthDeps {
  clients: ClientRegistry;
  tokens: TokenStore;
  tokenLifetimeSeconds: number;
}

/** `POST /oauth/token` as login.{region} serves it for the client-credentials grant (docs/genesys-facts.md#oauth-client-credentials). */
export function registerOAuthRoutes(app: Express, ctx: RouteContext, deps: OAuthDeps): void {
  app.post(
    '/oauth/token',
    ctx.guard('postToken'),
    // The JS SDK posts `grant_type=client_credentials` without always naming the content type,
    // so the form is read from the raw text whatever the Content-Type says.
    express.text({ type: () => true, limit: MAX_REQUEST_BYTES }),
    (req: Request, res: Response) => {
      const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
      const creds = basicCredentials(req);
      // Client credentials go in HTTP Basic (every Genesys SDK does it this way); whether login
      // also accepts them in the form body (client_secret_post) is UNCONFIRMED, so it is refused.
      if (!creds) {
        oauthError(res, 401, 'invalid_client', 'client authentication via HTTP Basic is required');
        return;
      }
      const client = deps.clients.authenticate(creds.clientId, creds.clientSecret);
      if (!client) {
        oauthError(res, 401, 'invalid_client', 'client not found or bad client secret');
        return;
      }
      const grant = form.get('grant_type');
      if (grant === null || grant === '') {
        oauthError(res, 400, 'invalid_request', 'grant_type is required');
        return;
      }
      if (grant !== 'client_credentials') {
        oauthError(res, 400, 'unsupported_grant_type', `grant type ${grant} is not supported for this client`);
        return;
      }
      const token = deps.tokens.issue(client.clientId, deps.tokenLifetimeSeconds);
      res.setHeader('Cache-Control', 'no-store');
      // token_type casing is UNCONFIRMED (docs/genesys-facts.md#oauth-client-credentials): clients should compare case-insensitively.
      res.status(200).json({ access_token: token.accessToken, token_type: 'bearer', expires_in: deps.tokenLifetimeSeconds });
    },
    // Login answers in the OAuth shape, so a body that cannot be read (a broken Content-Encoding, an
    // unknown charset, over the size limit) is an OAuth `invalid_request` too, never the API's 500.
    // The guard's own answers (scripted faults: a 429, a 5xx) are ApiErrors and keep their shape.
    (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      const status = (err as { status?: unknown } | null)?.status;
      if (err instanceof ApiError || res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) {
        next(err);
        return;
      }
      oauthError(res, status === 413 ? 413 : 400, 'invalid_request', `the request body could not be read: ${(err as Error).message}`);
    },
  );
}
