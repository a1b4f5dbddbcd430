import { AppError } from './errors.js';

/**
 * Keyset pagination, one codec for every list: a cursor is the key of the last row shown, as
 * base64url JSON. Clients treat it as opaque; the server validates its shape on the way back in,
 * so a tampered cursor is a 400, never a query on garbage.
 */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The key inside a cursor, shaped by `parse` (which answers undefined for anything it does not
 * accept).
 * @throws VALIDATION_FAILED naming `cursor`, for anything that is not a cursor `parse` accepts
 */
export function decodeCursor<K>(cursor: string, parse: (value: unknown) => K | undefined, message = 'is not a valid page cursor'): K {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const key = value === undefined ? undefined : parse(value);
  if (key === undefined) throw new AppError('VALIDATION_FAILED', undefined, { details: [{ path: 'cursor', message }] });
  return key;
}

/** Field checks for cursor parsers. Times come back normalised to ISO 8601 UTC. */
export const cursorField = {
  isTime: (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
  isText: (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200,
  isInt: (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v),
  iso: (v: string): string => new Date(v).toISOString(),
};

/** A `[time, id]` key — the shape of lists ordered by a timestamp with the id as tie-break. */
export function parseTimeIdKey(value: unknown): { at: string; id: string } | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value as unknown[];
  return cursorField.isTime(at) && cursorField.isText(id) ? { at: cursorField.iso(at), id } : undefined;
}

/**
 * One page out of `limit + 1` fetched rows: the extra row only says that a next page exists, and
 * the cursor is the key of the last row kept.
 */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (last: T) => unknown): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
