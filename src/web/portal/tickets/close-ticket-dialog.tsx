import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ActionButton, ErrorNotice, LiveStatus, TextAreaField } from '../../shared/form-controls.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { keepTabInside } from '../../shared/focus-trap.js';
import { usePortal } from '../portal-context.js';
import { useCloseTicket } from './use-tickets.js';
import { messageProblem } from '../lib/validate-ticket.js';

/** The server's sentence for CLOSING_MESSAGE_REQUIRED, so the client says exactly the same. */
const MESSAGE_REQUIRED = 'Please write a short message saying why you are closing this ticket.';

/**
 * "Close ticket" asks for a closing message in a modal `<dialog>`: the page behind is inert, Tab
 * cycles inside, Escape cancels, and the focus returns to what opened it (or, once the ticket is
 * closed and that button is gone, to wherever the page puts it through `onClosed`).
 */
export function CloseTicketDialog({
  ticketId,
  ticketNumber,
  onDismiss,
  onClosed,
}: {
  ticketId: string;
  ticketNumber: number;
  onDismiss: () => void;
  onClosed: () => void;
}) {
  const { name } = usePortal();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const close = useCloseTicket(ticketId);
  const [message, setMessage] = useState('');
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

  // The modal closes BEFORE the page moves the focus: while it is open, everything behind it is
  // inert and cannot take the focus.
  const closeModal = () => {
    if (dialogRef.current?.open) dialogRef.current.close();
  };
  const dismiss = () => {
    closeModal();
    onDismiss();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (close.isPending) return;
    const problem = messageProblem(message, MESSAGE_REQUIRED);
    setFieldError(problem);
    setFormError(null);
    if (problem) {
      textareaRef.current?.focus();
      return;
    }
    close.mutate(message, {
      onSuccess: () => {
        closeModal();
        onClosed();
      },
      onError: (error) => {
        const { fields, form } = formErrorsFrom(error, { message: 'Closing message' }, { CLOSING_MESSAGE_REQUIRED: 'message' });
        setFieldError(fields.message ?? null);
        setFormError(form);
        if (fields.message) textareaRef.current?.focus();
      },
    });
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby="close-dialog-title"
      aria-describedby="close-dialog-text"
      onKeyDown={(event) => keepTabInside(event, dialogRef.current)}
      // Escape: the browser fires `cancel`; the page unmounts the dialog and restores focus.
      onCancel={(event) => {
        event.preventDefault();
        dismiss();
      }}
    >
      <form className="dialog__form" noValidate onSubmit={onSubmit}>
        <h2 className="dialog__title" id="close-dialog-title">
          Close request #{ticketNumber}?
        </h2>
        <p className="dialog__text" id="close-dialog-text">
          Tell {name} why you are closing it — for example, that the problem is solved. Your message is added to the conversation.
        </p>
        <TextAreaField
          ref={textareaRef}
          label="Closing message"
          name="message"
          rows={4}
          value={message}
          onChange={(event) => {
            setMessage(event.target.value);
            if (fieldError) setFieldError(null);
          }}
          error={fieldError}
        />
        <ErrorNotice message={formError} />
        <div className="dialog__actions">
          <button type="button" className="button button--secondary button--inline" onClick={dismiss}>
            Cancel
          </button>
          <ActionButton type="submit" variant="danger" className="button--inline" isPending={close.isPending} pendingLabel="Closing…">
            Close ticket
          </ActionButton>
        </div>
        <LiveStatus>{close.isPending ? 'Closing the ticket…' : ''}</LiveStatus>
      </form>
    </dialog>
  );
}
