import { actionContracts, type ActionContract } from '@baton/core';

/**
 * The Baton contract an action JSON was generated from: by its contract id (when it carries one)
 * or by its request URL ending in the contract's bridge path. Matching by URL, not by name, keeps
 * a renamed import (Genesys lets admins rename actions) recognised, and an action named
 * "handoff something" that calls a read-only endpoint is not mistaken for a write.
 */
export function actionContractOf(action: unknown): ActionContract | undefined {
  const a = action as { id?: unknown; config?: { request?: { requestUrlTemplate?: unknown } } } | undefined;
  const byId = actionContracts.find((c) => c.id === a?.id);
  if (byId) return byId;
  const template = a?.config?.request?.requestUrlTemplate;
  if (typeof template !== 'string') return undefined;
  const path = template.split(/[?#]/)[0]!.replace(/\/+$/, '');
  return actionContracts.find((c) => path === c.path || path.endsWith(c.path));
}

/**
 * Whether running the action can write to Genesys (participant data, transfer): the contract's
 * `writes` flag; an action Baton has no contract for (any other workspace action) is assumed to
 * write, so a real org is always asked first.
 */
export function actionWrites(action: unknown): boolean {
  return actionContractOf(action)?.writes ?? true;
}
