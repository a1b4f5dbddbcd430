import { describe, expect, it } from 'vitest';
import { checkPassword } from './password-strength.js';

describe('checkPassword', () => {
  it('follows the server: 12 characters at least, not the email, not one character repeated', () => {
    expect(checkPassword('')).toMatchObject({ strength: 'empty', problem: null });
    expect(checkPassword('short pass')).toMatchObject({ strength: 'too-short', problem: 'Use at least 12 characters.' });
    expect(checkPassword('aaaaaaaaaaaaaa').problem).toBe('This password is too common. Choose another one.');
    expect(checkPassword('jane.doe@example.com!', 'Jane.Doe@example.com').problem).toBe('Do not use your email address as your password.');
    expect(checkPassword('jane.doe2024', 'jane.doe@example.com').problem).toBe('Do not use your email address as your password.');
    expect(checkPassword('x'.repeat(100) + 'y'.repeat(100) + 'z'.repeat(57)).problem).toBe('Use at most 256 characters.');
  });

  it('rates length and variety, and says which hints are met', () => {
    expect(checkPassword('correcthorse').strength).toBe('weak');
    expect(checkPassword('Correcthorse').strength).toBe('fair');
    expect(checkPassword('Correct-Horse-42').strength).toBe('strong');
    expect(checkPassword('correct horse battery staple').strength).toBe('strong');
    const { hints } = checkPassword('correct horse battery staple', 'sam@example.com');
    expect(hints.every((hint) => hint.isMet)).toBe(true);
    expect(checkPassword('abc').hints[0]).toEqual({ text: 'At least 12 characters', isMet: false });
  });
});
