import { randomBytes } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): a 48-bit millisecond timestamp followed by random bits. Ids are generated in
 * code (not by the database) so both dialects behave the same; they sort by creation time, which
 * keeps B-tree inserts local and gives keyset pagination a stable tiebreaker. They are not
 * guessable, so they can appear in portal URLs (SECURITY.md §3); the human ticket number is
 * display-only.
 *
 * Within one process, ids made in the same millisecond still sort in creation order: the 12-bit
 * `rand_a` field then carries a counter (RFC 9562 §6.2, method 1) instead of random bits.
 */
let lastMs = -1;
let counter = 0;

export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  if (now === lastMs && counter < 0xfff) {
    counter += 1;
  } else {
    lastMs = now;
    // Start low in the range so a burst in one millisecond has room to count up.
    counter = (bytes[6] ?? 0) & 0x3f;
  }
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: string): boolean {
  return UUID_PATTERN.test(value);
}
