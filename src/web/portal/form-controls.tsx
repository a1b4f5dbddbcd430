import { useId, type ComponentPropsWithRef, type MouseEvent, type ReactNode } from 'react';

type InputProps = Omit<ComponentPropsWithRef<'input'>, 'id' | 'className' | 'aria-invalid' | 'aria-describedby'>;

/**
 * A labelled input with an optional hint and error. Both are tied to the input with
 * `aria-describedby`, so a screen reader reads them when the field gets focus; forms move the
 * focus to the first invalid field after a failed submit.
 */
export function TextField({ label, hint, error, ...input }: { label: string; hint?: ReactNode; error?: string | null } & InputProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <input
        {...input}
        id={id}
        className="field__input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {error ? (
        <p className="field__error" id={errorId}>
          <span aria-hidden="true" className="field__error-mark">
            !
          </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A button that stays in place while its request runs: the label changes and a spinner shows,
 * but the width does not (buttons are full width), and it is `aria-disabled` rather than
 * `disabled` so keyboard focus is not thrown away mid-request.
 */
export function ActionButton({
  children,
  pendingLabel,
  isPending,
  variant = 'primary',
  type = 'button',
  onClick,
}: {
  children: ReactNode;
  pendingLabel: string;
  isPending: boolean;
  variant?: 'primary' | 'secondary';
  type?: 'button' | 'submit';
  onClick?: () => void;
}) {
  const handleClick = (event: MouseEvent<HTMLButtonElement>) => {
    if (isPending) {
      event.preventDefault();
      return;
    }
    onClick?.();
  };
  return (
    <button type={type} className={`button button--${variant}`} aria-disabled={isPending || undefined} onClick={handleClick}>
      {isPending ? <span className="button__spinner" aria-hidden="true" /> : null}
      {isPending ? pendingLabel : children}
    </button>
  );
}

/**
 * A polite live region for the progress of a request. It is always in the page (a region added
 * together with its text is often not announced) and only its text changes.
 */
export function LiveStatus({ children }: { children: ReactNode }) {
  return (
    <p className="visually-hidden" role="status">
      {children}
    </p>
  );
}

/** A problem that belongs to no single field (the network, an unexpected answer): announced at once. */
export function ErrorNotice({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="notice notice--error" role="alert">
      {message}
    </p>
  );
}
