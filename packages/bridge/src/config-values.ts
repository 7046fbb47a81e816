import { isIP } from 'node:net';
import { z } from 'zod';

/** The value types of the configuration table (config.ts): each with the message a bad value gets. */

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const int = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected a whole number between ${min} and ${max}` })
    .int(`expected a whole number between ${min} and ${max}`)
    .min(min, `expected a whole number between ${min} and ${max}`)
    .max(max, `expected a whole number between ${min} and ${max}`);
export const uuid = z.string().trim().regex(UUID, 'expected a Genesys id (UUID, 8-4-4-4-12 hex)');
export const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'expected an http(s) URL');
export const wsUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'ws:' || u.protocol === 'wss:') && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'expected a ws(s) URL without credentials, query or fragment');
export const secret = (min: number) =>
  z
    .string()
    .min(min, `expected at least ${min} characters`)
    .superRefine((value, ctx) => {
      const weakness = secretWeakness(value);
      if (weakness !== undefined) ctx.addIssue({ code: 'custom', message: `too weak: ${weakness}; use a long random value (e.g. openssl rand -base64 32)` });
    });

/**
 * Why an inbound secret is too easy to guess, or undefined. A length minimum alone accepted
 * `aaaaaaaaaaaaaaaa`. These checks are deliberately simple (no dictionary): they catch the values
 * people type by hand or leave from a template, not every weak secret. Throttling failed attempts
 * (auth/failure-throttle.ts) does not lock out correct credentials, so the secret's strength is what
 * stops guessing. The message never quotes the value.
 */
export function secretWeakness(value: string): string | undefined {
  const chars = [...value];
  const distinct = new Set(chars).size;
  if (distinct === 1) return 'a single repeated character';
  if (/^<[^>]*>$|^\$\{[^}]*\}$|^\{\{.*\}\}$/.test(value.trim())) return 'a template placeholder, not a secret';
  const alnum = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (WELL_KNOWN_WEAK.test(alnum)) return 'a well-known weak value (a common word or placeholder followed at most by digits)';
  for (let unit = 1; unit <= chars.length / 2; unit++) {
    if (chars.length % unit === 0 && value === value.slice(0, unit).repeat(chars.length / unit)) return 'a short pattern repeated';
  }
  const minDistinct = Math.min(10, Math.max(5, Math.floor(chars.length / 3)));
  if (distinct < minDistinct) return `only ${distinct} distinct characters (expected at least ${minDistinct})`;
  let steps = 0;
  for (let i = 1; i < chars.length; i++) if (Math.abs(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) <= 1) steps++;
  if (steps / (chars.length - 1) >= 0.75) return 'mostly a run of consecutive or repeated characters (an alphabet or digit sequence)';
  // Shannon entropy of the value's own character frequencies, times its length: a rough upper
  // bound of what a guesser must search. 40 bits lets a random 12-character password through.
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / chars.length) * Math.log2(n / chars.length);
  const bits = Math.floor(bitsPerChar * chars.length);
  if (bits < MIN_SECRET_BITS) return `an estimated ${bits} bits of entropy (expected at least ${MIN_SECRET_BITS})`;
  return undefined;
}
const MIN_SECRET_BITS = 40;
/** Lower-cased, letters and digits only: common password bases and template fillers. */
const WELL_KNOWN_WEAK =
  /^(password|passw0rd|p4ssw0rd|secret|changeme|changeit|replaceme|letmein|welcome|admin|administrator|qwerty|qwertyuiop|asdfgh|default|example|placeholder|apikey|yourapikey|yoursecret|yourpassword|test|testing|baton|genesys|iloveyou|trustno1)+[0-9]*$/;

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
/** Express' `trust proxy`, restricted to hop counts and explicit addresses: never `true` (trust anyone). */
export const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): number | string[] => {
    if (/^\d+$/.test(v)) {
      const hops = Number(v);
      if (hops >= 1 && hops <= 10) return hops;
    } else {
      const entries = v.split(',').map((e) => e.trim());
      if (entries.every((e) => PROXY_NAMES.has(e) || isAddressOrCidr(e))) return entries;
    }
    ctx.addIssue({ code: 'custom', message: 'expected a hop count 1–10 or a comma-separated list of addresses, CIDRs, loopback, linklocal or uniquelocal' });
    return z.NEVER;
  });
function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}


export const booleanText = z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true');

/** A number in [min, max], fractions allowed. */
export const fraction = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected a number between ${min} and ${max}` })
    .min(min, `expected a number between ${min} and ${max}`)
    .max(max, `expected a number between ${min} and ${max}`);

/** A Basic Auth user name or client id: it goes before the ":" of `user:password`. */
export const beforeColon = (what: string) => z.string().trim().regex(/^[^:]+$/, `expected ${what} without ":"`);

export const redisUrl = z
  .string()
  .trim()
  .refine((v) => /^rediss?:\/\//.test(v), 'expected a redis:// or rediss:// URL');

/** The password of a redis:// URL, decoded as ioredis sends it. */
export function redisPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
