import type { BotDefinition } from './bot-definition.js';

/**
 * The simulated bot's NLU: deterministic and explainable, so a test can say which intent and which
 * confidence a sentence gets. Each intent's score is the best Dice coefficient between the turn's
 * content words and one of its example utterances' (2·|A∩B| / (|A|+|B|), in [0, 1]), rounded to two
 * decimals. Numbers are left out (they are slot values, not meaning).
 */

// Words that carry no intent. Kept short on purpose: a word here can never tell two intents apart.
const STOPWORDS = new Set(
  'a an the i im i\'m me my mine to for of and or is are am it its on in at please can could would will you your with this that be do does did have has was were about so just hi hello hey'.split(' '),
);

/** Lower case, letters and digits only, single spaces (the form phrases and values are matched in). */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function contentWords(text: string): Set<string> {
  return new Set(
    normalise(text)
      .split(' ')
      .filter((w) => w !== '' && !STOPWORDS.has(w) && !/^\d+$/.test(w)),
  );
}

function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const w of a) if (b.has(w)) common += 1;
  return (2 * common) / (a.size + b.size);
}

/** Whether `phrase` occurs in `text` as whole words (both normalised). */
export function containsPhrase(text: string, phrase: string): boolean {
  const t = ` ${normalise(text)} `;
  const p = normalise(phrase);
  return p !== '' && t.includes(` ${p} `);
}

export interface IntentScore {
  readonly intent: string;
  readonly confidence: number;
}

/** Every intent's score for one turn, best first (ties keep the definition's order). */
export function scoreIntents(definition: Pick<BotDefinition, 'intents'>, text: string): IntentScore[] {
  const words = contentWords(text);
  return definition.intents
    .map((intent, order) => {
      const best = Math.max(...intent.utterances.map((u) => dice(words, contentWords(u))));
      return { intent: intent.name, confidence: Math.round(best * 100) / 100, order };
    })
    .sort((x, y) => y.confidence - x.confidence || x.order - y.order)
    .map(({ intent, confidence }) => ({ intent, confidence }));
}

/** The slot values a turn carries: list values as whole words, patterns by their first group (or the whole match). */
export function extractSlots(definition: Pick<BotDefinition, 'slots'>, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const slot of definition.slots) {
    if (slot.values) {
      const value = slot.values.find((v) => containsPhrase(text, v));
      if (value !== undefined) out[slot.name] = value;
    } else if (slot.pattern !== undefined) {
      const m = new RegExp(slot.pattern, 'i').exec(text);
      const value = m?.[1] ?? m?.[0];
      if (value !== undefined && value !== '') out[slot.name] = value;
    }
  }
  return out;
}
