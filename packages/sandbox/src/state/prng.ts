/**
 * A small seeded PRNG (mulberry32). The sandbox's ids, names and shuffles come from it so that one
 * seed always produces the same org: tests and benchmarks can rely on stable ids.
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** An 8-4-4-4-12 lowercase hex UUID in version-4 form. */
  uuid(): string;
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex16 = (x: number): string => (HEX2[x >>> 8] as string) + (HEX2[x & 0xff] as string);

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextUint32() / 4294967296;
  return {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    chance(probability) {
      return next() < probability;
    },
    uuid() {
      const a = nextUint32();
      const b = ((nextUint32() & 0xffff0fff) | 0x00004000) >>> 0; // version 4
      const c = ((nextUint32() & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
      const d = nextUint32();
      return (
        hex16(a >>> 16) + hex16(a & 0xffff) + '-' + hex16(b >>> 16) + '-' + hex16(b & 0xffff) + '-' +
        hex16(c >>> 16) + '-' + hex16(c & 0xffff) + hex16(d >>> 16) + hex16(d & 0xffff)
      );
    },
  };
}

/** Fisher–Yates shuffle of a copy, driven by the PRNG. */
export function shuffled<T>(prng: Prng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(prng.next() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
