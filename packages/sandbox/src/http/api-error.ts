import type { Models } from 'purecloud-platform-client-v2';

/**
 * An error the emulated Platform API answers with. It is rendered as Genesys's `ErrorBody`
 * (`message, code, status, contextId, details, errors`), with `contextId` equal to the
 * `ININ-Correlation-Id` response header (docs/genesys-facts.md#error-body-and-correlation-id).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Models.Detail[];
  readonly headers: Record<string, string>;
  readonly messageParams: Record<string, string> | undefined;
  /** `message` with `{name}` placeholders where `messageParams` fills in, as Genesys's ErrorBody carries it. */
  readonly messageWithParams: string | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    opts: {
      details?: Models.Detail[];
      headers?: Record<string, string>;
      messageParams?: Record<string, string>;
      messageWithParams?: string;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = opts.details ?? [];
    this.headers = opts.headers ?? {};
    this.messageParams = opts.messageParams;
    this.messageWithParams = opts.messageWithParams;
  }

  toBody(contextId: string): Models.ErrorBody {
    const body: Models.ErrorBody = {
      message: this.message,
      code: this.code,
      status: this.status,
      contextId,
      details: this.details,
      errors: [],
    };
    if (this.messageWithParams !== undefined) body.messageWithParams = this.messageWithParams;
    if (this.messageParams) body.messageParams = this.messageParams;
    return body;
  }
}

// Error codes. Those marked UNCONFIRMED are plausible Genesys codes that no source we have shows
// for this exact situation; clients should branch on `status`, not on these strings.
export const errors = {
  /** 400; `details[].fieldName` names the bad field. */
  badRequest(message: string, fieldName?: string, errorCode = 'invalid.value'): ApiError {
    return new ApiError(400, 'bad.request', message, {
      details: fieldName === undefined ? [] : [{ fieldName, errorCode }],
    });
  },
  /** 400 with a specific code for a state conflict (UNCONFIRMED codes, see call sites). */
  invalidState(code: string, message: string): ApiError {
    return new ApiError(400, code, message);
  },
  /** 401 without a bearer token. UNCONFIRMED code/message wording. */
  authenticationRequired(): ApiError {
    return new ApiError(401, 'authentication.required', 'No authentication bearer token specified in authorization header.');
  },
  /** 401 for an unknown, expired or revoked token. UNCONFIRMED code/message wording. */
  badCredentials(): ApiError {
    return new ApiError(401, 'bad.credentials', 'Invalid login credentials.');
  },
  /**
   * 403 naming the missing permission(s). UNCONFIRMED code; the message lists permissions as Genesys
   * does, and `messageWithParams` + `messageParams` carry the same text as a template
   * (docs/genesys-facts.md#error-body-and-correlation-id; the placeholder syntax is UNCONFIRMED).
   */
  missingPermissions(permissions: readonly string[], mode: 'any' | 'all'): ApiError {
    return new ApiError(
      403,
      mode === 'any' ? 'missing.any.permissions' : 'missing.permissions',
      `Unable to perform the requested action. You are missing the following permission(s): [${permissions.join(', ')}]`,
      {
        messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): [{permissions}]',
        messageParams: { permissions: permissions.join(', ') },
      },
    );
  },
  notFound(what = 'The requested resource'): ApiError {
    return new ApiError(404, 'not.found', `${what} was not found.`);
  },
  /** 413 past `request.bytes.max` = 512000 (docs/genesys-facts.md#request-size-limit). UNCONFIRMED code. */
  tooLarge(maxBytes: number): ApiError {
    return new ApiError(413, 'request.entity.too.large', `The request is over the size limit. Maximum bytes: ${maxBytes}`);
  },
  /** 429 exactly as normalized by Genesys since 2021-11-10 (docs/genesys-facts.md#rate-limits). */
  tooManyRequests(retryAfterSeconds: number): ApiError {
    return new ApiError(
      429,
      'too.many.requests.retry.after',
      `Rate limit exceeded the maximum. Retry the request in [${retryAfterSeconds}] seconds`,
      { headers: { 'Retry-After': String(retryAfterSeconds) } },
    );
  },
  /** 5xx for fault injection. UNCONFIRMED codes. */
  server(status: 500 | 502 | 503 | 504): ApiError {
    const table: Record<number, [string, string]> = {
      500: ['internal.server.error', 'The server encountered an unexpected condition which prevented it from fulfilling the request.'],
      502: ['bad.gateway', 'The server received an invalid response from an upstream server.'],
      503: ['service.unavailable', 'Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).'],
      504: ['request.timeout', 'The request timed out.'],
    };
    const [code, message] = table[status] as [string, string];
    return new ApiError(status, code, message);
  },
};
