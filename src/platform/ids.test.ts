import { describe, expect, it } from 'vitest';
import { isId, newId } from './ids.js';

describe('newId', () => {
  it('makes version-7 UUIDs with the RFC 9562 variant', () => {
    const id = newId();
    expect(isId(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('sorts in creation order, also within one millisecond', () => {
    const at = Date.UTC(2026, 10, 24, 9, 0, 0);
    const ids = Array.from({ length: 1000 }, (_, i) => newId(at + Math.floor(i / 500)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it('encodes the timestamp in the first 48 bits', () => {
    const at = Date.UTC(2026, 0, 1);
    expect(parseInt(newId(at).replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });
});
