/**
 * Failures of the HTTP layer itself (not of a handoff step): wrong route, wrong method, body too
 * large, body not JSON, no credentials. Core's BatonError covers the step failures; both reach the
 * caller through the one error middleware in errors.ts with the same body shape.
 */
export type HttpErrorCode =
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'bad_request'
  | 'too_many_requests'
  | 'service_unavailable';

export class HttpError extends Error {
  readonly status: number;
  readonly code: HttpErrorCode;
  readonly headers: Record<string, string>;
  constructor(status: number, code: HttpErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Deliberately says nothing about which credential type was tried or what was wrong with it. */
export class UnauthorizedError extends HttpError {
  constructor() {
    super(401, 'unauthorized', 'Authentication required: the credentials are missing, wrong or expired.');
  }
}

/** A source past its failed-authentication limit (auth/failure-throttle.ts). Says as little as a 401. */
export class TooManyAuthFailuresError extends HttpError {
  constructor(retryAfterSeconds: number) {
    super(429, 'too_many_requests', `Too many failed authentication attempts from this address; retry after ${retryAfterSeconds} s.`, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}
