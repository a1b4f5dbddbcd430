import { describe, expect, it } from 'vitest';
import { formatMoneyInput, minorDigitsOf, parseMoneyInput } from './money-input.js';

describe('money input', () => {
  it('reads major units into minor units with the currency’s own decimals', () => {
    expect(minorDigitsOf('USD')).toBe(2);
    expect(minorDigitsOf('JPY')).toBe(0);
    expect(minorDigitsOf('KWD')).toBe(3);
    expect(parseMoneyInput('125', 'USD', 'en-US')).toEqual({ ok: true, minor: 12_500 });
    expect(parseMoneyInput('125.5', 'USD', 'en-US')).toEqual({ ok: true, minor: 12_550 });
    expect(parseMoneyInput(' 1,250.05 ', 'USD', 'en-US')).toEqual({ ok: true, minor: 125_005 });
    expect(parseMoneyInput('.99', 'USD', 'en-US')).toEqual({ ok: true, minor: 99 });
    expect(parseMoneyInput('4500', 'JPY', 'ja-JP')).toEqual({ ok: true, minor: 4_500 });
    expect(parseMoneyInput('1.5', 'KWD', 'en')).toEqual({ ok: true, minor: 1_500 });
    expect(parseMoneyInput('', 'USD', 'en-US')).toEqual({ ok: true, minor: null });
  });

  it('follows the locale’s decimal mark, and takes a point where a comma is meant', () => {
    expect(parseMoneyInput('1.250,50', 'EUR', 'de-DE')).toEqual({ ok: true, minor: 125_050 });
    expect(parseMoneyInput('12,5', 'EUR', 'de-DE')).toEqual({ ok: true, minor: 1_250 });
    expect(parseMoneyInput('1 250,50', 'EUR', 'fr-FR')).toEqual({ ok: true, minor: 125_050 });
    expect(parseMoneyInput('12.50', 'EUR', 'fr-FR')).toEqual({ ok: true, minor: 1_250 });
  });

  it('refuses what is not an amount, too many decimals, negatives and huge sums', () => {
    expect(parseMoneyInput('12.345', 'USD', 'en-US')).toEqual({ ok: false, error: 'Use at most 2 decimal places for USD.' });
    expect(parseMoneyInput('10.5', 'JPY', 'en-US')).toEqual({ ok: false, error: 'JPY amounts have no decimals.' });
    expect(parseMoneyInput('-5', 'USD', 'en-US')).toEqual({ ok: false, error: 'A charge cannot be negative.' });
    expect(parseMoneyInput('abc', 'USD', 'en-US')).toEqual({ ok: false, error: 'Enter an amount like 125.50.' });
    expect(parseMoneyInput('1.2.3', 'USD', 'en-US').ok).toBe(false);
    expect(parseMoneyInput('99999999999', 'USD', 'en-US')).toEqual({ ok: false, error: 'That amount is too large.' });
  });

  it('shows minor units back in the input without grouping', () => {
    expect(formatMoneyInput(125_005, 'USD', 'en-US')).toBe('1250.05');
    expect(formatMoneyInput(125_050, 'EUR', 'de-DE')).toBe('1250,50');
    expect(formatMoneyInput(4_500, 'JPY', 'ja-JP')).toBe('4500');
  });
});
