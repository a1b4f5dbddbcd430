import { useId, type Ref } from 'react';
import { FieldError } from '../../shared/form-controls.js';
import { SignatureDrawPad, type SignaturePadHandle } from './signature-pad.js';

export type SignatureMode = 'draw' | 'type';

const MODES: readonly { value: SignatureMode; label: string }[] = [
  { value: 'draw', label: 'Draw' },
  { value: 'type', label: 'Type your name' },
];

/**
 * The signature of an acceptance: drawn on the pad, or the full name typed (shown in a handwriting
 * style). The two modes are a radio group drawn as a segmented control; the pad stays mounted while
 * the typed mode shows, so switching back keeps the drawing.
 */
export function SignatureField({
  mode,
  onModeChange,
  padRef,
  typed,
  onTypedChange,
  typedRef,
  error,
  onDrawnChange,
}: {
  mode: SignatureMode;
  onModeChange: (mode: SignatureMode) => void;
  padRef: Ref<SignaturePadHandle>;
  typed: string;
  onTypedChange: (typed: string) => void;
  typedRef: Ref<HTMLInputElement>;
  error: string | null;
  onDrawnChange: () => void;
}) {
  const id = useId();
  const errorId = error ? `${id}-error` : null;
  return (
    <fieldset className={error ? 'signature field--invalid' : 'signature'}>
      <legend className="field__label signature__legend">Your signature</legend>
      <div className="segmented" role="radiogroup" aria-label="How to sign">
        {MODES.map((option) => (
          <label key={option.value} className="segmented__option">
            <input
              type="radio"
              className="segmented__input"
              name={`${id}-mode`}
              value={option.value}
              checked={mode === option.value}
              onChange={() => onModeChange(option.value)}
            />
            <span className="segmented__label">{option.label}</span>
          </label>
        ))}
      </div>
      <div hidden={mode !== 'draw'}>
        <SignatureDrawPad
          ref={padRef}
          hintId={`${id}-draw-hint`}
          errorId={mode === 'draw' ? errorId : null}
          onDrawnChange={onDrawnChange}
          onUseTyped={() => onModeChange('type')}
        />
      </div>
      {mode === 'type' ? (
        <div className="signature-typed">
          <label className="field__label signature-typed__label" htmlFor={`${id}-typed`}>
            Type your full name
          </label>
          <p className="field__hint" id={`${id}-typed-hint`}>
            The same name as above. Typing it signs this quote.
          </p>
          <input
            ref={typedRef}
            id={`${id}-typed`}
            className="field__input"
            type="text"
            autoComplete="name"
            maxLength={200}
            value={typed}
            onChange={(event) => onTypedChange(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={errorId ? `${id}-typed-hint ${errorId}` : `${id}-typed-hint`}
          />
          <p className="signature-typed__preview" aria-hidden="true">
            {typed.trim() ? typed : <span className="signature-typed__placeholder">Your signature</span>}
          </p>
        </div>
      ) : null}
      {errorId ? <FieldError id={errorId} message={error} /> : null}
    </fieldset>
  );
}
