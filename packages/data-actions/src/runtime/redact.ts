import { redact } from '@baton/core';

/**
 * Genesys redacts credential values in test output as `*****` (docs/genesys-facts.md#data-action-credentials);
 * so does this runtime, with the one redactor in core and Genesys's marker instead of core's
 * `[REDACTED]`.
 */
export const redactedText = '*****';

/**
 * The runtime's redaction edge: a TestExecutionResult is redacted once, whole, as it leaves
 * runDataAction. Replaces the values of secret-named keys (auth headers such as `Authorization`
 * and `X-API-Key`, `access_token` in `$authResponse`), auth header values and secret-named
 * parameters in text, and every occurrence of `secrets` (credential values and their encoded
 * forms, tokens of the auth response) in URLs, bodies and error messages.
 */
export function redactResult<T>(result: T, secrets: readonly string[]): T {
  // A TestExecutionResult is plain JSON data: its redacted copy has the same shape.
  return redact(result, { secrets, marker: redactedText }) as T;
}
