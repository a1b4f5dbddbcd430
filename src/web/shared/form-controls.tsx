import { useId, type ComponentPropsWithRef, type FormEvent, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';

type InputProps = Omit<ComponentPropsWithRef<'input'>, 'id' | 'className' | 'aria-invalid' | 'aria-describedby'>;
type TextAreaProps = Omit<ComponentPropsWithRef<'textarea'>, 'id' | 'className' | 'aria-invalid' | 'aria-describedby'>;
type SelectProps = Omit<ComponentPropsWithRef<'select'>, 'id' | 'className' | 'aria-invalid' | 'aria-describedby'>;

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  /** A live count under the control ("12 / 200"), read with the field's description. */
  counter?: ReactNode;
}

/** A field's error under it ("! Enter a title."), or nothing; `id` ties it to the control. */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="field__error" id={id}>
      <span aria-hidden="true" className="field__error-mark">
        !
      </span>
      {message}
    </p>
  );
}

/**
 * The frame of every field: label, hint, control, counter, error. Hint, counter and error are tied
 * to the control with `aria-describedby`, so a screen reader reads them when the field gets focus;
 * forms move the focus to the first invalid field after a failed submit.
 */
function Field({
  label,
  hint,
  error,
  counter,
  children,
}: FieldProps & {
  children: (control: { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const counterId = `${id}-counter`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, counter ? counterId : null, error ? errorId : null].filter(Boolean).join(' ');
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
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined })}
      {counter ? (
        <p className="field__counter" id={counterId}>
          {counter}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** The email field of the sign-in forms: the browser's email keyboard and autofill, no autocorrect. */
export function EmailField(props: Omit<FieldProps, 'label'> & Omit<InputProps, 'type' | 'name' | 'autoComplete'>) {
  return (
    <TextField label="Email address" type="email" name="email" autoComplete="email" autoCapitalize="none" spellCheck={false} {...props} />
  );
}

/** A labelled input with an optional hint, counter and error. */
export function TextField({ label, hint, error, counter, ...input }: FieldProps & InputProps) {
  return (
    <Field label={label} hint={hint} error={error} counter={counter}>
      {(control) => <input {...input} {...control} className="field__input" />}
    </Field>
  );
}

/** A labelled multi-line input; it grows with its content up to a limit (CSS `field-sizing`). */
export function TextAreaField({ label, hint, error, counter, ...textarea }: FieldProps & TextAreaProps) {
  return (
    <Field label={label} hint={hint} error={error} counter={counter}>
      {(control) => <textarea {...textarea} {...control} className="field__input field__input--multiline" />}
    </Field>
  );
}

/** A labelled native select: the platform's own picker is the most usable one on phones. */
export function SelectField({ label, hint, error, children, ...select }: FieldProps & SelectProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <select {...select} {...control} className="field__input field__input--select">
          {children}
        </select>
      )}
    </Field>
  );
}

/**
 * "12 / 200" under a field, and a warning once close to the limit. Only the warning is announced
 * (politely): counting every keystroke aloud would drown out the typing.
 */
export function CharacterCounter({ length, max }: { length: number; max: number }) {
  const remaining = max - length;
  const isNear = remaining <= Math.max(10, Math.round(max * 0.1));
  return (
    <>
      <span className={remaining < 0 ? 'counter counter--over' : 'counter'}>
        {length.toLocaleString()} / {max.toLocaleString()}
        <span className="visually-hidden"> characters</span>
      </span>
      <span className="visually-hidden" aria-live="polite">
        {isNear
          ? remaining < 0
            ? `${(-remaining).toLocaleString()} characters too many`
            : `${remaining.toLocaleString()} characters left`
          : ''}
      </span>
    </>
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
  className,
  onClick,
}: {
  children: ReactNode;
  pendingLabel: string;
  isPending: boolean;
  variant?: 'primary' | 'secondary' | 'danger';
  type?: 'button' | 'submit';
  /** Extra classes, e.g. `button--inline` for a button that is not full width. */
  className?: string;
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
    <button
      type={type}
      className={`button button--${variant}${className ? ` ${className}` : ''}`}
      aria-disabled={isPending || undefined}
      onClick={handleClick}
    >
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

/** A message form's handlers: submitting the form, or Ctrl/⌘+Enter in its text box, calls `send`. */
export function sendHandlers(send: () => void): {
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => void;
} {
  return {
    onSubmit: (event) => {
      event.preventDefault();
      send();
    },
    onKeyDown: (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        send();
      }
    },
  };
}
