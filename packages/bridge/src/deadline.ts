import { DeadlineExceededError } from '@baton/core';
import type { Clock } from './clock.js';

/**
 * A data action times out after its configured 1–60 s and Architect then takes the Timeout path
 * with nothing to show (docs/genesys-facts.md#data-action-timeout). The bridge answers first: each
 * request runs under an HTTP deadline below that timeout, and core gets a slightly earlier one, so
 * core's own deadline errors (with their facts) usually win the race and the HTTP timer is the
 * backstop. This is the one place the deadline is computed: core and the Genesys client use the
 * one they are given as it is (core's DEFAULT_BUDGET_MS is only for direct library use).
 */
/** Marks the DeadlineExceededError raised by the bridge's HTTP timer (not core's own). */
export const HTTP_DEADLINE_SOURCE = 'http_deadline';

export interface RequestDeadlines {
  /** Budget of this request, ms. */
  budgetMs: number;
  /** Epoch ms when the bridge answers 504 if the work has not finished. */
  httpDeadline: number;
  /** Epoch ms passed to core as `StepContext.deadline`. */
  coreDeadline: number;
}

/**
 * `configuredMs` is BATON_DEADLINE_MS; `requestedMs` is the request's `budgetMs` input, which can
 * only shorten it. Core's margin is 10% of the budget, between 50 ms and 1 s: enough for core to
 * turn its own timeout into an answer and for the response to be written.
 */
export function computeDeadlines(start: number, configuredMs: number, requestedMs?: number): RequestDeadlines {
  const budgetMs = requestedMs !== undefined && requestedMs > 0 ? Math.min(configuredMs, requestedMs) : configuredMs;
  const margin = Math.min(1000, Math.max(50, Math.round(budgetMs * 0.1)));
  return { budgetMs, httpDeadline: start + budgetMs, coreDeadline: start + budgetMs - margin };
}

/**
 * Races `work` against `deadline`. When the deadline wins, the returned promise rejects with
 * DeadlineExceededError but `work` is NOT cancelled: a transfer already in flight finishes and is
 * recorded by core (idempotency and trace stores), so Architect's retry gets the real outcome
 * instead of a second transfer.
 */
export function raceDeadline<T>(work: Promise<T>, deadline: number, clock: Clock, budgetMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const cancel = clock.setTimer(deadline - clock.now(), () => {
      if (settled) return;
      settled = true;
      reject(
        new DeadlineExceededError(
          `Deadline exceeded: the step did not finish within ${budgetMs} ms (BATON_DEADLINE_MS or budgetMs). ` +
            'Work already started continues and is recorded; run the action again to get its outcome.',
          { details: { budgetMs, source: HTTP_DEADLINE_SOURCE } },
        ),
      );
    });
    work.then(
      (value) => {
        if (settled) return;
        settled = true;
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        cancel();
        reject(error);
      },
    );
  });
}
