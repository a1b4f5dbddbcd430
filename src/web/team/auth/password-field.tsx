import { useId, useState, type Ref } from 'react';
import { checkPassword, STRENGTH_LABELS } from '../lib/password-strength.js';
import { FieldError } from '../../shared/form-controls.js';

/**
 * A password input with "Show" (typing a long password blind is where mistakes happen). For a
 * new password, `email` turns on the strength meter and the hints, checked as it is typed with
 * the server's rules; they are tied to the field with `aria-describedby`.
 */
export function PasswordField({
  label,
  value,
  onChange,
  error,
  isNew = false,
  email = '',
  inputRef,
  name = 'password',
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null | undefined;
  isNew?: boolean;
  email?: string;
  inputRef?: Ref<HTMLInputElement>;
  name?: string;
}) {
  const id = useId();
  const [isShown, setIsShown] = useState(false);
  const check = isNew ? checkPassword(value, email) : null;
  const describedBy = [check ? `${id}-hints` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="password">
        <input
          ref={inputRef}
          id={id}
          className="field__input password__input"
          type={isShown ? 'text' : 'password'}
          name={name}
          autoComplete={isNew ? 'new-password' : 'current-password'}
          autoCapitalize="none"
          spellCheck={false}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
        <button
          type="button"
          className="password__toggle"
          aria-pressed={isShown}
          aria-controls={id}
          onClick={() => setIsShown((shown) => !shown)}
        >
          {isShown ? 'Hide' : 'Show'}
          <span className="visually-hidden"> password</span>
        </button>
      </div>
      {check ? (
        <div className="password-hints" id={`${id}-hints`}>
          <div className={`strength strength--${check.strength}`} aria-hidden="true">
            <span className="strength__bar" />
          </div>
          <p className="password-hints__label">
            Password strength: <strong>{check.strength === 'empty' ? 'not set' : STRENGTH_LABELS[check.strength]}</strong>
          </p>
          <ul className="password-hints__list">
            {check.hints.map((hint) => (
              <li key={hint.text} className={hint.isMet ? 'password-hints__item password-hints__item--met' : 'password-hints__item'}>
                <span aria-hidden="true">{hint.isMet ? '✓' : '·'}</span> {hint.text}
                <span className="visually-hidden">{hint.isMet ? ' (done)' : ''}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
