/**
 * The edge owns the deadline: the bridge derives it from BATON_DEADLINE_MS and the request's
 * `budgetMs` (its deadline.ts) and passes it down; core's handoff and the Genesys client use that
 * one as it is. This default is for direct library use only (the extension, a script), where no
 * caller sets a deadline: below the data action's 60 s default timeout.
 */
export const DEFAULT_BUDGET_MS = 20_000;

/** The caller's deadline (epoch ms) when it gives one; otherwise `budgetMs` from `now`. */
export function deadlineFrom(
  now: number,
  deadline: number | undefined,
  budgetMs: number = DEFAULT_BUDGET_MS,
): number {
  return deadline ?? now + budgetMs;
}
