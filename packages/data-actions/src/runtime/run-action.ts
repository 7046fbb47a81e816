import { randomUUID } from 'node:crypto';
import { isSecretKey, systemClock, type Clock } from '@baton/core';
import type { DataActionCredentials, DataActionDefinition } from '../definitions/action-definition.js';
import { flattenOutput } from './flatten.js';
import { redactResult } from './redact.js';
import { renderTemplate, withoutNulls } from './render.js';
import type { ValidateFunction } from 'ajv';
import { createSchemaValidator, describeSchemaErrors } from './schema-validator.js';
import {
  operationNames,
  type ArchitectOutcome,
  type ErrorBody,
  type TestExecutionOperationResult,
  type TestExecutionResult,
} from './test-execution-result.js';
import { applyTranslationMap } from './translate.js';
import { createVelocityTools } from './velocity-tools.js';

export interface RunDataActionOptions {
  action: DataActionDefinition;
  /** The input object, as Architect or `POST /actions/{id}/test` sends it. */
  input: Record<string, unknown>;
  credentials: DataActionCredentials;
  /** The integration's custom auth action; needed when the credential type is User Defined (OAuth). */
  customAuthAction?: DataActionDefinition;
  /** Fetch seam (test doubles, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
  /** Flatten the result as Architect does (test mode's default). Default true. */
  flatten?: boolean;
  /** Clock seam, for `durationMs`. Default Date.now. */
  now?: () => number;
  /** Starts the action's timeout: a Clock's setTimer, so tests drive it (createManualClock). Default systemClock's. */
  startTimer?: Clock['setTimer'];
  /** ININ-Correlation-Id to send; default a random UUID. */
  correlationId?: string;
  /** ININ-Organization-Id to send (Genesys sends the org's id; docs/genesys-facts.md#headers-genesys-sends). Omitted when unset. */
  organizationId?: string;
}

/** Genesys's default and maximum action timeout (docs/genesys-facts.md#data-action-timeout). */
export const defaultTimeoutSeconds = 60;

/** How much of a remote body an error message embeds. */
const remoteBodyLimit = 2000;

const statusCodes: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

function statusCode(status: number): string {
  return statusCodes[status] ?? `HTTP_${status}`;
}

/** A failed operation: ends the run. */
class StepFailure extends Error {
  constructor(
    readonly body: Omit<ErrorBody, 'contextId'>,
    readonly outcome: ArchitectOutcome = 'failure',
    readonly result?: unknown,
  ) {
    super(body.message);
  }
}

function processingFailure(message: string, fieldName?: string): StepFailure {
  // The exact status/code Genesys gives processing failures is UNCONFIRMED; 400 BAD_REQUEST is
  // what the help articles show for configuration-caused failures (docs/genesys-facts.md#data-action-failures).
  return new StepFailure({
    message,
    code: 'BAD_REQUEST',
    status: 400,
    details: [{ errorCode: 'ACTION.PROCESSING', ...(fieldName ? { fieldName } : {}) }],
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string): string {
  return text.length > remoteBodyLimit ? `${text.slice(0, remoteBodyLimit)}…` : text;
}

/** What a run and its custom auth run share: the seams, the timeout and the correlation id. */
interface SharedRun {
  fetch: typeof fetch;
  now: () => number;
  signal: AbortSignal;
  timedOut: () => boolean;
  timeoutSeconds: number;
  correlationId: string;
  organizationId?: string;
}

/**
 * One run of one action: what it runs on, and the operations recorded so far. `step` records one
 * operation (success or failure, with its duration); the first failing step ends the run.
 */
interface ActionRun {
  readonly action: DataActionDefinition;
  readonly input: Record<string, unknown>;
  readonly credentials: DataActionCredentials;
  /** Flatten the output as Architect does (test mode). */
  readonly flatten: boolean;
  /**
   * Set when the credential type is User Defined (OAuth): the integration's custom auth action runs
   * first, as a step of this run (a missing one fails that step).
   */
  readonly customAuth?: { action: DataActionDefinition | undefined };
  readonly shared: SharedRun;
  readonly operations: TestExecutionOperationResult[];
  /** `$authResponse`: the custom auth action's output once its step succeeded (redaction reads it too). */
  authResponse?: unknown;
  step<T>(name: string, work: () => T | Promise<T>, show?: (value: T) => unknown): Promise<T>;
}

function createRun(fields: Omit<ActionRun, 'operations' | 'authResponse' | 'step'>): ActionRun {
  const operations: TestExecutionOperationResult[] = [];
  const { now, correlationId } = fields.shared;
  return {
    ...fields,
    operations,
    async step<T>(name: string, work: () => T | Promise<T>, show: (value: T) => unknown = (v) => v): Promise<T> {
      const started = now();
      try {
        const value = await work();
        operations.push({ step: operations.length + 1, name, success: true, result: show(value), durationMs: now() - started });
        return value;
      } catch (error) {
        const failure = error instanceof StepFailure ? error : processingFailure(errorMessage(error));
        operations.push({
          step: operations.length + 1,
          name,
          success: false,
          ...(failure.result !== undefined ? { result: failure.result } : {}),
          error: { ...failure.body, contextId: correlationId },
          durationMs: now() - started,
        });
        throw failure;
      }
    },
  };
}

interface PipelineResult {
  failure?: StepFailure;
  output?: unknown;
}

function credentialFields(credentials: DataActionCredentials): Record<string, string> {
  return credentials.type === 'basic' ? {} : { ...credentials.fields };
}

/** Every value that must never appear in a result. */
function secretsOf(credentials: DataActionCredentials, authResponse: unknown): string[] {
  const values: string[] = [];
  if (credentials.type === 'basic') {
    values.push(
      credentials.password,
      Buffer.from(`${credentials.userName}:${credentials.password}`).toString('base64'),
    );
  } else {
    const fields = Object.values(credentials.fields);
    values.push(...fields);
    // Basic headers built from two fields, e.g. base64(clientId:clientSecret) in the custom auth action.
    for (const a of fields) for (const b of fields) values.push(Buffer.from(`${a}:${b}`).toString('base64'));
  }
  if (typeof authResponse === 'object' && authResponse !== null) {
    for (const [k, v] of Object.entries(authResponse))
      if (typeof v === 'string' && isSecretKey(k)) values.push(v);
  }
  return values.flatMap((v) => [v, encodeURIComponent(v)]);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
}

/**
 * The custom auth action's own run, with the same credentials and inside the same timeout; its
 * output becomes `$authResponse`. A failure fails the custom auth step, showing the inner operations.
 */
async function authenticate(
  run: ActionRun,
  action: DataActionDefinition | undefined,
): Promise<{ output: unknown; operations: TestExecutionOperationResult[] }> {
  if (!action) {
    throw new StepFailure({
      message:
        'The credential type User Defined (OAuth) needs the integration\'s custom auth action (actionType "customAuth"), and none was given',
      code: 'BAD_REQUEST',
      status: 400,
      details: [{ errorCode: 'ACTION.AUTHENTICATION' }],
    });
  }
  const inner = createRun({ action, input: {}, credentials: run.credentials, flatten: false, shared: run.shared });
  const { failure, output } = await runPipeline(inner);
  if (failure) {
    const failedOp = inner.operations[inner.operations.length - 1];
    throw new StepFailure(
      {
        message: `Custom authentication failed at "${failedOp?.name ?? 'unknown'}": ${failure.body.message}`,
        code: failure.body.code,
        status: failure.body.status,
        details: [{ errorCode: 'ACTION.AUTHENTICATION' }],
      },
      failure.outcome,
      { operations: inner.operations },
    );
  }
  return { output, operations: inner.operations };
}

/** One action, step by step; the first failing step ends it. */
async function runPipeline(run: ActionRun): Promise<PipelineResult> {
  const { action, input, credentials, shared, step } = run;
  const validator = createSchemaValidator();
  const tools = createVelocityTools();
  try {
    await step(
      operationNames.validateInput,
      () => {
        const validate = compileContract(validator, action.contract.input.inputSchema, 'contract.input.inputSchema');
        if (!validate(input)) {
          throw new StepFailure({
            message: `Input does not match the input contract: ${describeSchemaErrors(validate.errors)}`,
            code: 'BAD_REQUEST',
            status: 400,
            details: [{ errorCode: 'ACTION.PROCESSING' }],
          });
        }
        return input;
      },
    );

    if (run.customAuth) {
      const { action: authAction } = run.customAuth;
      const auth = await step(
        operationNames.customAuth,
        () => authenticate(run, authAction),
        (a) => ({ authResponse: a.output, operations: a.operations }),
      );
      run.authResponse = auth.output;
    }

    const context: Record<string, unknown> = {
      ...tools,
      input: withoutNulls({ ...input, rawRequest: JSON.stringify(input) }),
      credentials: withoutNulls(credentialFields(credentials)),
      ...(run.authResponse !== undefined ? { authResponse: withoutNulls(run.authResponse) } : {}),
    };
    const request = action.config.request;

    const url = await step(
      operationNames.resolveUrl,
      () => {
        const rendered = renderField('requestUrlTemplate', request.requestUrlTemplate, context).trim();
        try {
          return new URL(rendered).href;
        } catch {
          throw processingFailure(
            `The request URL template (requestUrlTemplate) resolved to "${rendered}", which is not an absolute URL`,
            'requestUrlTemplate',
          );
        }
      },
    );

    const headers = await step(
      operationNames.resolveHeaders,
      () => {
        const out: Record<string, string> = {};
        for (const [name, template] of Object.entries(request.headers)) {
          try {
            out[name] = renderTemplate(template, context);
          } catch (error) {
            throw processingFailure(`Header "${name}": ${errorMessage(error)}`, name);
          }
        }
        // Basic Auth: the integration sends the header itself (docs/genesys-facts.md#data-action-credentials). If the action also sets
        // Authorization, which wins in Genesys is UNCONFIRMED; here the action's own header does.
        if (credentials.type === 'basic' && !hasHeader(out, 'Authorization')) {
          out.Authorization = `Basic ${Buffer.from(`${credentials.userName}:${credentials.password}`, 'utf8').toString('base64')}`;
        }
        // `Transfer-Encoding: buffered` is an instruction to Genesys, not a header for the service: the
        // body goes out whole with a Content-Length instead of chunked (docs/genesys-facts.md#data-action-requests).
        // fetch sends a string body with a Content-Length already, so only the header is taken out.
        for (const name of Object.keys(out)) {
          if (name.toLowerCase() === 'transfer-encoding' && out[name]!.trim().toLowerCase() === 'buffered') delete out[name];
        }
        // Headers Genesys adds to web-service requests (docs/genesys-facts.md#headers-genesys-sends).
        out['ININ-Correlation-Id'] = shared.correlationId;
        if (shared.organizationId) out['ININ-Organization-Id'] = shared.organizationId;
        return out;
      },
      // Shown as they are: the whole result is redacted as it leaves runDataAction (auth headers by name).
      (v) => v,
    );

    // GET requests do not use a request template (docs/genesys-facts.md#velocity-templates).
    const body =
      request.requestType === 'GET'
        ? undefined
        : await step(
            operationNames.resolveBody,
            () => renderField('requestTemplate', request.requestTemplate, context),
          );

    const response = await step(
      operationNames.executeRequest,
      async () => {
        let res: Response;
        let text: string;
        try {
          res = await sendFollowingSameOrigin(shared, url, { method: request.requestType, headers, body });
          text = await res.text();
        } catch (error) {
          if (error instanceof StepFailure) throw error;
          if (shared.timedOut()) {
            // Architect takes the Timeout output (docs/genesys-facts.md#data-action-timeout). The status/code Genesys reports for
            // a timed-out execution is UNCONFIRMED.
            throw new StepFailure(
              {
                message: `Request to backend service timed out after ${shared.timeoutSeconds} seconds [${shared.correlationId}]`,
                code: 'REQUEST_TIMEOUT',
                status: 408,
                details: [{ errorCode: 'ACTION.REMOTE_ENDPOINT' }],
              },
              'timeout',
            );
          }
          throw new StepFailure({
            message: `Request to backend service failed: ${errorMessage(error)}${causeText(error)} [${shared.correlationId}]`,
            code: 'INTERNAL_SERVER_ERROR',
            status: 500,
            details: [{ errorCode: 'ACTION.REMOTE_ENDPOINT' }],
          });
        }
        const result = { status: res.status, contentType: res.headers.get('content-type') ?? '' };
        if (res.status < 200 || res.status > 299) {
          // Non-2xx: the remote body is embedded as text in the message (docs/genesys-facts.md#data-action-failures).
          throw new StepFailure(
            {
              message: `Request to backend service failed. Response from web service: ${truncate(text)} [${shared.correlationId}]`,
              code: statusCode(res.status),
              status: res.status,
              details: [{ errorCode: 'ACTION.REMOTE_ENDPOINT' }],
            },
            'failure',
            { ...result, body: parseOrText(text) },
          );
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          // A non-JSON body fails with 400 BAD_REQUEST, ACTION.REMOTE_ENDPOINT (docs/genesys-facts.md#data-action-requests).
          throw new StepFailure(
            {
              message: `The response from the web service is not JSON: ${truncate(text)} [${shared.correlationId}]`,
              code: 'BAD_REQUEST',
              status: 400,
              details: [{ errorCode: 'ACTION.REMOTE_ENDPOINT' }],
            },
            'failure',
            { ...result, body: text },
          );
        }
        return { ...result, text, body: parsed };
      },
      (v) => ({ status: v.status, body: v.body }),
    );

    const translated = await step(
      operationNames.translate,
      () => {
        try {
          return applyTranslationMap(
            response.body,
            action.config.response.translationMap,
            action.config.response.translationMapDefaults,
          );
        } catch (error) {
          throw processingFailure(errorMessage(error), (error as { key?: string }).key);
        }
      },
    );

    const output = await step(
      operationNames.resolveSuccessTemplate,
      () => {
        const rendered = renderField('successTemplate', action.config.response.successTemplate, {
          ...tools,
          ...translated,
          rawResult: response.text,
        });
        try {
          return JSON.parse(rendered) as unknown;
        } catch (error) {
          throw processingFailure(
            `The success template (successTemplate) did not produce JSON (${errorMessage(error)}): ${truncate(rendered)}`,
            'successTemplate',
          );
        }
      },
    );

    await step(
      operationNames.validateOutput,
      () => {
        const validate = compileContract(validator, action.contract.output.successSchema, 'contract.output.successSchema');
        if (!validate(output)) {
          throw processingFailure(
            `Output does not match the output contract: ${describeSchemaErrors(validate.errors)}`,
          );
        }
        return output;
      },
      () => undefined,
    );

    if (!run.flatten) return { output };
    const flat = await step(
      operationNames.flatten,
      () => flattenOutput(output),
    );
    return { output: flat };
  } catch (error) {
    if (error instanceof StepFailure) return { failure: error };
    // Outside a step (the templates' context: input or auth response that cannot be serialised,
    // nested past the stack): still a failed run, never an exception for the caller.
    return { failure: processingFailure(`The action could not be run: ${errorMessage(error)}`) };
  }
}

/** A contract schema compiled, or a failure naming the contract field that is not a valid draft-04 schema. */
function compileContract(validator: ReturnType<typeof createSchemaValidator>, schema: object, field: string): ValidateFunction {
  try {
    return validator.compile(schema);
  } catch (error) {
    throw processingFailure(`${field} is not a valid JSON Schema (draft-04): ${errorMessage(error)}`, field);
  }
}

/** A template of the action rendered, or a failure naming which one did not render. */
function renderField(field: 'requestUrlTemplate' | 'requestTemplate' | 'successTemplate', template: string, context: Record<string, unknown>): string {
  try {
    return renderTemplate(template, context);
  } catch (error) {
    throw processingFailure(`${field}: ${errorMessage(error)}`, field);
  }
}

/** How many redirects within the origin one request may follow (fetch's own limit is 20). */
const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * Sends the request and follows redirects only within its URL's origin. The credentials are in
 * headers the action's templates wrote (X-API-Key, Authorization, or any other name), and fetch
 * drops only Authorization on a cross-origin redirect, so a redirect to another origin is refused
 * instead: the other origin never sees any header of this request. Whether Genesys follows
 * redirects at all, and with which headers, is UNCONFIRMED; refusing is the safe guess.
 */
async function sendFollowingSameOrigin(
  shared: SharedRun,
  url: string,
  request: { method: string; headers: Record<string, string>; body: string | undefined },
): Promise<Response> {
  const origin = new URL(url).origin;
  let { method, headers, body } = request;
  let current = url;
  for (let followed = 0; ; followed++) {
    const res = await shared.fetch(current, { method, headers, body, signal: shared.signal, redirect: 'manual' });
    const location = res.headers.get('location');
    // A 3xx without Location is the answer itself (and fails as a non-2xx).
    if (!redirectStatuses.has(res.status) || location === null) return res;
    await res.body?.cancel();
    const next = new URL(location, current);
    const refuse = (why: string) =>
      new StepFailure({
        message: `Request to backend service failed: ${why} [${shared.correlationId}]`,
        code: statusCode(res.status),
        status: res.status,
        details: [{ errorCode: 'ACTION.REMOTE_ENDPOINT' }],
      });
    if (next.origin !== origin) {
      throw refuse(`it redirected (${res.status}) to another origin, ${next.origin}; redirects are followed only within ${origin}, so that the request's credentials go nowhere else`);
    }
    if (followed >= maxRedirects) throw refuse(`more than ${maxRedirects} redirects`);
    // As fetch does: 303, and 301/302 after a POST, continue as a GET without the body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-/i.test(name)));
    }
    current = next.href;
  }
}

function causeText(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Null input values are dropped as the first step of processing, so a NOT_SET flow variable bound to
 * an input reads as absent instead of failing the input contract (docs/genesys-facts.md#data-action-requests).
 * Only top-level values: the announcement's example is `{"input1": null, "input2": "ABCD"}`.
 */
function withoutNullInputs(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first (and only) operation of a run whose input is not a JSON object. */
function notAnObject(run: ActionRun, input: unknown): StepFailure {
  const failure = new StepFailure({
    message: `Input does not match the input contract: (root) must be an object, got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`,
    code: 'BAD_REQUEST',
    status: 400,
    details: [{ errorCode: 'ACTION.PROCESSING', fieldName: 'input' }],
  });
  run.operations.push({ step: 1, name: operationNames.validateInput, success: false, error: { ...failure.body, contextId: run.shared.correlationId }, durationMs: 0 });
  return failure;
}

/** A result whose operation results could not be redacted: the operations' outline and a failure saying why. */
function withoutResults(result: TestExecutionResult, why: string, correlationId: string): TestExecutionResult {
  const error = { ...processingFailure(`The result could not be reported (${why}): it is nested too deeply`).body, contextId: correlationId };
  return {
    operations: result.operations.map(({ step, name, success, durationMs }) => ({ step, name, success, durationMs })),
    error,
    success: false,
    outcome: 'failure',
    correlationId,
  };
}

function effectiveTimeoutSeconds(action: DataActionDefinition): number {
  const t = action.config.timeoutSeconds;
  return typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= 60 ? t : defaultTimeoutSeconds;
}

/**
 * Runs a data action the way Genesys does, step by step, and reports it as a TestExecutionResult.
 * A failed run is a result with `success: false` (never a thrown error); the failing operation
 * carries the error. Secrets (credential values, tokens, Authorization headers) are redacted from
 * the whole result (docs/genesys-facts.md#data-action-credentials).
 *
 * The timeout (`config.timeoutSeconds`, default 60 s) covers the whole run, custom auth included.
 * Each run calls the custom auth action afresh: Genesys's token caching is UNCONFIRMED.
 */
export async function runDataAction(options: RunDataActionOptions): Promise<TestExecutionResult> {
  const now = options.now ?? Date.now;
  const correlationId = options.correlationId ?? randomUUID();
  const controller = new AbortController();
  let timedOut = false;
  const timeoutSeconds = effectiveTimeoutSeconds(options.action);
  const cancelTimer = (options.startTimer ?? systemClock.setTimer)(timeoutSeconds * 1000, () => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutSeconds} s`));
  });
  const shared: SharedRun = {
    fetch: options.fetch ?? fetch,
    now,
    signal: controller.signal,
    timedOut: () => timedOut,
    timeoutSeconds,
    correlationId,
    organizationId: options.organizationId,
  };

  // Architect sends a JSON object; anything else fails the input step instead of throwing here.
  const input = isPlainObject(options.input) ? withoutNullInputs(options.input) : options.input;
  const run = createRun({
    action: options.action,
    input,
    credentials: options.credentials,
    flatten: options.flatten !== false,
    ...(options.credentials.type === 'userDefinedOAuth' && { customAuth: { action: options.customAuthAction } }),
    shared,
  });

  try {
    const { failure, output } = isPlainObject(input) ? await runPipeline(run) : { failure: notAnObject(run, input), output: undefined };
    const result: TestExecutionResult = failure
      ? {
          operations: run.operations,
          error: { ...failure.body, contextId: correlationId },
          success: false,
          outcome: failure.outcome,
          correlationId,
        }
      : {
          operations: run.operations,
          finalResult: output,
          success: true,
          outcome: 'success',
          correlationId,
        };
    const secrets = secretsOf(run.credentials, run.authResponse);
    try {
      return redactResult(result, secrets);
    } catch (error) {
      // What cannot be walked cannot be redacted (a body nested past the stack): reported without
      // the operations' results rather than unredacted.
      return redactResult(withoutResults(result, errorMessage(error), correlationId), secrets);
    }
  } finally {
    cancelTimer();
  }
}
