import { describe, expect, it } from 'vitest';
import { decryptTotpSecret, encryptTotpSecret, fromBase32, matchTotp, toBase32, totpCode, totpStepAt } from './totp.js';

// RFC 6238 Appendix B, SHA-1 (the last 6 of the 8 digits given there).
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors', () => {
    for (const [seconds, code] of VECTORS) expect(totpCode(RFC_SECRET, totpStepAt(new Date(seconds * 1000)))).toBe(code);
  });

  it('round-trips base32 (RFC 4648) as authenticator apps read it', () => {
    expect(toBase32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(fromBase32('mzxw 6ytb oi').toString()).toBe('foobar');
    const secret = Buffer.from('0123456789abcdefghij');
    expect(fromBase32(toBase32(secret))).toEqual(secret);
  });

  it('accepts one step either side, never an already used step', () => {
    const at = new Date(1111111109 * 1000);
    const step = totpStepAt(at);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step - 1), at, null)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step + 1), at, null)).toBe(step + 1);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step + 2), at, null)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step), at, step)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, '12345', at, null)).toBeUndefined();
  });

  it('encrypts the secret bound to its account and the app secret', () => {
    const appSecret = 'a'.repeat(43);
    const stored = encryptTotpSecret(appSecret, 'account-1', RFC_SECRET);
    expect(stored).not.toContain(RFC_SECRET.toString('base64url'));
    expect(decryptTotpSecret(appSecret, 'account-1', stored)).toEqual(RFC_SECRET);
    expect(encryptTotpSecret(appSecret, 'account-1', RFC_SECRET)).not.toBe(stored); // a fresh IV each time
    expect(() => decryptTotpSecret(appSecret, 'account-2', stored)).toThrow();
    expect(() => decryptTotpSecret('b'.repeat(43), 'account-1', stored)).toThrow();
    const [v, iv, tag, ct] = stored.split('.');
    const flipped = Buffer.from(ct!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptTotpSecret(appSecret, 'account-1', [v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });
});
