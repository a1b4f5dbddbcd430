import { createHash } from 'node:crypto';
import type { QuoteComputed, QuoteDiscountInput } from './quote.domain.js';

/** What a version says, exactly: the content an acceptance signs. */
export interface QuoteVersionContent {
  readonly number: string;
  readonly version: number;
  readonly currency: string;
  readonly title: string;
  readonly computed: QuoteComputed;
  readonly discount: QuoteDiscountInput | null;
  readonly validUntil: string | null;
  readonly terms: string;
  readonly requiresSignature: boolean;
}

/**
 * SHA-256 (hex) of a version's canonical content: a JSON array in a fixed order (no object key
 * order to depend on), numbers as integers and decimals as the text that was entered. The same
 * content always hashes the same, on any machine; any change to what the customer reads changes it.
 */
export function contentSha256Of(content: QuoteVersionContent): string {
  const canonical = JSON.stringify([
    'quote-content/1',
    content.number,
    content.version,
    content.currency,
    content.title,
    content.computed.lines.map((l) => [l.description, l.quantity, l.unitPrice, l.taxRatePercent, l.net, l.discount, l.tax]),
    content.discount === null
      ? null
      : content.discount.kind === 'amount'
        ? ['amount', content.discount.amount]
        : ['percent', content.discount.percent],
    [content.computed.subtotal, content.computed.discount, content.computed.tax, content.computed.total],
    content.validUntil,
    content.terms,
    content.requiresSignature,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
