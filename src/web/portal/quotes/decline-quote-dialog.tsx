import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../shared/api-client.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { keepTabInside } from '../../shared/focus-trap.js';
import { ActionButton, ErrorNotice, LiveStatus, TextAreaField } from '../../shared/form-controls.js';
import { usePortal } from '../portal-context.js';
import { QUOTE_STATE_CODES } from './quote-status.js';
import { useDeclineQuote } from './use-quotes.js';

const REASON_MAX = 2000;

/**
 * "Decline" asks for an optional reason in a modal `<dialog>` (the pattern of the ticket's close
 * dialog): the page behind is inert, Tab cycles inside, Escape cancels and the focus returns to
 * the button that opened it; once declined, the page decides where the focus goes (`onDeclined`).
 */
export function DeclineQuoteDialog({
  quoteId,
  quoteNumber,
  onDismiss,
  onDeclined,
  onRefused,
}: {
  quoteId: string;
  quoteNumber: string;
  onDismiss: () => void;
  onDeclined: () => void;
  onRefused: (error: ApiError) => void;
}) {
  const { name } = usePortal();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const decline = useDeclineQuote(quoteId);
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    textareaRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
    };
  }, []);

  // The modal closes BEFORE the page moves the focus: while open, everything behind it is inert.
  const closeModal = () => {
    if (dialogRef.current?.open) dialogRef.current.close();
  };
  const dismiss = () => {
    closeModal();
    onDismiss();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (decline.isPending) return;
    if (reason.length > REASON_MAX) {
      setFieldError(`Reason must be at most ${REASON_MAX.toLocaleString()} characters.`);
      textareaRef.current?.focus();
      return;
    }
    setFieldError(null);
    setFormError(null);
    decline.mutate(reason, {
      onSuccess: () => {
        closeModal();
        onDeclined();
      },
      onError: (error) => {
        if (error instanceof ApiError && QUOTE_STATE_CODES.has(error.code)) {
          closeModal();
          onRefused(error);
          return;
        }
        const { fields, form } = formErrorsFrom(error, { reason: 'Reason' });
        setFieldError(fields.reason ?? null);
        setFormError(form);
        if (fields.reason) textareaRef.current?.focus();
      },
    });
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby="decline-dialog-title"
      aria-describedby="decline-dialog-text"
      onKeyDown={(event) => keepTabInside(event, dialogRef.current)}
      onCancel={(event) => {
        event.preventDefault();
        dismiss();
      }}
    >
      <form className="dialog__form" noValidate onSubmit={onSubmit}>
        <h2 className="dialog__title" id="decline-dialog-title">
          Decline quote {quoteNumber}?
        </h2>
        <p className="dialog__text" id="decline-dialog-text">
          {name} will be told that you declined. A reason helps them, but you do not have to give one.
        </p>
        <TextAreaField
          ref={textareaRef}
          label="Reason (optional)"
          name="reason"
          rows={3}
          value={reason}
          onChange={(event) => {
            setReason(event.target.value);
            if (fieldError) setFieldError(null);
          }}
          error={fieldError}
        />
        <ErrorNotice message={formError} />
        <div className="dialog__actions">
          <button type="button" className="button button--secondary button--inline" onClick={dismiss}>
            Cancel
          </button>
          <ActionButton type="submit" variant="danger" className="button--inline" isPending={decline.isPending} pendingLabel="Declining…">
            Decline quote
          </ActionButton>
        </div>
        <LiveStatus>{decline.isPending ? 'Declining the quote…' : ''}</LiveStatus>
      </form>
    </dialog>
  );
}
