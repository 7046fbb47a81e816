import type { Clock } from '@baton/core';
import {
  runDataAction,
  type DataActionCredentials,
  type DataActionDefinition,
  type TestExecutionResult,
} from '@baton/data-actions';

/** Runs one data action by name with the flow's input; the result says success, failure or timeout. */
export type DataActionCaller = (name: string, input: Record<string, unknown>) => Promise<TestExecutionResult>;

export interface DataActionCallerOptions {
  /** The definitions `baton export-actions` wrote (the `*.custom.json` files), any order. */
  definitions: readonly DataActionDefinition[];
  /** The integration's credentials. */
  credentials: DataActionCredentials;
  /** The integration's custom auth action (User Defined (OAuth) credentials). */
  customAuthAction?: DataActionDefinition;
  /** Fetch seam; default the global fetch. */
  fetch?: typeof fetch;
  /** Starts each action's timeout (a Clock's setTimer); default the system clock's. */
  startTimer?: Clock['setTimer'];
  /** ININ-Organization-Id to send. */
  organizationId?: string;
}

/**
 * Calls data actions the way an Architect Call Data Action does: through the local data-action
 * runtime, with the integration's credentials, the action's own timeout, and the result flattened
 * (Architect binds flattened outputs; docs/genesys-facts.md#data-action-timeout for the timeout).
 */
export function createDataActionCaller(options: DataActionCallerOptions): DataActionCaller & { has(name: string): boolean } {
  const byName = new Map(options.definitions.map((d) => [d.name, d]));
  const call = (name: string, input: Record<string, unknown>) => {
    const action = byName.get(name);
    if (!action) throw new Error(`no data action named "${name}"`);
    return runDataAction({
      action,
      input,
      credentials: options.credentials,
      flatten: true,
      ...(options.customAuthAction && { customAuthAction: options.customAuthAction }),
      ...(options.fetch && { fetch: options.fetch }),
      ...(options.startTimer && { startTimer: options.startTimer }),
      ...(options.organizationId && { organizationId: options.organizationId }),
    });
  };
  return Object.assign(call, { has: (name: string) => byName.has(name) });
}
