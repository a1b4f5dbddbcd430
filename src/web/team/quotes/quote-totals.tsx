/** Subtotal, discount, tax and total, as the customer reads them (the editor's preview and the quote page). */
export function QuoteTotals({
  subtotal,
  discount,
  tax,
  total,
  money,
  discountLabel = 'Discount',
  isPreview = false,
}: {
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  money: (minor: number) => string;
  discountLabel?: string;
  /** The editor's live figures: announced politely as they change, and said to be a preview. */
  isPreview?: boolean;
}) {
  return (
    <dl className="quote-totals" aria-live={isPreview ? 'polite' : undefined} aria-atomic={isPreview || undefined}>
      <div className="quote-totals__row">
        <dt>Subtotal</dt>
        <dd className="money">{money(subtotal)}</dd>
      </div>
      {discount !== 0 ? (
        <div className="quote-totals__row">
          <dt>{discountLabel}</dt>
          <dd className="money">−{money(Math.abs(discount))}</dd>
        </div>
      ) : null}
      <div className="quote-totals__row">
        <dt>Tax</dt>
        <dd className="money">{money(tax)}</dd>
      </div>
      <div className="quote-totals__row quote-totals__row--total">
        <dt>{isPreview ? 'Total (preview)' : 'Total'}</dt>
        <dd className="money">{money(total)}</dd>
      </div>
    </dl>
  );
}
