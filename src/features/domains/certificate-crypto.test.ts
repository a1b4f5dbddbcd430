import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateKeyFrom, decryptSecretText, encryptSecretText } from './certificate-crypto.js';
import { certificateBackoffMs } from './certificate.domain.js';

describe('certificates at rest', () => {
  const key = certificateKeyFrom({ keySecret: null, appSecret: 'app-secret' });

  it('round-trips, and never holds the plaintext', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';
    const stored = encryptSecretText(key, 'domain_certificate:1:key', pem);
    expect(stored).not.toContain('PRIVATE');
    expect(stored).toMatch(/^v1\./);
    expect(decryptSecretText(key, 'domain_certificate:1:key', stored)).toBe(pem);
  });

  it('refuses a ciphertext moved to another row, tampered with, or read with another key', () => {
    const stored = encryptSecretText(key, 'domain_certificate:1:key', 'secret');
    expect(() => decryptSecretText(key, 'domain_certificate:2:key', stored)).toThrow();
    const [v, iv, tag, ct] = stored.split('.');
    const flipped = Buffer.from(ct!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => decryptSecretText(key, 'domain_certificate:1:key', [v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    const dedicated = certificateKeyFrom({ keySecret: 'dedicated', appSecret: 'app-secret' });
    expect(() => decryptSecretText(dedicated, 'domain_certificate:1:key', stored)).toThrow();
  });

  it('is not the TOTP key derived from the same app secret', () => {
    const totp = Buffer.from(hkdfSync('sha256', 'app-secret', 'servelo', 'team-totp-secret v1', 32));
    expect(key.equals(totp)).toBe(false);
  });

  it('backs off 5 minutes, 30 minutes, 2 hours, 12 hours, then a day', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => certificateBackoffMs(n) / 60_000)).toEqual([5, 30, 120, 720, 1440, 1440]);
  });
});
