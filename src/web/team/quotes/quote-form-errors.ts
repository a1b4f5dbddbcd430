import { ApiError, messageOf } from '../../shared/api-client.js';
import type { LineErrors, LineField } from './quote-lines.js';

/** The editor's fields outside the lines, as the API names them. */
export type QuoteField = 'clientId' | 'ticketId' | 'title' | 'discount' | 'validUntil' | 'terms' | 'recipientContactIds';

export const QUOTE_FIELD_LABELS: Readonly<Record<QuoteField, string>> = {
  clientId: 'Client',
  ticketId: 'Ticket',
  title: 'Title',
  discount: 'Discount',
  validUntil: 'Valid until',
  terms: 'Terms',
  recipientContactIds: 'Recipients',
};

const LINE_LABELS: Readonly<Record<LineField, string>> = {
  description: 'Description',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  taxRatePercent: 'Tax rate',
};

export interface QuoteFormErrors {
  readonly fields: Partial<Record<QuoteField, string>>;
  /** By line index. */
  readonly lines: Readonly<Record<number, LineErrors>>;
  readonly form: string | null;
}

/** Codes that are about one field: the server's sentence goes there. */
const FIELD_OF_CODE: Readonly<Record<string, QuoteField>> = {
  CLIENT_NOT_FOUND: 'clientId',
  TICKET_NOT_FOUND: 'ticketId',
  CONTACT_NOT_FOUND: 'recipientContactIds',
  QUOTE_NO_RECIPIENTS: 'recipientContactIds',
};

/**
 * Spreads a failed save over the editor: `VALIDATION_FAILED` details with paths like
 * `lines.2.quantity` go to that line's field, `discount.percent` to the discount, `title` to the
 * title; a whole-array problem (`lines`: "a quote needs at least one line") and every other code
 * (QUOTE_TOTAL_TOO_LARGE, a 400) is a message for the whole form, so nothing the server says is lost.
 */
export function quoteErrorsFrom(error: unknown): QuoteFormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, lines: {}, form: messageOf(error) };
  const codeField = FIELD_OF_CODE[error.code];
  if (codeField) return { fields: { [codeField]: error.message }, lines: {}, form: null };
  const fields: Partial<Record<QuoteField, string>> = {};
  const lines: Record<number, LineErrors> = {};
  const unmatched: string[] = [];
  for (const detail of error.details) {
    const [head, second, third] = detail.path.split('.');
    const index = Number(second);
    if (head === 'lines' && Number.isInteger(index) && third && third in LINE_LABELS) {
      const field = third as LineField;
      const line = (lines[index] ??= {});
      line[field] ??= sentenceOf(LINE_LABELS[field], detail.message);
    } else if (head && head !== 'lines' && head in QUOTE_FIELD_LABELS) {
      const field = head as QuoteField;
      fields[field] ??= sentenceOf(QUOTE_FIELD_LABELS[field], detail.message);
    } else {
      unmatched.push(sentenceOf(head === 'lines' ? 'Lines:' : `${detail.path}:`, detail.message));
    }
  }
  const matchedAny = Object.keys(fields).length > 0 || Object.keys(lines).length > 0;
  if (unmatched.length > 0) return { fields, lines, form: `${error.message} ${unmatched.join(' ')}` };
  return { fields, lines, form: matchedAny ? null : error.message };
}

/**
 * "is required" reads after the label; "the discount must be at most 100" names its field itself;
 * a whole sentence from the server is kept as it is.
 */
function sentenceOf(label: string, message: string): string {
  if (/^[A-Z]/.test(message)) return message;
  if (/^the /.test(message)) return `T${message.slice(1)}.`;
  return `${label} ${message}.`;
}
