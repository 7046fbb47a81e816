import { BatonError, GenesysApiError, ValidationError, redactText, type FieldIssue } from '@baton/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from './http-errors.js';
import type { Logger } from './logger.js';

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
  if (error instanceof ValidationError) {
    return { status: 400, body: { code: error.code, message: scrub(error.message), issues: error.issues }, headers: {}, unexpected: false };
  }
  if (error instanceof BatonError) {
    const body: ErrorBody = { code: error.code, message: scrub(error.message) };
    const headers: Record<string, string> = {};
    if (error instanceof GenesysApiError) {
      if (error.facts.contextId) body.contextId = error.facts.contextId;
      if (error.facts.retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.ceil(error.facts.retryAfterSeconds));
    }
    const status = error.status >= 400 && error.status <= 599 ? error.status : 500;
    return { status, body, headers, unexpected: status === 500 && error.code === 'internal_error' };
  }
  if (error instanceof HttpError) {
    return { status: error.status, body: { code: error.code, message: error.message }, headers: error.headers, unexpected: false };
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
      return { status: 413, body: { code: 'payload_too_large', message: `Request body too large${limit}.` }, headers: {}, unexpected: false };
    case 'entity.parse.failed':
      return {
        status: 400,
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
        status: 415,
        body: { code: 'unsupported_media_type', message: 'Unsupported body encoding or charset: send UTF-8 JSON.' },
        headers: {},
        unexpected: false,
      };
    default: {
      const status = error.status ?? error.statusCode ?? 400;
      return {
        status: status >= 400 && status < 500 ? status : 400,
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
    for (const [name, value] of Object.entries(mapped.headers)) res.setHeader(name, value);
    res.status(mapped.status).json(mapped.body);
  };
}

function errorCodeOf(error: unknown): string {
  if (error instanceof BatonError || error instanceof HttpError) return error.code;
  if (isBodyParserError(error)) return error.type;
  return 'internal_error';
}

/** Unknown routes: a JSON 404, not Express' HTML page. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No route ${req.method} ${req.path.slice(0, 200)}.`));
};
