import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../shared/api-client.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { ActionButton, CharacterCounter, ErrorNotice, LiveStatus, TextAreaField } from '../../shared/form-controls.js';
import { usePortal } from '../portal-context.js';
import { QUOTE_STATE_CODES } from './quote-status.js';
import { useRequestQuoteChanges } from './use-quotes.js';

const MESSAGE_MAX = 20_000;

/**
 * "Ask for changes": the customer's message is posted on the quote's ticket (one is opened when the
 * quote has none), where the conversation about it continues. `onSent` gets that ticket's id.
 */
export function RequestChangesForm({
  quoteId,
  ticketNumber,
  onSent,
  onCancel,
  onRefused,
}: {
  quoteId: string;
  /** The quote's request, if it has one; otherwise the message opens a new one. */
  ticketNumber: number | null;
  onSent: (ticketId: string) => void;
  onCancel: () => void;
  onRefused: (error: ApiError) => void;
}) {
  const { name } = usePortal();
  const request = useRequestQuoteChanges(quoteId);
  const [message, setMessage] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (request.isPending) return;
    const problem = !message.trim()
      ? 'Write what you would like changed.'
      : message.length > MESSAGE_MAX
        ? `Your message must be at most ${MESSAGE_MAX.toLocaleString()} characters.`
        : null;
    setFieldError(problem);
    setFormError(null);
    if (problem) {
      textareaRef.current?.focus();
      return;
    }
    request.mutate(message, {
      onSuccess: (answer) => onSent(answer.ticketId),
      onError: (error) => {
        if (error instanceof ApiError && QUOTE_STATE_CODES.has(error.code)) return onRefused(error);
        const { fields, form } = formErrorsFrom(error, { message: 'Your message' });
        setFieldError(fields.message ?? null);
        setFormError(form);
        if (fields.message) textareaRef.current?.focus();
      },
    });
  };

  return (
    <form className="stack-form changes-form" noValidate onSubmit={onSubmit} aria-labelledby="changes-title">
      <h3 className="changes-form__title" id="changes-title">
        Ask for changes
      </h3>
      <TextAreaField
        ref={textareaRef}
        label="What would you like changed?"
        hint={
          ticketNumber
            ? `Your message goes to ${name} on request #${ticketNumber}.`
            : `Your message goes to ${name} as a new request about this quote.`
        }
        name="message"
        rows={4}
        value={message}
        onChange={(event) => {
          setMessage(event.target.value);
          if (fieldError) setFieldError(null);
        }}
        error={fieldError}
        counter={message.length > MESSAGE_MAX * 0.9 ? <CharacterCounter length={message.length} max={MESSAGE_MAX} /> : undefined}
      />
      <ErrorNotice message={formError} />
      <div className="form-actions">
        <ActionButton type="submit" className="button--inline" isPending={request.isPending} pendingLabel="Sending…">
          Send request
        </ActionButton>
        <button type="button" className="button button--secondary button--inline" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <LiveStatus>{request.isPending ? 'Sending your request…' : ''}</LiveStatus>
    </form>
  );
}
