import { z } from 'zod';

/**
 * Opt-in faults for the Guest API channel. None is active unless a test or harness adds one:
 * real Guest API clients abort on non-200 frames, so a default fault would break every chat.
 */
export const guestFaultRuleSchema = z
  .object({
    /**
     * `tooManyRequests`: the next onMessage requests are refused with a TooManyRequestsErrorMessage
     * (code 429, errorCode 4029) and not delivered. `reorder`: the next pushed message frames are held
     * and delivered right after the frame that follows them (web messaging gives no ordering guarantee).
     */
    kind: z.enum(['tooManyRequests', 'reorder']),
    /** How many requests (tooManyRequests) or frames (reorder) the rule applies to. */
    times: z.number().int().positive().default(1),
    /** TooManyRequestsErrorMessage.retryAfter, seconds. */
    retryAfterSeconds: z.number().int().min(0).max(3600).default(3),
  })
  .strict();

export type GuestFaultRule = z.input<typeof guestFaultRuleSchema>;
type ParsedRule = z.output<typeof guestFaultRuleSchema>;

export interface GuestFaultController {
  /** Adds a rule (validated); returns its id. */
  add(rule: GuestFaultRule): string;
  list(): readonly (ParsedRule & { id: string; remaining: number })[];
  /** Removes every rule; frames held by `reorder` are delivered at once. */
  clear(): void;
}

export interface GuestFaults extends GuestFaultController {
  /** Consumes one `tooManyRequests` use; the rule's retryAfter when one applied. */
  takeTooManyRequests(): number | undefined;
  /** Consumes one `reorder` use; true when the frame about to be pushed should be held back. */
  takeReorder(): boolean;
  /** Called by `clear()` so held frames are not lost. */
  onClear(listener: () => void): void;
}

export function createGuestFaults(): GuestFaults {
  let seq = 0;
  let rules: (ParsedRule & { id: string; remaining: number })[] = [];
  const clearListeners: (() => void)[] = [];
  const take = (kind: ParsedRule['kind']): (ParsedRule & { remaining: number }) | undefined => {
    const rule = rules.find((r) => r.kind === kind && r.remaining > 0);
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) rules = rules.filter((r) => r !== rule);
    return rule;
  };
  return {
    add(rule) {
      const parsed = guestFaultRuleSchema.parse(rule);
      const id = `guest-fault-${++seq}`;
      rules.push({ ...parsed, id, remaining: parsed.times });
      return id;
    },
    list: () => rules.map((r) => ({ ...r })),
    clear() {
      rules = [];
      for (const l of clearListeners) l();
    },
    takeTooManyRequests: () => take('tooManyRequests')?.retryAfterSeconds,
    takeReorder: () => take('reorder') !== undefined,
    onClear(listener) {
      clearListeners.push(listener);
    },
  };
}
