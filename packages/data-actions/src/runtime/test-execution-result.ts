/**
 * The result of a run, in the shape of Genesys's `TestExecutionResult` (SDK
 * TestExecutionResult.md / TestExecutionOperationResult.md): numbered operations, each with
 * `step`, `name`, `success`, `result` and `error` (an ErrorBody), plus top-level `finalResult`,
 * `error` and `success`. Fields marked "Baton" are our additions.
 */
export interface ErrorDetail {
  /** Genesys uses e.g. `ACTION.REMOTE_ENDPOINT`, `ACTION.AUTHENTICATION`, `ACTION.PROCESSING` (docs/genesys-facts.md#data-action-failures). */
  errorCode: string;
  fieldName?: string;
}

/** ErrorBody-like (docs/genesys-facts.md#data-action-failures). */
export interface ErrorBody {
  message: string;
  code: string;
  status: number;
  /** The ININ-Correlation-Id of the run. */
  contextId?: string;
  details?: ErrorDetail[];
}

export interface TestExecutionOperationResult {
  /** 1-based. */
  step: number;
  /** Operation names are UNCONFIRMED: no text source lists Genesys's; see `operationNames`. */
  name: string;
  success: boolean;
  result?: unknown;
  error?: ErrorBody;
  /** Baton: time the operation took, by the injected clock. */
  durationMs?: number;
}

/** Which Call Data Action output a flow would take (Success, Failure, Timeout: docs/genesys-facts.md#data-action-failures). */
export type ArchitectOutcome = 'success' | 'failure' | 'timeout';

export interface TestExecutionResult {
  operations: TestExecutionOperationResult[];
  finalResult?: unknown;
  error?: ErrorBody;
  success: boolean;
  /** Baton: the Architect path of this result. */
  outcome: ArchitectOutcome;
  /** Baton: the ININ-Correlation-Id sent with the request(s). */
  correlationId: string;
}

/**
 * Baton's operation names, in order. Genesys's own names are UNCONFIRMED (none found in text
 * sources); these describe what each step does.
 */
export const operationNames = {
  validateInput: 'Validate input against the input contract',
  customAuth: 'Execute custom authentication action',
  resolveUrl: 'Resolve request URL template',
  resolveHeaders: 'Resolve request headers',
  resolveBody: 'Resolve request body template',
  executeRequest: 'Execute request',
  translate: 'Apply translation map',
  resolveSuccessTemplate: 'Resolve success template',
  validateOutput: 'Validate output against the output contract',
  flatten: 'Flatten output',
} as const;
export type OperationName = (typeof operationNames)[keyof typeof operationNames];
