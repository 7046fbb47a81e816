/**
 * Baton's error hierarchy. Every failure a caller can see is one of these, with a stable `code`
 * (for programs), an HTTP `status` (mapped once, at the bridge's edge) and a message written for
 * the person reading a failed data action in Genesys, where the body is embedded as text.
 */
export type BatonErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'genesys_login_failed'
  | 'genesys_bad_request'
  | 'genesys_unauthorized'
  | 'genesys_forbidden'
  | 'genesys_not_found'
  | 'genesys_conflict'
  | 'genesys_rate_limited'
  | 'genesys_unavailable'
  | 'genesys_bad_response'
  | 'rate_budget_exhausted'
  | 'deadline_exceeded'
  | 'handoff_incomplete'
  | 'handoff_in_progress'
  | 'state_unavailable'
  | 'configuration_invalid'
  | 'internal_error';

export interface BatonErrorOptions {
  cause?: unknown;
  /** HTTP status the edge answers with. */
  status?: number;
  /** Extra machine-readable facts (never secrets). */
  details?: Record<string, unknown>;
}

export class BatonError extends Error {
  readonly code: BatonErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(code: BatonErrorCode, message: string, options: BatonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status ?? 500;
    this.details = options.details ?? {};
  }
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `priority` or `attributes.bot.intent`. */
  field: string;
  /** What was expected, in words. */
  problem: string;
}

/** A request whose shape is wrong. Always names the field. */
export class ValidationError extends BatonError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[], options: BatonErrorOptions = {}) {
    const summary = issues.map((i) => `${i.field}: ${i.problem}`).join('; ');
    super('validation_failed', `Invalid request: ${summary}`, { status: 400, ...options, details: { issues } });
    this.issues = issues;
  }
}

/** What Genesys told us about a failed Platform API call. */
export interface GenesysErrorFacts {
  /** Operation that failed, e.g. `postConversationParticipantReplaceQueue`. */
  route: string;
  /** HTTP status Genesys answered with (0 when no answer arrived). */
  upstreamStatus: number;
  /** Genesys ErrorBody.code, e.g. `not.found`. */
  genesysCode?: string;
  /** Genesys ErrorBody.contextId (equals the ININ-Correlation-Id header): quote it to Genesys support. */
  contextId?: string;
  /** Seconds Genesys asked us to wait (429). */
  retryAfterSeconds?: number;
}

/** A Platform API call that failed for good (after any retries that were allowed). */
export class GenesysApiError extends BatonError {
  readonly facts: GenesysErrorFacts;
  constructor(code: BatonErrorCode, message: string, facts: GenesysErrorFacts, options: BatonErrorOptions = {}) {
    super(code, message, { ...options, details: { ...facts, ...options.details } });
    this.facts = facts;
  }
}

/** Waiting for the per-token request budget would pass the caller's deadline. */
export class RateBudgetExhaustedError extends BatonError {
  constructor(message: string, options: BatonErrorOptions = {}) {
    super('rate_budget_exhausted', message, { status: 503, ...options });
  }
}

/** The caller's deadline ran out before the work finished. */
export class DeadlineExceededError extends BatonError {
  constructor(message: string, options: BatonErrorOptions = {}) {
    super('deadline_exceeded', message, { status: 504, ...options });
  }
}

/**
 * An earlier handoff of the same conversation still holds its claim (a transfer it sent may still
 * be waiting for Genesys's answer) and did not finish within this request's deadline. This request
 * did nothing; running it again once the first has finished returns the first one's outcome.
 */
export class HandoffInProgressError extends BatonError {
  constructor(message: string, options: BatonErrorOptions = {}) {
    super('handoff_in_progress', message, { status: 409, ...options });
  }
}

export function isBatonError(value: unknown): value is BatonError {
  return value instanceof BatonError;
}
