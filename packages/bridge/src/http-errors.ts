import { BatonError, type HttpLayerErrorCode } from '@baton/core';

/**
 * Failures of the HTTP layer itself (not of a handoff step): wrong route, wrong method, body too
 * large, body not JSON, no credentials. A BatonError like the step failures, so both reach the
 * caller through the one error middleware in errors.ts, with the same body shape and their status
 * from the same table.
 */
export type HttpErrorCode = HttpLayerErrorCode;

export class HttpError extends BatonError {
  declare readonly code: HttpErrorCode;
  /** Headers the answer carries (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;
  constructor(code: HttpErrorCode, message: string, headers: Record<string, string> = {}) {
    super(code, message);
    this.headers = headers;
  }
}

/** Deliberately says nothing about which credential type was tried or what was wrong with it. */
export class UnauthorizedError extends HttpError {
  constructor() {
    super('unauthorized', 'Authentication required: the credentials are missing, wrong or expired.');
  }
}

/** A source past its failed-authentication limit (auth/failure-throttle.ts). Says as little as a 401. */
export class TooManyAuthFailuresError extends HttpError {
  constructor(retryAfterSeconds: number) {
    super('too_many_requests', `Too many failed authentication attempts from this address; retry after ${retryAfterSeconds} s.`, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}
