/**
 * Baton's error hierarchy. Every failure a caller can see is a BatonError, with a stable `code`
 * (for programs), a message written for the person reading a failed data action in Genesys (where
 * the body is embedded as text), a `cause` and optional `details`. Core says what went wrong, never
 * which HTTP status that is: the code -> status table lives at the bridge's edge (bridge errors.ts),
 * the one place that answers HTTP.
 */

/** What went wrong in a step (handoff, its Genesys calls, its state). */
export type StepErrorCode =
  | 'validation_failed'
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

/**
 * What went wrong in the HTTP layer in front of the steps (the bridge's HttpError): wrong route or
 * method, a body that cannot be read, no credentials. Listed here so that every code a caller can
 * see is one union, and the bridge's status table must give each one its status.
 */
export type HttpLayerErrorCode =
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'bad_request'
  | 'too_many_requests';

export type BatonErrorCode = StepErrorCode | HttpLayerErrorCode;

export interface BatonErrorOptions {
  cause?: unknown;
  /** Extra machine-readable facts (never secrets). */
  details?: Record<string, unknown>;
}

export class BatonError extends Error {
  readonly code: BatonErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: BatonErrorCode, message: string, options: BatonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
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
    super('validation_failed', `Invalid request: ${summary}`, { ...options, details: { issues } });
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
    super('rate_budget_exhausted', message, options);
  }
}

/** The caller's deadline ran out before the work finished. */
export class DeadlineExceededError extends BatonError {
  constructor(message: string, options: BatonErrorOptions = {}) {
    super('deadline_exceeded', message, options);
  }
}

/**
 * An earlier handoff of the same conversation still holds its claim (a transfer it sent may still
 * be waiting for Genesys's answer) and did not finish within this request's deadline. This request
 * did nothing; running it again once the first has finished returns the first one's outcome.
 */
export class HandoffInProgressError extends BatonError {
  constructor(message: string, options: BatonErrorOptions = {}) {
    super('handoff_in_progress', message, options);
  }
}

export function isBatonError(value: unknown): value is BatonError {
  return value instanceof BatonError;
}

/** The Genesys contextId a failure carries (its own call's, or the failed call's of a handoff), if any. */
export function contextIdOf(error: BatonError): string | undefined {
  if (error instanceof GenesysApiError) return error.facts.contextId;
  const fromDetails = error.details['contextId'];
  return typeof fromDetails === 'string' ? fromDetails : undefined;
}

/**
 * A failure in one line for a person (a trace step's summary, a CLI, a scenario report):
 * `code: message`, with the Genesys contextId to quote to Genesys support when there is one.
 */
export function describeError(error: unknown): string {
  if (error instanceof BatonError) {
    const contextId = contextIdOf(error);
    return `${error.code}: ${error.message}${contextId ? ` (Genesys contextId ${contextId})` : ''}`;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** How many links causeChain follows at most: real chains are two or three long. */
const MAX_CAUSE_DEPTH = 8;

/**
 * The one cause-chain walker: `error`, then its `cause`, then that one's, ... Stops at a value that
 * is not an Error, after MAX_CAUSE_DEPTH links, or at a link already seen (a cycle).
 */
export function* causeChain(error: unknown): Generator<Error> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current) && seen.size < MAX_CAUSE_DEPTH) {
    seen.add(current);
    yield current;
    current = current.cause;
  }
}

/**
 * The first system error code in the chain (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`,
 * `ENOTFOUND`, ...): what fetch's "fetch failed" TypeError hides in its cause.
 */
export function systemErrorCode(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return code;
  }
  return undefined;
}
