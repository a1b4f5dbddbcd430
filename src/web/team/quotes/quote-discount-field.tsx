import { useId } from 'react';
import { FieldError } from '../../shared/form-controls.js';
import type { DiscountDraft } from './quote-lines.js';

const KINDS: readonly { kind: DiscountDraft['kind']; label: string }[] = [
  { kind: 'none', label: 'None' },
  { kind: 'amount', label: 'Amount' },
  { kind: 'percent', label: 'Percent' },
];

/** No discount, an amount off (in the currency), or a percent off; it comes off before tax. */
export function QuoteDiscountField({
  value,
  currency,
  error,
  onChange,
}: {
  value: DiscountDraft;
  currency: string;
  error: string | undefined;
  onChange: (next: DiscountDraft) => void;
}) {
  const id = useId();
  const text = value.kind === 'none' ? '' : value.text;
  return (
    <fieldset className={error ? 'quote-discount field--invalid' : 'quote-discount'} aria-describedby={`${id}-hint`}>
      <legend className="field__label">Discount</legend>
      <p className="field__hint" id={`${id}-hint`}>
        Taken off before tax, shared over the lines.
      </p>
      <div className="choice choice--row">
        {KINDS.map(({ kind, label }) => (
          <label key={kind} className="choice__option">
            <input
              type="radio"
              name={`${id}-kind`}
              checked={value.kind === kind}
              onChange={() => onChange(kind === 'none' ? { kind } : { kind, text })}
            />
            {label}
          </label>
        ))}
      </div>
      {value.kind === 'none' ? null : (
        <div className="quote-discount__amount">
          <label className="field__label" htmlFor={`${id}-value`}>
            {value.kind === 'amount' ? `Amount off (${currency})` : 'Percent off'}
          </label>
          <input
            id={`${id}-value`}
            className="field__input"
            inputMode="decimal"
            autoComplete="off"
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(event) => onChange({ kind: value.kind, text: event.target.value })}
          />
        </div>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </fieldset>
  );
}
