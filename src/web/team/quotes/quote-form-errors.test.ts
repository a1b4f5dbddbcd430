import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api-client.js';
import { quoteErrorsFrom } from './quote-form-errors.js';

const validation = (details: { path: string; message: string }[]) =>
  new ApiError('VALIDATION_FAILED', 'Some fields need a look.', 400, 'r1', details);

describe('quote form errors', () => {
  it('puts a line’s problem on that line’s field, and the others on theirs', () => {
    const errors = quoteErrorsFrom(
      validation([
        { path: 'lines.2.quantity', message: 'must be more than 0' },
        { path: 'lines.0.description', message: 'is required' },
        { path: 'discount.percent', message: 'the discount must be at most 100' },
        { path: 'title', message: 'Enter a title.' },
      ]),
    );
    expect(errors).toEqual({
      fields: { discount: 'The discount must be at most 100.', title: 'Enter a title.' },
      lines: { 2: { quantity: 'Quantity must be more than 0.' }, 0: { description: 'Description is required.' } },
      form: null,
    });
  });

  it('keeps what belongs to no field as a message for the whole form', () => {
    expect(quoteErrorsFrom(validation([{ path: 'lines', message: 'a quote needs at least one line' }])).form).toBe(
      'Some fields need a look. Lines: a quote needs at least one line.',
    );
    expect(quoteErrorsFrom(new ApiError('QUOTE_TOTAL_TOO_LARGE', 'The total is too large.', 400))).toEqual({
      fields: {},
      lines: {},
      form: 'The total is too large.',
    });
    expect(quoteErrorsFrom(new ApiError('QUOTE_NO_RECIPIENTS', 'This client has no active contact to send it to.', 409))).toEqual({
      fields: { recipientContactIds: 'This client has no active contact to send it to.' },
      lines: {},
      form: null,
    });
    expect(quoteErrorsFrom(new Error('boom')).form).toMatch(/went wrong/);
  });
});
