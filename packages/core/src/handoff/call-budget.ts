import type { CallBudget } from '../genesys/api.js';
import { RateBudgetExhaustedError } from '../errors.js';

/**
 * At most `maxCalls` Platform API calls (retries included) for one request: the per-token budget
 * (300/min by default) is shared by every request, so a request whose calls do not end (a listing
 * that pages forever, a chain of retries) must fail rather than starve all the others. The count
 * is per request, made once per service call.
 */
export function createCallBudget(maxCalls: number): CallBudget {
  const spent: Record<string, number> = {};
  let total = 0;
  return {
    spend(route) {
      if (total >= maxCalls) {
        const made = Object.entries(spent)
          .map(([r, n]) => `${r} ×${n}`)
          .join(', ');
        throw new RateBudgetExhaustedError(
          `This request reached its limit of ${maxCalls} Platform API calls (maxCallsPerHandoff, BATON_MAX_CALLS_PER_HANDOFF) and stopped, so that it cannot spend the per-token budget every other request shares. Calls made: ${made}.`,
          { details: { maxCalls, perRequest: true } },
        );
      }
      total += 1;
      spent[route] = (spent[route] ?? 0) + 1;
    },
  };
}
