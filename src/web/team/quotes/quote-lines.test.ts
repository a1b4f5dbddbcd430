import { describe, expect, it } from 'vitest';
import {
  moveLine,
  parseDecimalInput,
  parseDiscountDraft,
  parseLineDraft,
  previewQuote,
  lineDraftOf,
  type LineDraft,
} from './quote-lines.js';

const USD = { currency: 'USD', locale: 'en-US' };
const EUR_DE = { currency: 'EUR', locale: 'de-DE' };
const line = (over: Partial<LineDraft> = {}): LineDraft => ({
  key: 'k',
  description: 'Replace the cartridge',
  quantity: '1',
  unitPrice: '10',
  taxRatePercent: '',
  ...over,
});

describe('quote line input', () => {
  it('reads quantities and rates with the locale’s decimal mark into exact text with a point', () => {
    expect(parseDecimalInput('1,5', 'de-DE', 1_000_000)).toEqual({ ok: true, value: '1.5' });
    expect(parseDecimalInput('1.5', 'de-DE', 1_000_000)).toEqual({ ok: true, value: '1.5' });
    expect(parseDecimalInput('.25', 'en-US', 100)).toEqual({ ok: true, value: '0.25' });
    expect(parseDecimalInput('007.500', 'en-US', 100)).toEqual({ ok: true, value: '7.5' });
    expect(parseDecimalInput('2.125', 'en-US', 100)).toEqual({ ok: true, value: '2.125' });
    expect(parseDecimalInput('2.1255', 'en-US', 100)).toEqual({ ok: false, error: 'Use at most 3 decimals.' });
    expect(parseDecimalInput('101', 'en-US', 100)).toEqual({ ok: false, error: 'Must be at most 100.' });
    expect(parseDecimalInput('-1', 'en-US', 100)).toEqual({ ok: false, error: 'Cannot be negative.' });
    expect(parseDecimalInput('abc', 'en-US', 100)).toEqual({ ok: false, error: 'Enter a number.' });
    expect(parseDecimalInput('', 'en-US', 100)).toEqual({ ok: false, error: 'Enter a number.' });
  });

  it('turns a typed line into the API’s input: price in minor units of the currency, tax optional', () => {
    expect(parseLineDraft(line({ quantity: '2,5', unitPrice: '1.234,50', taxRatePercent: '19' }), EUR_DE)).toEqual({
      ok: true,
      line: { description: 'Replace the cartridge', quantity: '2.5', unitPrice: 123_450, taxRatePercent: '19' },
    });
    expect(parseLineDraft(line({ unitPrice: '4500' }), { currency: 'JPY', locale: 'ja-JP' })).toEqual({
      ok: true,
      line: { description: 'Replace the cartridge', quantity: '1', unitPrice: 4500, taxRatePercent: null },
    });
    // BHD has 3 decimals by ISO 4217.
    expect(parseLineDraft(line({ unitPrice: '1.5' }), { currency: 'BHD', locale: 'en' })).toMatchObject({
      ok: true,
      line: { unitPrice: 1500 },
    });
  });

  it('names every field that does not read', () => {
    expect(parseLineDraft(line({ description: ' ', quantity: '0', unitPrice: '', taxRatePercent: '120' }), USD)).toEqual({
      ok: false,
      errors: {
        description: 'Describe the work or the item.',
        quantity: 'Must be more than 0.',
        unitPrice: 'Enter a price (0 for free).',
        taxRatePercent: 'Must be at most 100.',
      },
    });
    expect(parseLineDraft(line({ unitPrice: '10.555' }), USD)).toEqual({
      ok: false,
      errors: { unitPrice: 'Use at most 2 decimal places for USD.' },
    });
    expect(parseLineDraft(line({ unitPrice: '-3' }), USD)).toEqual({ ok: false, errors: { unitPrice: 'A price cannot be negative.' } });
  });

  it('reads a discount as none, an amount in minor units, or a percent', () => {
    expect(parseDiscountDraft({ kind: 'none' }, USD)).toEqual({ ok: true, discount: null });
    expect(parseDiscountDraft({ kind: 'amount', text: '25.5' }, USD)).toEqual({ ok: true, discount: { kind: 'amount', amount: 2550 } });
    expect(parseDiscountDraft({ kind: 'percent', text: '12,5' }, EUR_DE)).toEqual({
      ok: true,
      discount: { kind: 'percent', percent: '12.5' },
    });
    expect(parseDiscountDraft({ kind: 'amount', text: '' }, USD)).toEqual({ ok: false, error: 'Enter the amount to take off.' });
    expect(parseDiscountDraft({ kind: 'percent', text: '150' }, USD)).toEqual({ ok: false, error: 'Must be at most 100.' });
  });

  it('previews the totals by the server’s rule, leaving out lines that do not read yet', () => {
    const preview = previewQuote(
      [
        line({ quantity: '2', unitPrice: '100', taxRatePercent: '10' }),
        line({ quantity: '1.5', unitPrice: '33.33' }),
        line({ description: '' }),
      ],
      { kind: 'percent', text: '10' },
      USD,
    );
    // nets 20000 and 5000 (4999.5 rounds away from zero); 10 % off = 2500, shared 2000 / 500; tax 10 % of 18000.
    expect(preview.lines).toEqual([{ net: 20_000, tax: 1_800 }, { net: 5_000, tax: 0 }, null]);
    expect(preview).toMatchObject({ subtotal: 25_000, discount: 2_500, tax: 1_800, total: 24_300, isTooLarge: false });
  });

  it('says when the total passes what a quote may hold', () => {
    const huge = Array.from({ length: 3 }, () => line({ quantity: '1000000', unitPrice: '999999999' }));
    expect(previewQuote(huge, { kind: 'none' }, USD).isTooLarge).toBe(true);
  });

  it('shows a stored line back in the locale', () => {
    const draft = lineDraftOf({ description: 'Visit', quantity: '1.5', unitPrice: 123_450, taxRatePercent: '8.25' }, EUR_DE);
    expect(draft).toMatchObject({ description: 'Visit', quantity: '1,5', unitPrice: '1234,50', taxRatePercent: '8,25' });
  });

  it('moves a line up or down, and not past either end', () => {
    expect(moveLine(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveLine(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moveLine(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveLine(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
