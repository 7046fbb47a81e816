import { errors } from '../http/api-error.js';

/**
 * Opaque `after` cursors for the bot-flow analytics endpoints. Clients are told to follow
 * `nextUri` until it is absent (AnalyticsApi.md), so the cursor is opaque to catch clients that
 * build cursors themselves.
 */
export const encodeCursor = (key: string): string => Buffer.from(`c1:${key}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('c1:')) throw errors.badRequest('Invalid cursor in "after".', 'after');
  return raw.slice(3);
}

/**
 * One page of `items` after the cursor in `query.after`, with the `nextUri` that continues it
 * (absent on the last page): the cursor paging both bot-flow analytics endpoints share.
 */
export function cursorPage<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  path: string,
  query: Record<string, string | number | undefined>,
  pageSize: number,
  /** An `endlessPaging` fault: an empty page whose `nextUri` never runs out. */
  endless = false,
): { page: T[]; nextUri?: string } {
  if (endless) {
    const previous = query.after === undefined ? '' : decodeCursor(String(query.after));
    const n = previous.startsWith('endless:') ? Number(previous.slice('endless:'.length)) + 1 : 0;
    return { page: [], nextUri: uriWith(path, { ...query, pageSize, after: encodeCursor(`endless:${n}`) }) };
  }
  let from = 0;
  if (query.after !== undefined) {
    const lastKey = decodeCursor(String(query.after));
    const i = items.findIndex((item) => keyOf(item) === lastKey);
    if (i < 0) throw errors.badRequest('Invalid cursor in "after".', 'after');
    from = i + 1;
  }
  const page = items.slice(from, from + pageSize);
  const last = page.at(-1);
  if (last === undefined || from + pageSize >= items.length) return { page };
  return { page, nextUri: uriWith(path, { ...query, pageSize, after: encodeCursor(keyOf(last)) }) };
}

/** An ISO-8601 interval `start/end` (as every analytics endpoint takes it), in epoch ms. */
export function parseInterval(value: string, fieldName: string): { start: number; end: number } {
  const [a, b, extra] = value.split('/');
  const start = a ? Date.parse(a) : NaN;
  const end = b ? Date.parse(b) : NaN;
  if (extra !== undefined || Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    throw errors.badRequest(`Invalid interval "${value}": expected ISO-8601 start/end with start before end.`, fieldName);
  }
  return { start, end };
}

/** `path?query` with the given parameters (undefined ones left out), already URL-encoded. */
export function uriWith(path: string, query: Record<string, string | number | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) sp.set(k, String(v));
  const s = sp.toString();
  return s ? `${path}?${s}` : path;
}
