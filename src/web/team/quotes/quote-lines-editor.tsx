import { useEffect, useState, type KeyboardEvent } from 'react';
import { FieldError } from '../../shared/form-controls.js';
import { QUOTE_LIMITS } from '../../../features/quotes/quote.schemas.js';
import { emptyLine, moveLine, type LineDraft, type LineErrors, type LineField, type QuotePreview } from './quote-lines.js';

type Focus = { key: string; control: LineField | 'up' | 'down' | 'remove' } | { key: 'add'; control: 'add' };

const controlId = (idBase: string, key: string, control: string) => `${idBase}-${key}-${control}`;

/**
 * The quote's lines: description, quantity, unit price (in the currency's major units), tax rate
 * and the live amount. A table-like grid on a wide screen, a card per line on a phone (the labels
 * show there). Every action is a real button; Alt+↑/↓ inside a line moves it, and the focus stays
 * with the line (or goes to the next one after a removal).
 */
export function QuoteLinesEditor({
  idBase,
  lines,
  errors,
  preview,
  currency,
  money,
  onChange,
  onAnnounce,
}: {
  idBase: string;
  lines: readonly LineDraft[];
  errors: Readonly<Record<number, LineErrors>>;
  preview: QuotePreview;
  currency: string;
  money: (minor: number) => string;
  onChange: (lines: LineDraft[]) => void;
  onAnnounce: (text: string) => void;
}) {
  const [focus, setFocus] = useState<Focus | null>(null);
  useEffect(() => {
    if (!focus) return;
    const id = focus.key === 'add' ? `${idBase}-add` : controlId(idBase, focus.key, focus.control);
    document.getElementById(id)?.focus();
    setFocus(null);
  }, [focus, idBase]);

  const update = (index: number, field: LineField, value: string) =>
    onChange(lines.map((line, i) => (i === index ? { ...line, [field]: value } : line)));
  const move = (index: number, step: -1 | 1, control: 'up' | 'down' | LineField) => {
    const target = index + step;
    if (target < 0 || target >= lines.length) return;
    const line = lines[index]!;
    onChange(moveLine(lines, index, step));
    // At the top or bottom the button it was on no longer applies: the other one takes the focus.
    const landsAtEdge = (step === -1 && target === 0) || (step === 1 && target === lines.length - 1);
    const next = control === 'up' || control === 'down' ? (landsAtEdge ? (control === 'up' ? 'down' : 'up') : control) : control;
    setFocus({ key: line.key, control: next });
    onAnnounce(`Line moved to position ${target + 1} of ${lines.length}.`);
  };
  const remove = (index: number) => {
    const next = lines.filter((_, i) => i !== index);
    onChange(next);
    const neighbour = next[index] ?? next[index - 1];
    setFocus(neighbour ? { key: neighbour.key, control: 'description' } : { key: 'add', control: 'add' });
    onAnnounce(`Line ${index + 1} removed.`);
  };
  const add = () => {
    const line = emptyLine();
    onChange([...lines, line]);
    setFocus({ key: line.key, control: 'description' });
  };
  const onLineKeyDown = (index: number, event: KeyboardEvent<HTMLFieldSetElement>) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    const control = (event.target as HTMLElement).dataset.control as LineField | 'up' | 'down' | 'remove' | undefined;
    if (!control || control === 'remove') return;
    event.preventDefault();
    move(index, event.key === 'ArrowUp' ? -1 : 1, control);
  };

  return (
    <div className="quote-lines">
      <div className="quote-lines__head" aria-hidden="true">
        <span>Description</span>
        <span>Qty</span>
        <span>Unit price ({currency})</span>
        <span>Tax %</span>
        <span className="quote-lines__amount-head">Amount</span>
        <span />
      </div>
      <ol className="quote-lines__list">
        {lines.map((line, index) => {
          const lineErrors = errors[index] ?? {};
          const computed = preview.lines[index];
          const position = `line ${index + 1}`;
          const input = (field: LineField, label: string, extra: { inputMode?: 'decimal'; className: string; placeholder?: string }) => {
            const id = controlId(idBase, line.key, field);
            const error = lineErrors[field];
            return (
              <div className={`quote-line__field ${extra.className}${error ? ' field--invalid' : ''}`}>
                <label className="quote-line__label" htmlFor={id}>
                  {label}
                  <span className="visually-hidden">, {position}</span>
                </label>
                {field === 'description' ? (
                  <textarea
                    id={id}
                    data-control={field}
                    className="field__input quote-line__description"
                    rows={1}
                    maxLength={2000}
                    value={line[field]}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onChange={(event) => update(index, field, event.target.value)}
                  />
                ) : (
                  <input
                    id={id}
                    data-control={field}
                    className="field__input quote-line__number"
                    inputMode={extra.inputMode}
                    autoComplete="off"
                    placeholder={extra.placeholder}
                    value={line[field]}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onChange={(event) => update(index, field, event.target.value)}
                  />
                )}
                <FieldError id={`${id}-error`} message={error} />
              </div>
            );
          };
          return (
            <li key={line.key} className="quote-line">
              <fieldset className="quote-line__set" onKeyDown={(event) => onLineKeyDown(index, event)}>
                <legend className="quote-line__legend">Line {index + 1}</legend>
                {input('description', 'Description', { className: 'quote-line__cell--description' })}
                {input('quantity', 'Quantity', { inputMode: 'decimal', className: 'quote-line__cell--quantity' })}
                {input('unitPrice', `Unit price (${currency})`, { inputMode: 'decimal', className: 'quote-line__cell--price' })}
                {input('taxRatePercent', 'Tax rate %', { inputMode: 'decimal', className: 'quote-line__cell--tax', placeholder: 'None' })}
                <p className="quote-line__amount" aria-live="off">
                  <span className="quote-line__label">Amount</span>
                  <span className="money">{computed ? money(computed.net) : '—'}</span>
                  {computed && computed.tax !== 0 ? <span className="quote-line__tax">+ {money(computed.tax)} tax</span> : null}
                </p>
                <div className="quote-line__actions">
                  <button
                    type="button"
                    id={controlId(idBase, line.key, 'up')}
                    data-control="up"
                    className="icon-button"
                    hidden={index === 0}
                    onClick={() => move(index, -1, 'up')}
                  >
                    <span aria-hidden="true">↑</span>
                    <span className="visually-hidden">Move {position} up</span>
                  </button>
                  <button
                    type="button"
                    id={controlId(idBase, line.key, 'down')}
                    data-control="down"
                    className="icon-button"
                    hidden={index === lines.length - 1}
                    onClick={() => move(index, 1, 'down')}
                  >
                    <span aria-hidden="true">↓</span>
                    <span className="visually-hidden">Move {position} down</span>
                  </button>
                  <button
                    type="button"
                    id={controlId(idBase, line.key, 'remove')}
                    data-control="remove"
                    className="icon-button icon-button--danger"
                    hidden={lines.length === 1}
                    onClick={() => remove(index)}
                  >
                    <span aria-hidden="true">×</span>
                    <span className="visually-hidden">Remove {position}</span>
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="quote-lines__foot">
        <button
          type="button"
          id={`${idBase}-add`}
          className="button button--secondary button--inline"
          onClick={() => (lines.length < QUOTE_LIMITS.maxLines ? add() : onAnnounce(`A quote has at most ${QUOTE_LIMITS.maxLines} lines.`))}
          aria-disabled={lines.length >= QUOTE_LIMITS.maxLines || undefined}
        >
          Add line
        </button>
        <p className="muted quote-lines__hint">
          <kbd>Alt</kbd> + <kbd>↑</kbd> / <kbd>↓</kbd> moves the line you are in.
        </p>
      </div>
    </div>
  );
}
