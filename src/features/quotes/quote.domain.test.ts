import { describe, expect, it } from 'vitest';
import {
  canQuote,
  computeQuote,
  dateIn,
  divideRounded,
  lapsesAt,
  minorUnitsOf,
  QUOTE_LIMITS,
  QUOTE_STATUSES,
  QUOTE_TRANSITIONS,
  QuoteTotalTooLarge,
  quoteNumberText,
  refusalOf,
  thousandthsOf,
  type QuoteAction,
  type QuoteLineInput,
  type QuoteRefusal,
  type QuoteStatus,
} from './quote.domain.js';

/**
 * The rounding rule of quote.domain.ts, with every expected value worked out by hand in the
 * comments (never copied from a run): half away from zero per line, then summed; the discount
 * before tax, shared by largest remainder; tax per line on the discounted net.
 */

/**
 * A line's discount share is a plain number in JSON; in memory a line without a share comes back
 * as −0 (`-Number(0n)`), which JSON writes as 0. Compare what the customer reads.
 */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const line = (quantity: string, unitPrice: number, taxRatePercent: string | null = null): QuoteLineInput => ({
  description: `${quantity} × ${unitPrice}`,
  quantity,
  unitPrice,
  taxRatePercent,
});

describe('computeQuote: each line rounded half away from zero, then summed', () => {
  it('rounds half a minor unit up and anything below it down', () => {
    // 1.5 × 1 = 1.5 → 2 · 0.5 × 1 = 0.5 → 1 · 0.499 × 1 = 0.499 → 0 · 0.001 × 500 = 0.5 → 1 · 0.001 × 499 = 0.499 → 0
    const q = computeQuote([line('1.5', 1), line('0.5', 1), line('0.499', 1), line('0.001', 500), line('0.001', 499)], null);
    expect(q.lines.map((l) => l.net)).toEqual([2, 1, 0, 1, 0]);
    // 2 + 1 + 0 + 1 + 0
    expect(q).toMatchObject({ subtotal: 4, discount: 0, tax: 0, total: 4 });
  });

  it('rounds per line, not the sum: two half units make 2, not 1', () => {
    // Each 0.5 × 1 = 0.5 → 1; summing first would give 1.0 → 1.
    expect(computeQuote([line('0.5', 1), line('0.5', 1)], null).subtotal).toBe(2);
  });

  it('multiplies a quantity with three decimals exactly', () => {
    // 2.345 × 1999 = 4687.655 → 4688 · 3 × 33 = 99 · 0.125 × 4 = 0.5 → 1
    const q = computeQuote([line('2.345', 1999), line('3', 33), line('0.125', 4)], null);
    expect(q.lines.map((l) => l.net)).toEqual([4688, 99, 1]);
    expect(q.total).toBe(4688 + 99 + 1);
  });

  it('keeps what was entered on each line next to what it computed', () => {
    const q = computeQuote([line('1.25', 800, '20')], null);
    // 1.25 × 800 = 1000; 20 % of 1000 = 200
    expect(json(q.lines)).toEqual([
      { description: '1.25 × 800', quantity: '1.25', unitPrice: 800, taxRatePercent: '20', net: 1000, discount: 0, tax: 200 },
    ]);
    expect(q).toMatchObject({ subtotal: 1000, discount: 0, tax: 200, total: 1200 });
  });

  it('divideRounded rounds halves away from zero on both sides of it', () => {
    // 3/2 = 1.5 → 2 · −3/2 = −1.5 → −2 · 5/4 = 1.25 → 1 · −5/4 → −1 · 7/4 = 1.75 → 2 · 0/7 = 0
    expect([
      divideRounded(3n, 2n),
      divideRounded(-3n, 2n),
      divideRounded(5n, 4n),
      divideRounded(-5n, 4n),
      divideRounded(7n, 4n),
      divideRounded(0n, 7n),
    ]).toEqual([2n, -2n, 1n, -1n, 2n, 0n]);
  });
});

describe('computeQuote: the discount comes off before tax', () => {
  it('an amount larger than the subtotal is capped at the subtotal, and nothing is left to tax', () => {
    // net 10 × 100 = 1000; discount 5000 → 1000; tax 10 % of (1000 − 1000) = 0; total 0
    const q = computeQuote([line('10', 100, '10')], { kind: 'amount', amount: 5000 });
    expect(q).toMatchObject({ subtotal: 1000, discount: 1000, tax: 0, total: 0 });
    expect(q.lines[0]).toMatchObject({ net: 1000, discount: -1000, tax: 0 });
  });

  it('an amount equal to the subtotal, and one just below it, are taken as they are', () => {
    expect(computeQuote([line('1', 1000)], { kind: 'amount', amount: 1000 })).toMatchObject({ discount: 1000, total: 0 });
    expect(computeQuote([line('1', 1000)], { kind: 'amount', amount: 999 })).toMatchObject({ discount: 999, total: 1 });
  });

  it('a percent discount is rounded half away from zero', () => {
    // 999 × 12.5 % = 124.875 → 125; total 999 − 125 = 874
    expect(computeQuote([line('1', 999)], { kind: 'percent', percent: '12.5' })).toMatchObject({
      subtotal: 999,
      discount: 125,
      total: 874,
    });
    // 1 × 50 % = 0.5 → 1; total 0
    expect(computeQuote([line('1', 1)], { kind: 'percent', percent: '50' })).toMatchObject({ discount: 1, total: 0 });
    // 100 × 33.333 % = 33.333 → 33
    expect(computeQuote([line('1', 100)], { kind: 'percent', percent: '33.333' })).toMatchObject({ discount: 33, total: 67 });
    // 1000 × 0.05 % = 0.5 → 1 ; 1000 × 0.049 % = 0.49 → 0
    expect(computeQuote([line('1', 1000)], { kind: 'percent', percent: '0.05' }).discount).toBe(1);
    expect(computeQuote([line('1', 1000)], { kind: 'percent', percent: '0.049' }).discount).toBe(0);
    // 100 % of anything is all of it
    expect(computeQuote([line('3', 333, '20')], { kind: 'percent', percent: '100' })).toMatchObject({
      subtotal: 999,
      discount: 999,
      tax: 0,
      total: 0,
    });
  });

  it('shares the discount among the lines by largest remainder, adding up exactly', () => {
    // nets 300, 200, 500 (sum 1000); discount 7 → exact shares 2.1, 1.4, 3.5 → floors 2, 1, 3 (6);
    // the one left over goes to the largest remainder, 0.5 (the third line) → 2, 1, 4.
    const q = computeQuote([line('1', 300), line('1', 200), line('1', 500)], { kind: 'amount', amount: 7 });
    expect(q.lines.map((l) => l.discount)).toEqual([-2, -1, -4]);
    expect(q).toMatchObject({ subtotal: 1000, discount: 7, tax: 0, total: 993 });
  });

  it('gives a tied remainder to the earlier line', () => {
    // nets 100, 100, 100; discount 100 → 33⅓ each → floors 33 (99); one left, the remainders tie → the first line.
    const three = computeQuote([line('1', 100), line('1', 100), line('1', 100)], { kind: 'amount', amount: 100 });
    expect(three.lines.map((l) => l.discount)).toEqual([-34, -33, -33]);
    // nets 100 × 4 … discount 2 → 0.5 each → floors 0; two left, four tied remainders → the first two lines.
    const four = computeQuote([line('1', 100), line('1', 100), line('1', 100), line('1', 100)], { kind: 'amount', amount: 2 });
    expect(json(four.lines.map((l) => l.discount))).toEqual([-1, -1, 0, 0]);
  });

  it('shares nothing to a line with a zero net, and nothing at all when the subtotal is 0', () => {
    // nets 0, 10; discount 5 → 0, 5
    expect(json(computeQuote([line('1', 0), line('1', 10)], { kind: 'amount', amount: 5 }).lines.map((l) => l.discount))).toEqual([0, -5]);
    const free = computeQuote([line('1', 0)], { kind: 'amount', amount: 5 });
    expect(free).toMatchObject({ subtotal: 0, discount: 0, total: 0 });
    expect(json(free.lines[0]!.discount)).toBe(0);
  });

  it('taxes each line on its net less its share, rounded per line', () => {
    // nets 300, 200, 500; discount 7 shared 2, 1, 4 (above) → taxed bases 298, 199, 496
    // 298 × 10 % = 29.8 → 30 · 199 × 8.25 % = 16.4175 → 16 · no tax → 0 · tax 46
    const q = computeQuote([line('1', 300, '10'), line('1', 200, '8.25'), line('1', 500, null)], { kind: 'amount', amount: 7 });
    expect(q.lines.map((l) => [l.net, l.discount, l.tax])).toEqual([
      [300, -2, 30],
      [200, -1, 16],
      [500, -4, 0],
    ]);
    // 1000 − 7 + 46
    expect(q).toMatchObject({ subtotal: 1000, discount: 7, tax: 46, total: 1039 });
  });

  it('rounds a half unit of tax away from zero on each line', () => {
    // 10 × 5 % = 0.5 → 1, twice: tax 2 (taxing the 20 subtotal at once would also give 1.0 → 1)
    const q = computeQuote([line('1', 10, '5'), line('1', 10, '5')], null);
    expect(q.lines.map((l) => l.tax)).toEqual([1, 1]);
    expect(q).toMatchObject({ subtotal: 20, tax: 2, total: 22 });
    // 9 × 5 % = 0.45 → 0; 0 % → 0; 1 × 0.001 % → 0
    expect(computeQuote([line('1', 9, '5'), line('1', 1000, '0'), line('1', 1, '0.001')], null).tax).toBe(0);
  });
});

describe('computeQuote in currencies with 0, 2 and 3 decimals', () => {
  it('knows the minor unit of each currency (ISO 4217), 2 by default', () => {
    expect([minorUnitsOf('JPY'), minorUnitsOf('USD'), minorUnitsOf('BHD'), minorUnitsOf('EUR'), minorUnitsOf('KWD')]).toEqual([
      0, 2, 3, 2, 3,
    ]);
    expect([minorUnitsOf('jpy'), minorUnitsOf('bhd'), minorUnitsOf('XYZ')]).toEqual([0, 3, 2]);
  });

  it('JPY: whole yen', () => {
    // 3 × ¥1,234 = ¥3,702; 10 % = 370.2 → ¥370; total ¥4,072
    // 0.5 × ¥3 = 1.5 → ¥2; 8 % of 2 = 0.16 → ¥0
    const q = computeQuote([line('3', 1234, '10'), line('0.5', 3, '8')], null);
    expect(q.lines.map((l) => [l.net, l.tax])).toEqual([
      [3702, 370],
      [2, 0],
    ]);
    expect(q).toMatchObject({ subtotal: 3704, discount: 0, tax: 370, total: 4074 });
  });

  it('USD: cents', () => {
    // 2.5 h × $85.99 = 21,497.5 ¢ → 21,498 ¢; 8.875 % = 1,907.9475 → 1,908 ¢; total 23,406 ¢
    const q = computeQuote([line('2.5', 8599, '8.875')], null);
    expect(q).toMatchObject({ subtotal: 21_498, discount: 0, tax: 1908, total: 23_406 });
    // with 10 % off: 2,149.8 → 2,150 ¢; base 19,348 ¢ × 8.875 % = 1,717.135 → 1,717 ¢; total 21,498 − 2,150 + 1,717 = 21,065 ¢
    const off = computeQuote([line('2.5', 8599, '8.875')], { kind: 'percent', percent: '10' });
    expect(off).toMatchObject({ subtotal: 21_498, discount: 2150, tax: 1717, total: 21_065 });
  });

  it('BHD: fils (three decimals)', () => {
    // 1.25 × BHD 12.345 = 15.43125 → 15.431 (15,431 fils); 10 % = 1,543.1 → 1,543 fils; total 16,974 fils
    const q = computeQuote([line('1.25', 12_345, '10')], null);
    expect(q).toMatchObject({ subtotal: 15_431, discount: 0, tax: 1543, total: 16_974 });
  });
});

describe('computeQuote refuses totals past QUOTE_LIMITS.maxTotal', () => {
  it('throws QuoteTotalTooLarge when the subtotal passes it', () => {
    // 1000 × 10^11 = 10^14 > 10^13
    expect(() => computeQuote([line('1000', QUOTE_LIMITS.maxUnitPrice)], null)).toThrow(QuoteTotalTooLarge);
    // 100.001 × 10^11 = 10^13 + 10^8
    expect(() => computeQuote([line('100.001', QUOTE_LIMITS.maxUnitPrice)], null)).toThrow(QuoteTotalTooLarge);
  });

  it('accepts exactly the limit, and throws when the tax carries the total past it', () => {
    // 100 × 10^11 = 10^13 exactly
    expect(computeQuote([line('100', QUOTE_LIMITS.maxUnitPrice)], null).total).toBe(QUOTE_LIMITS.maxTotal);
    // 10^13 + 0.001 % of it (10^8)
    expect(() => computeQuote([line('100', QUOTE_LIMITS.maxUnitPrice, '0.001')], null)).toThrow(QuoteTotalTooLarge);
    // a discount brings the total back under: 10^13 − 10^8 + 0.001 % of (10^13 − 10^8) (99,999,000) < 10^13
    expect(() => computeQuote([line('100', QUOTE_LIMITS.maxUnitPrice, '0.001')], { kind: 'amount', amount: 100_000_000 })).not.toThrow();
  });

  it('throws for many lines that each fit but whose sum does not', () => {
    // 200 lines of 1 × 10^11 = 2 × 10^13
    const lines = Array.from({ length: 200 }, () => line('1', QUOTE_LIMITS.maxUnitPrice));
    expect(() => computeQuote(lines, null)).toThrow(QuoteTotalTooLarge);
  });
});

describe('thousandthsOf', () => {
  it('reads plain decimal text with up to three decimals', () => {
    expect([
      thousandthsOf('1.5'),
      thousandthsOf('0.001'),
      thousandthsOf('12'),
      thousandthsOf('8.25'),
      thousandthsOf(' 2.250 '),
      thousandthsOf('0'),
    ]).toEqual([1500n, 1n, 12_000n, 8250n, 2250n, 0n]);
  });

  it.each(['', ' ', '-1', '+1', '1.2345', '1e3', '1,5', '.5', '5.', 'abc', '0x10', 'NaN', 'Infinity', '1 000', '١٢'])(
    'rejects %j',
    (bad) => {
      expect(() => thousandthsOf(bad)).toThrow(RangeError);
    },
  );
});

describe('the status machine', () => {
  type Expected = 'ok' | QuoteRefusal;
  const S = QUOTE_STATUSES;
  // Columns in the order of QUOTE_STATUSES: draft, sent, changes_requested, accepted, declined, expired, withdrawn.
  const OPEN_ONLY: Expected[] = [
    'QUOTE_NOT_SENT',
    'ok',
    'ok',
    'QUOTE_ALREADY_DECIDED',
    'QUOTE_ALREADY_DECIDED',
    'QUOTE_EXPIRED',
    'QUOTE_WITHDRAWN',
  ];
  const TABLE: Record<QuoteAction, Expected[]> = {
    // A sent quote is revised rather than edited (the service never asks `edit` of one); the rule falls through to NOT_SENT.
    edit: ['ok', 'QUOTE_NOT_SENT', 'QUOTE_NOT_SENT', 'QUOTE_NOT_EDITABLE', 'QUOTE_NOT_EDITABLE', 'QUOTE_EXPIRED', 'QUOTE_WITHDRAWN'],
    revise: ['QUOTE_NOT_SENT', 'ok', 'ok', 'QUOTE_NOT_EDITABLE', 'QUOTE_NOT_EDITABLE', 'QUOTE_EXPIRED', 'QUOTE_WITHDRAWN'],
    send: [
      'ok',
      'QUOTE_ALREADY_SENT',
      'QUOTE_ALREADY_SENT',
      'QUOTE_ALREADY_DECIDED',
      'QUOTE_ALREADY_DECIDED',
      'QUOTE_EXPIRED',
      'QUOTE_WITHDRAWN',
    ],
    withdraw: OPEN_ONLY,
    accept: OPEN_ONLY,
    decline: OPEN_ONLY,
    request_changes: OPEN_ONLY,
    expire: OPEN_ONLY,
  };

  it('covers every action and every status', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(QUOTE_TRANSITIONS).sort());
    expect(S).toEqual(['draft', 'sent', 'changes_requested', 'accepted', 'declined', 'expired', 'withdrawn']);
  });

  const cases = (Object.keys(TABLE) as QuoteAction[]).flatMap((action) =>
    S.map((status, i) => ({ action, status: status as QuoteStatus, expected: TABLE[action][i]! })),
  );

  it.each(cases)('$action from $status → $expected', ({ action, status, expected }) => {
    expect(canQuote(action, status)).toBe(expected === 'ok');
    // refusalOf is only asked when canQuote says no.
    expect(expected === 'ok' ? 'ok' : refusalOf(action, status)).toBe(expected);
  });

  it('names quotes Q-n', () => {
    expect([quoteNumberText(1), quoteNumberText(12), quoteNumberText(1040)]).toEqual(['Q-1', 'Q-12', 'Q-1040']);
  });
});

describe('lapsesAt: the start of the day after the valid-until date, in the organisation’s zone', () => {
  it.each([
    // UTC: the next midnight, across a month and a year
    ['2026-05-12', 'UTC', '2026-05-13T00:00:00.000Z'],
    ['2026-02-28', 'UTC', '2026-03-01T00:00:00.000Z'],
    ['2026-12-31', 'UTC', '2027-01-01T00:00:00.000Z'],
    // New York springs forward on Sunday 2026-03-08 at 02:00 EST → 03:00 EDT.
    // Valid until the 7th: ends 2026-03-08 00:00 EST (UTC−5) = 05:00Z.
    ['2026-03-07', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    // Valid until the 8th: ends 2026-03-09 00:00 EDT (UTC−4) = 04:00Z (a 23-hour day).
    ['2026-03-08', 'America/New_York', '2026-03-09T04:00:00.000Z'],
    // New York falls back on Sunday 2026-11-01 at 02:00 EDT → 01:00 EST.
    // Valid until 31 October: ends 2026-11-01 00:00 EDT = 04:00Z.
    ['2026-10-31', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    // Valid until 1 November: ends 2026-11-02 00:00 EST = 05:00Z (a 25-hour day).
    ['2026-11-01', 'America/New_York', '2026-11-02T05:00:00.000Z'],
    // Auckland: NZDT (UTC+13) ends Sunday 2026-04-05 at 03:00 → 02:00 NZST (UTC+12).
    // Valid until 4 April: ends 2026-04-05 00:00 NZDT = 2026-04-04 11:00Z.
    ['2026-04-04', 'Pacific/Auckland', '2026-04-04T11:00:00.000Z'],
    // Valid until 5 April: ends 2026-04-06 00:00 NZST = 2026-04-05 12:00Z.
    ['2026-04-05', 'Pacific/Auckland', '2026-04-05T12:00:00.000Z'],
    // NZDT starts Sunday 2026-09-27 at 02:00 NZST → 03:00. Valid until the 26th: ends 27th 00:00 NZST = 26th 12:00Z.
    ['2026-09-26', 'Pacific/Auckland', '2026-09-26T12:00:00.000Z'],
    // Valid until the 27th: ends the 28th 00:00 NZDT = 27th 11:00Z.
    ['2026-09-27', 'Pacific/Auckland', '2026-09-27T11:00:00.000Z'],
    // Winter, no change near: 2026-07-01 00:00 NZST = 2026-06-30 12:00Z.
    ['2026-06-30', 'Pacific/Auckland', '2026-06-30T12:00:00.000Z'],
    // Santiago falls back at midnight: Sunday 2026-04-05 00:00 −03 → Saturday 23:00 −04; the Sunday starts once, at 00:00 −04 = 04:00Z.
    ['2026-04-04', 'America/Santiago', '2026-04-05T04:00:00.000Z'],
    // Santiago springs forward at midnight: Sunday 2026-09-06 starts at 01:00 −03 (00:00 never happens) = 04:00Z.
    // A quote valid until Saturday the 5th can be accepted all of that Saturday, i.e. until 04:00Z.
    ['2026-09-05', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
  ])('valid until %s in %s lapses at %s', (date, zone, expected) => {
    expect(lapsesAt(date, zone).toISOString()).toBe(expected);
  });
});

describe('dateIn', () => {
  it.each([
    // 04:59:59Z on 8 March is 23:59:59 EST on the 7th; a second later it is the 8th.
    ['America/New_York', '2026-03-08T04:59:59.000Z', 0, '2026-03-07'],
    ['America/New_York', '2026-03-08T05:00:00.000Z', 0, '2026-03-08'],
    // 11:00Z on 24 November is midnight NZDT on the 25th in Auckland; 10:59:59Z is still the 24th.
    ['Pacific/Auckland', '2026-11-24T11:00:00.000Z', 0, '2026-11-25'],
    ['Pacific/Auckland', '2026-11-24T10:59:59.000Z', 0, '2026-11-24'],
    ['UTC', '2026-11-24T09:00:00.000Z', 0, '2026-11-24'],
    // days later, across months and years: 31 Jan + 30 = 2 March (2026 is not a leap year)
    ['UTC', '2026-01-31T12:00:00.000Z', 30, '2026-03-02'],
    ['UTC', '2026-12-31T12:00:00.000Z', 1, '2027-01-01'],
    ['UTC', '2026-03-01T12:00:00.000Z', -1, '2026-02-28'],
    // 30 days from 24 November in Auckland (already the 25th there): 25 Nov + 30 = 25 Dec
    ['Pacific/Auckland', '2026-11-24T12:00:00.000Z', 30, '2026-12-25'],
  ])('in %s at %s, %i days later, is %s', (zone, at, days, expected) => {
    expect(dateIn(zone, new Date(at), days)).toBe(expected);
  });

  it('a quote valid until today, made now, lapses after now and at most a day later', () => {
    const now = new Date('2026-03-08T15:00:00.000Z');
    const end = lapsesAt(dateIn('America/New_York', now), 'America/New_York');
    // today in New York is 8 March (10:00 EDT); it ends 9 March 00:00 EDT = 04:00Z
    expect(end.toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });
});
