import { z } from 'zod';
import { routeNames, type RouteName } from './route-table.js';

export const faultRuleSchema = z
  .object({
    route: z.union([z.enum(routeNames), z.literal('*')]).optional(),
    clientId: z.string().min(1).optional(),
    times: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    kind: z.enum(['latency', 'status', 'reset', 'malformed', 'revokeToken', 'endlessPaging', 'transferNotApplied', 'transferDelayed', 'answerLost']),
    ms: z.number().int().min(0).max(600_000).optional(),
    jitterMs: z.number().int().min(0).max(600_000).optional(),
    status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
  })
  .strict()
  .refine((r) => r.kind !== 'status' || r.status !== undefined, {
    message: 'a status fault needs `status` (429, 500, 502, 503 or 504)',
    path: ['status'],
  })
  .refine((r) => r.kind !== 'transferDelayed' || r.ms !== undefined, {
    message: 'a transferDelayed fault needs `ms` (how long after the 202 the transfer applies)',
    path: ['ms'],
  });

/**
 * A scripted fault. `times` = how many matching requests it applies to (default unlimited);
 * `probability` = chance it applies to a matching request (default 1, drawn from the seeded PRNG).
 * Kinds: `latency` (ms + uniform jitter in [0, jitterMs], then the request proceeds), `status`
 * (answers that status in ErrorBody form; 429 carries `Retry-After`, default 1 s), `reset`
 * (destroys the socket), `malformed` (200 with a truncated, unparseable JSON body),
 * `revokeToken` (revokes the caller's token, then answers 401), `endlessPaging` (a cursor-paged
 * analytics listing answers a page that matches nothing and always carries a `nextUri`, as a
 * Genesys that pages without end would), `transferNotApplied` (`replace/queue` answers 202 but
 * the transfer never happens), `transferDelayed` (it answers 202 and the transfer applies `ms`
 * later, by the sandbox's clock: Genesys applies it asynchronously), `answerLost` (`replace/queue`
 * does its work, then the connection is reset instead of the 202: the caller cannot tell whether
 * the transfer was accepted). The last four change what the route does instead of answering for
 * it, so they combine with `latency` and each other.
 */
export interface FaultRule {
  route?: RouteName | '*';
  clientId?: string;
  times?: number;
  probability?: number;
  kind: 'latency' | 'status' | 'reset' | 'malformed' | 'revokeToken' | 'endlessPaging' | 'transferNotApplied' | 'transferDelayed' | 'answerLost';
  ms?: number;
  jitterMs?: number;
  status?: 429 | 500 | 502 | 503 | 504;
  retryAfterSeconds?: number;
}

export interface FaultController {
  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void;
  clear(): void;
  /** The rules still active, in the order added. */
  list(): FaultRule[];
}

export interface FaultDecision {
  /** Total latency to add before anything else (sum of matching latency rules). */
  delayMs: number;
  /** The first matching rule that answers instead of the route, if any. */
  terminal: FaultRule | undefined;
  /** Matching rules that change what the route does (`endlessPaging`, `transferNotApplied`, `transferDelayed`, `answerLost`). */
  effects: FaultRule[];
}

/** Kinds that change what the route does rather than answer for it. */
const EFFECT_KINDS: ReadonlySet<FaultRule['kind']> = new Set(['endlessPaging', 'transferNotApplied', 'transferDelayed', 'answerLost']);

export interface FaultEngine extends FaultController {
  decide(route: RouteName, clientId: string | undefined): FaultDecision;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export function createFaultEngine(random: () => number): FaultEngine {
  let rules: ActiveRule[] = [];
  const remove = (active: ActiveRule): void => {
    rules = rules.filter((r) => r !== active);
  };
  return {
    add(rule) {
      const parsed = faultRuleSchema.parse(rule) as FaultRule;
      const active: ActiveRule = { rule: parsed, remaining: parsed.times ?? Number.POSITIVE_INFINITY };
      rules.push(active);
      return () => remove(active);
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.map((r) => ({ ...r.rule }));
    },
    decide(route, clientId) {
      let delayMs = 0;
      let terminal: FaultRule | undefined;
      const effects: FaultRule[] = [];
      for (const active of rules.slice()) {
        const { rule } = active;
        if (rule.route !== undefined && rule.route !== '*' && rule.route !== route) continue;
        if (rule.clientId !== undefined && rule.clientId !== clientId) continue;
        const effect = EFFECT_KINDS.has(rule.kind);
        if (!effect && rule.kind !== 'latency' && terminal) continue;
        if (effect && effects.some((e) => e.kind === rule.kind)) continue;
        if (rule.probability !== undefined && random() >= rule.probability) continue;
        active.remaining -= 1;
        if (active.remaining <= 0) remove(active);
        if (rule.kind === 'latency') {
          delayMs += (rule.ms ?? 0) + (rule.jitterMs ? Math.floor(random() * (rule.jitterMs + 1)) : 0);
        } else if (effect) {
          effects.push({ ...rule });
        } else {
          terminal = rule;
        }
      }
      return { delayMs, terminal, effects };
    },
  };
}
