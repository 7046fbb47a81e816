/**
 * Errors this package throws to its callers (the bridge CLI, tests). A failed *data action run* is
 * not an error: it is a TestExecutionResult with `success: false`, as Genesys reports it.
 */
export type DataActionsErrorCode =
  /** A contract cannot be expressed as a data action (input not a flat scalar, nested output, bad name). */
  | 'contract_unsupported'
  /** The base URL is not https (or not a URL at all). */
  | 'base_url_invalid'
  /** Options of generate/export are wrong (unknown auth mode or format, bad timeout). */
  | 'options_invalid'
  /** A file given to the runtime is not a data action definition. */
  | 'definition_invalid';

export class DataActionsError extends Error {
  readonly code: DataActionsErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: DataActionsErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DataActionsError';
    this.code = code;
    this.details = options.details ?? {};
  }
}
