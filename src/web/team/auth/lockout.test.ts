import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api-client.js';
import { lockoutMessage } from './lockout.js';

describe('lockoutMessage', () => {
  it('says the clock time the lock ends, from Retry-After', () => {
    const error = new ApiError('ACCOUNT_LOCKED', 'Too many failed sign-in attempts.', 429, undefined, [], 300);
    const now = new Date(2026, 10, 24, 10, 37, 0);
    expect(lockoutMessage(error, now, 'en-US')).toBe(
      'Too many failed sign-in attempts. You can try again at 10:42 AM, or reset your password.',
    );
  });

  it('keeps the server’s sentence without a Retry-After', () => {
    const error = new ApiError('ACCOUNT_LOCKED', 'Try again in 5 minutes, or reset your password.', 429);
    expect(lockoutMessage(error)).toBe('Try again in 5 minutes, or reset your password.');
  });
});
