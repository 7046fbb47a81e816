import { BatonError, GenesysApiError, ValidationError, redactText, type BatonErrorCode, type FieldIssue } from '@baton/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from './http-errors.js';
import type { Logger } from './logger.js';
import { sendJson } from './send-json.js';

/**
 * The body of every non-2xx answer. Genesys embeds it as text in the failed data action's error
 * ("Response from web service: <body>", docs/genesys-facts.md#data-action-failures), so `message` is
 * short and says what to fix; `contextId` is Genesys' id of the failed upstream call, to quote to
 * Genesys support.
 */
export interface ErrorBody {
  code: string;
  message: string;
  issues?: FieldIssue[];
  contextId?: string;
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when the error was not one we expected: logged with its stack. */
  unexpected: boolean;
}

/**
 * The code -> HTTP status table: the one place a failure's status is decided (core only says what
 * went wrong). packages/bridge/README.md's error table documents it; a test keeps the two equal.
 * Genesys shows a data action's failure from the status and the body; 502 says "Genesys refused or
 * failed the call", 503 "try again shortly", 504 "the deadline ran out".
 */
export const HTTP_STATUS: Readonly<Record<BatonErrorCode, number>> = {
  validation_failed: 400,
  bad_request: 400,
  unauthorized: 401,
  genesys_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  genesys_conflict: 409,
  handoff_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  genesys_forbidden: 502,
  genesys_unauthorized: 502,
  genesys_bad_request: 502,
  genesys_unavailable: 502,
  genesys_bad_response: 502,
  genesys_login_failed: 502,
  genesys_rate_limited: 503,
  rate_budget_exhausted: 503,
  state_unavailable: 503,
  deadline_exceeded: 504,
  // A 5xx: its failed part's status when that is a 5xx (see httpStatusOf), else this.
  handoff_incomplete: 502,
  configuration_invalid: 500,
  internal_error: 500,
};

/** The status a BatonError is answered with. */
export function httpStatusOf(error: BatonError): number {
  if (error.code === 'handoff_incomplete') {
    // Part of the handoff was done, so never a 4xx (a retry is safe and may finish it); the failed
    // part's own 5xx when it has one (504 for its deadline, 503 for a rate limit), else 502.
    const causeStatus = error.cause instanceof BatonError ? httpStatusOf(error.cause) : HTTP_STATUS.handoff_incomplete;
    return causeStatus >= 500 ? causeStatus : HTTP_STATUS.handoff_incomplete;
  }
  return HTTP_STATUS[error.code];
}

/** body-parser's error shape (express.json / express.urlencoded). */
interface BodyParserError {
  type: string;
  status?: number;
  statusCode?: number;
}
function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string' && 'expose' in error;
}

/** Maps anything thrown to a status and body. Never a stack trace or a secret in the body. */
export function mapError(error: unknown, options: { secrets?: readonly string[]; maxBodyBytes?: number; requestId?: string } = {}): MappedError {
  const scrub = (text: string) => redactText(text, { secrets: options.secrets ?? [] });
  if (error instanceof BatonError) {
    const body: ErrorBody = { code: error.code, message: scrub(error.message) };
    let headers: Record<string, string> = {};
    if (error instanceof ValidationError) body.issues = error.issues;
    if (error instanceof HttpError) headers = error.headers;
    if (error instanceof GenesysApiError) {
      if (error.facts.contextId) body.contextId = error.facts.contextId;
      if (error.facts.retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.ceil(error.facts.retryAfterSeconds));
    }
    return { status: httpStatusOf(error), body, headers, unexpected: error.code === 'internal_error' };
  }
  if (isBodyParserError(error)) return mapBodyParserError(error, options.maxBodyBytes);
  const ref = options.requestId ? ` (request ${options.requestId})` : '';
  return {
    status: 500,
    body: { code: 'internal_error', message: `Internal error in the Baton bridge${ref}; see the bridge log.` },
    headers: {},
    unexpected: true,
  };
}

function mapBodyParserError(error: BodyParserError, maxBodyBytes: number | undefined): MappedError {
  const limit = maxBodyBytes ? ` (limit ${maxBodyBytes} bytes)` : '';
  switch (error.type) {
    case 'entity.too.large':
      return { status: HTTP_STATUS.payload_too_large, body: { code: 'payload_too_large', message: `Request body too large${limit}.` }, headers: {}, unexpected: false };
    case 'entity.parse.failed':
      return {
        status: HTTP_STATUS.validation_failed,
        body: {
          code: 'validation_failed',
          // The parser's own text would echo part of the body; say what is wrong without it.
          message: 'Invalid request: (body): not valid JSON (expected a JSON object of the action\'s inputs)',
          issues: [{ field: '(body)', problem: "not valid JSON (expected a JSON object of the action's inputs)" }],
        },
        headers: {},
        unexpected: false,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        status: HTTP_STATUS.unsupported_media_type,
        body: { code: 'unsupported_media_type', message: 'Unsupported body encoding or charset: send UTF-8 JSON.' },
        headers: {},
        unexpected: false,
      };
    default: {
      // The parser's own 4xx (e.g. 413 for too many form parameters), else 400.
      const status = error.status ?? error.statusCode ?? HTTP_STATUS.bad_request;
      return {
        status: status >= 400 && status < 500 ? status : HTTP_STATUS.bad_request,
        body: { code: 'bad_request', message: 'The request body could not be read.' },
        headers: {},
        unexpected: false,
      };
    }
  }
}

/** The one error middleware: every failure leaves the bridge through here, as JSON. */
export function errorMiddleware(options: { logger: Logger; secrets: () => readonly string[]; maxBodyBytes: number }): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      // The answer is already out (e.g. the 408 for a body that never finished arriving): nothing
      // more to send. Express' own final handler would print the stack to stderr; drop the
      // connection as it would, and say why at debug level only.
      options.logger.debug({ requestId: res.locals.requestId, path: req.path.slice(0, 200), code: errorCodeOf(error) }, 'error after the answer was sent');
      req.socket.destroy();
      return;
    }
    const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;
    const mapped = mapError(error, { secrets: options.secrets(), maxBodyBytes: options.maxBodyBytes, ...(requestId && { requestId }) });
    if (mapped.unexpected) options.logger.error({ err: error, requestId, path: req.path }, 'unexpected error');
    res.locals.errorCode = mapped.body.code;
    if (mapped.body.contextId) res.locals.contextId = mapped.body.contextId;
    sendJson(res, mapped.status, mapped.body, mapped.headers);
  };
}

function errorCodeOf(error: unknown): string {
  if (error instanceof BatonError) return error.code;
  if (isBodyParserError(error)) return error.type;
  return 'internal_error';
}

/** Unknown routes: a JSON 404, not Express' HTML page. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError('not_found', `No route ${req.method} ${req.path.slice(0, 200)}.`));
};
