import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { decodeCursor, encodeCursor, pageOf, parseTimeIdKey } from './pagination.js';

describe('keyset pagination', () => {
  it('round-trips a key through an opaque cursor, normalising times to ISO UTC', () => {
    const cursor = encodeCursor(['2026-12-05T10:00:00+01:00', 'T1']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, parseTimeIdKey)).toEqual({ at: '2026-12-05T09:00:00.000Z', id: 'T1' });
  });

  it.each([
    ['not base64 json', 'garbage!'],
    ['another shape', encodeCursor({ at: '2026-12-05T09:00:00Z', id: 'T1' })],
    ['a bad time', encodeCursor(['yesterday', 'T1'])],
    ['an empty id', encodeCursor(['2026-12-05T09:00:00Z', ''])],
    ['extra parts', encodeCursor(['2026-12-05T09:00:00Z', 'T1', 'x'])],
  ])('refuses %s with VALIDATION_FAILED on `cursor`', (_, cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor, parseTimeIdKey);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'cursor', message: 'is not a valid page cursor' }] });
  });

  it('keeps `limit` rows and gives a cursor only when the extra row says there is more', () => {
    expect(pageOf([1, 2, 3], 2, (n) => [n])).toEqual({ items: [1, 2], nextCursor: encodeCursor([2]) });
    expect(pageOf([1, 2], 2, (n) => [n])).toEqual({ items: [1, 2], nextCursor: null });
    expect(pageOf([], 2, (n) => [n])).toEqual({ items: [], nextCursor: null });
  });
});
