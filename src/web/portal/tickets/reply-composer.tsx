import { useState, type RefObject } from 'react';
import { AttachmentPicker } from '../../shared/attachments/attachment-picker.js';
import type { Uploads } from '../../shared/attachments/use-uploads.js';
import { ActionButton, CharacterCounter, sendHandlers, TextAreaField } from '../../shared/form-controls.js';
import { usePortal } from '../portal-context.js';
import { MESSAGE_MAX, messageProblem } from '../lib/validate-ticket.js';

const isApple = typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/.test(navigator.userAgent);

/**
 * The reply box under the conversation. Sending hands the text to the page, which shows it at once
 * (optimistically) with the uploaded files and clears the box; Ctrl+Enter (⌘+Enter on Apple
 * devices) sends from the keyboard, Enter alone adds a line. Files alone make a reply too. While
 * a file is still uploading the button waits ("Uploading…"); files that failed are not sent.
 */
export function ReplyComposer({
  draft,
  onDraftChange,
  onSend,
  isClosed,
  textareaRef,
  uploads,
}: {
  draft: string;
  onDraftChange: (draft: string) => void;
  onSend: (body: string) => void;
  isClosed: boolean;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  uploads: Uploads;
}) {
  const { locale } = usePortal();
  const [error, setError] = useState<string | null>(null);

  const send = () => {
    if (uploads.isBusy) return;
    const problem =
      uploads.readyCount > 0 && draft.trim() === '' ? null : messageProblem(draft, 'Write your reply or attach a file before sending.');
    setError(problem);
    if (problem) {
      textareaRef.current?.focus();
      return;
    }
    onSend(draft);
  };
  const { onSubmit, onKeyDown } = sendHandlers(send);

  return (
    <form className="composer" noValidate onSubmit={onSubmit} aria-labelledby="composer-title">
      <h2 className="section-title" id="composer-title">
        Reply
      </h2>
      {isClosed ? <p className="notice notice--info composer__notice">This ticket is closed. Replying reopens this ticket.</p> : null}
      <TextAreaField
        ref={textareaRef}
        label="Your message"
        hint={`Press ${isApple ? '⌘' : 'Ctrl'}+Enter to send.`}
        name="body"
        rows={4}
        value={draft}
        onChange={(event) => {
          onDraftChange(event.target.value);
          if (error) setError(null);
        }}
        onKeyDown={onKeyDown}
        error={error}
        counter={draft.length > MESSAGE_MAX * 0.9 ? <CharacterCounter length={draft.length} max={MESSAGE_MAX} /> : undefined}
      />
      <AttachmentPicker uploads={uploads} locale={locale} />
      <div className="composer__actions">
        <ActionButton type="submit" className="button--inline" isPending={uploads.isBusy} pendingLabel="Uploading…">
          {isClosed ? 'Send and reopen' : 'Send reply'}
        </ActionButton>
      </div>
    </form>
  );
}
