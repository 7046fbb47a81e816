import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ClientRegistry } from '../auth/client-registry.js';
import { tokenFingerprint, type TokenStore } from '../auth/token-store.js';
import type { CounterSink } from '../counters.js';
import type { FaultEngine } from '../faults.js';
import type { RateLimiter } from '../rate-limit.js';
import { routeTable, type RouteName } from '../route-table.js';
import { errors } from './api-error.js';
import type { CallerLocals } from './caller.js';
import { MAX_REQUEST_BYTES } from './validation.js';

export interface GuardDeps {
  clients: ClientRegistry;
  tokens: TokenStore;
  rateLimiter: RateLimiter;
  faults: FaultEngine;
  counters: CounterSink;
  defaultRateLimitPerMinute: number;
  latencyMs: number;
  sleep: (ms: number) => Promise<void>;
}

function bearerToken(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function basicClientId(req: Request): string | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i > 0 ? decoded.slice(0, i) : undefined;
}

/**
 * The steps every emulated route runs before its handler: count → scripted faults → base latency
 * → size limit → bearer token (401) → per-token budget (429) → permissions (403). `postToken`
 * stops after the size limit (login has no bearer token, no budget, no base latency).
 */
export function createGuard(deps: GuardDeps): (route: RouteName) => RequestHandler {
  return (route) => async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    const clientId = token !== undefined ? deps.tokens.clientOf(token) : basicClientId(req);
    deps.counters.countRoute(route);
    if (token !== undefined) deps.counters.countToken(tokenFingerprint(token));
    if (clientId !== undefined && deps.clients.get(clientId)) deps.counters.countClient(clientId);
    let counted = false;
    res.once('finish', () => {
      if (!counted) deps.counters.countStatus(res.statusCode);
      counted = true;
    });
    res.once('close', () => {
      if (!counted) deps.counters.countStatus(res.writableFinished ? res.statusCode : 'reset');
      counted = true;
    });

    const { delayMs, terminal, effects } = deps.faults.decide(route, clientId);
    if (delayMs > 0) await deps.sleep(delayMs);
    if (terminal) {
      switch (terminal.kind) {
        case 'status':
          throw terminal.status === 429 ? errors.tooManyRequests(terminal.retryAfterSeconds ?? 1) : errors.server(terminal.status ?? 500);
        case 'reset':
          // Really destroys the connection: the client sees ECONNRESET / "socket hang up".
          req.socket.destroy();
          return;
        case 'malformed':
          // A 200 whose body is cut mid-document: really unparseable JSON.
          res.status(200).type('application/json').send('{"id":"' + '0'.repeat(8) + '","participants":[{"id":');
          return;
        case 'revokeToken':
          if (token !== undefined) deps.tokens.revoke({ accessToken: token });
          throw errors.badCredentials();
        default:
          break;
      }
    }
    if (route !== 'postToken' && deps.latencyMs > 0) await deps.sleep(deps.latencyMs);

    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_REQUEST_BYTES) throw errors.tooLarge(MAX_REQUEST_BYTES);
    if (route === 'postToken') {
      next();
      return;
    }

    if (token === undefined) throw errors.authenticationRequired();
    const check = deps.tokens.check(token);
    if (!check.ok) throw errors.badCredentials();
    const client = deps.clients.get(check.token.clientId);
    if (!client) throw errors.badCredentials();

    const wait = deps.rateLimiter.take(tokenFingerprint(token), client.rateLimitPerMinute ?? deps.defaultRateLimitPerMinute);
    if (wait > 0) throw errors.tooManyRequests(wait);

    const spec = routeTable[route];
    if (spec.permissions.length > 0 && client.permissions !== '*') {
      const granted = client.permissions;
      const ok = spec.mode === 'any' ? spec.permissions.some((p) => granted.has(p)) : spec.permissions.every((p) => granted.has(p));
      if (!ok) {
        const missing = spec.mode === 'any' ? spec.permissions : spec.permissions.filter((p) => !granted.has(p));
        throw errors.missingPermissions(missing, spec.mode);
      }
    }
    const locals = res.locals as CallerLocals;
    locals.client = client;
    locals.accessToken = token;
    if (effects.length > 0) locals.effects = effects;
    next();
  };
}
