import { useId, useState, type RefObject } from 'react';
import { messageOf } from '../../shared/api-client.js';
import { AttachmentPicker } from '../../shared/attachments/attachment-picker.js';
import { revokePreviews } from '../../shared/attachments/upload-queue.js';
import { useUploads } from '../../shared/attachments/use-uploads.js';
import { ActionButton, CharacterCounter, ErrorNotice, FieldError, LiveStatus, sendHandlers } from '../../shared/form-controls.js';
import { TEAM_API_BASE } from '../team-api.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { LockIcon } from './ticket-conversation.js';
import { usePostMessage } from './use-team-tickets.js';

const MESSAGE_MAX = 20_000;
const isApple = typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/.test(navigator.userAgent);

export type Visibility = 'public' | 'internal';

/**
 * Reply to the customer or add an internal note. The choice is made first and said plainly next
 * to the box — who will see this, and whether an email goes out — and the box itself turns yellow
 * for a note, the way notes look in the conversation. Ctrl/⌘+Enter sends. Files upload as soon as
 * they are chosen, each with its own progress; sending waits for them.
 */
export function TeamComposer({
  ticketId,
  customerName,
  isClosed,
  textareaRef,
}: {
  ticketId: string;
  /** Who a public reply goes to (the requester), or null for a ticket without one. */
  customerName: string | null;
  isClosed: boolean;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const id = useId();
  const { locale } = useOrganisationFormats();
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const uploads = useUploads(TEAM_API_BASE);
  const post = usePostMessage(ticketId);
  const isNote = visibility === 'internal';

  const send = () => {
    if (uploads.isBusy || post.isPending) return;
    if (body.trim() === '' && uploads.readyCount === 0) {
      setError(isNote ? 'Write the note, or attach a file.' : 'Write your reply, or attach a file.');
      textareaRef.current?.focus();
      return;
    }
    if (body.length > MESSAGE_MAX) {
      setError(`Keep it under ${MESSAGE_MAX.toLocaleString(locale)} characters.`);
      textareaRef.current?.focus();
      return;
    }
    setError(null);
    const files = uploads.queue.take();
    const fileIds = files.flatMap((file) => (file.attachment ? [file.attachment.id] : []));
    post.mutate(
      { body, visibility, fileIds, localId: String(Date.now()) },
      {
        onSuccess: () => {
          revokePreviews(files);
          setBody('');
          setAnnouncement(isNote ? 'Internal note added.' : 'Reply sent.');
        },
        onError: () => uploads.queue.restore(files),
      },
    );
  };
  const { onSubmit, onKeyDown } = sendHandlers(send);

  const audience = isNote
    ? 'Only your team sees internal notes. The customer is not told.'
    : customerName
      ? `${customerName} sees this in the portal and gets it by email.${isClosed ? ' Replying does not reopen the ticket; change the status if needed.' : ''}`
      : 'The customer sees this in the portal.';
  return (
    <form className={isNote ? 'composer composer--note' : 'composer'} noValidate onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
      <h2 className="visually-hidden" id={`${id}-title`}>
        Reply or add a note
      </h2>
      <fieldset className="segmented">
        <legend className="visually-hidden">Who sees this message</legend>
        <label className="segmented__option">
          <input type="radio" name={`${id}-visibility`} checked={!isNote} onChange={() => setVisibility('public')} />
          Reply to customer
        </label>
        <label className="segmented__option segmented__option--note">
          <input type="radio" name={`${id}-visibility`} checked={isNote} onChange={() => setVisibility('internal')} />
          <LockIcon />
          Internal note
        </label>
      </fieldset>
      <p className="composer__audience" id={`${id}-audience`}>
        {audience}
      </p>
      <label className="visually-hidden" htmlFor={`${id}-body`}>
        {isNote ? 'Internal note' : 'Reply to the customer'}
      </label>
      <textarea
        ref={textareaRef}
        id={`${id}-body`}
        className="field__input field__input--multiline composer__input"
        name="body"
        rows={5}
        placeholder={isNote ? 'A note for your team…' : 'Write your reply…'}
        value={body}
        aria-describedby={`${id}-audience ${id}-hint${error ? ` ${id}-error` : ''}`}
        aria-invalid={error ? true : undefined}
        onChange={(event) => {
          setBody(event.target.value);
          if (error) setError(null);
        }}
        onKeyDown={onKeyDown}
      />
      <FieldError id={`${id}-error`} message={error} />
      {body.length > MESSAGE_MAX * 0.9 ? <CharacterCounter length={body.length} max={MESSAGE_MAX} /> : null}
      <AttachmentPicker uploads={uploads} locale={locale} label="Files" />
      <ErrorNotice message={post.isError ? `Not sent: ${messageOf(post.error)}` : null} />
      <div className="composer__actions">
        <p className="composer__hint muted" id={`${id}-hint`}>
          {isApple ? '⌘' : 'Ctrl'}+Enter to send
        </p>
        <ActionButton
          type="submit"
          className="button--inline"
          isPending={uploads.isBusy || post.isPending}
          pendingLabel={uploads.isBusy ? 'Uploading…' : 'Sending…'}
        >
          {isNote ? 'Add internal note' : 'Send reply'}
        </ActionButton>
      </div>
      <LiveStatus>{announcement}</LiveStatus>
    </form>
  );
}
