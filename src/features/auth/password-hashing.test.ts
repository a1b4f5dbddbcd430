import { describe, expect, it } from 'vitest';
import type { AppError } from '../../platform/errors.js';
import { checkPasswordStrength, hashPassword, verifyNothing, verifyPassword } from './password-hashing.js';

const weak = (password: string, email = 'jane.doe@example.com') => {
  try {
    checkPasswordStrength(password, email);
    return undefined;
  } catch (error) {
    return (error as AppError).code;
  }
};

describe('password hashing', () => {
  it('hashes with argon2id at the OWASP cost by default and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(await verifyNothing('anything', { memoryKib: 1024, timeCost: 1 })).toBe(false);
  });

  it('takes 12 to 256 characters and refuses the email, one repeated character and common passwords', () => {
    expect(weak('correct horse')).toBeUndefined();
    expect(weak('short pass')).toBe('PASSWORD_TOO_WEAK');
    expect(weak('x'.repeat(257))).toBe('PASSWORD_TOO_WEAK');
    expect(weak('ab'.repeat(128))).toBe('PASSWORD_TOO_WEAK');
    expect(weak('Jane.Doe@Example.com')).toBe('PASSWORD_TOO_WEAK');
    expect(weak('jane.doe2024!')).toBe('PASSWORD_TOO_WEAK');
    expect(weak('Password1234')).toBe('PASSWORD_TOO_WEAK');
    expect(weak('aaaaaaaaaaaaaaaa')).toBe('PASSWORD_TOO_WEAK');
    expect(weak('  twelve chars ok ')).toBeUndefined();
  });
});
