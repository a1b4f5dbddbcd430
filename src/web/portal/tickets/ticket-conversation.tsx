import type { TPortalMessage } from '../../../features/tickets/portal-ticket.schemas.js';
import { DocumentIcon } from '../../shared/attachments/attachment-icons.js';
import type { UploadItem } from '../../shared/attachments/upload-queue.js';
import { RelativeTime } from '../../shared/formatted.js';
import { LinkifiedText } from '../../shared/linkified-text.js';
import { MessageContent } from '../../shared/message-content.js';

/** A reply the customer sent that the server has not confirmed yet (optimistic), or that failed. */
export interface PendingReply {
  readonly localId: string;
  readonly body: string;
  /** Its uploaded files; their local previews show until the server's message replaces this one. */
  readonly files: readonly UploadItem[];
  readonly state: 'sending' | 'failed';
  readonly error: string | null;
}

/**
 * The public conversation, oldest first, then the customer's pending replies. The customer's own
 * messages sit on the right in the accent's tint; the team's on the left with "First name ·
 * Organisation" exactly as the server names them.
 */
export function Conversation({
  messages,
  pending,
  customerName,
  now,
  onRetry,
  onEdit,
  onOpenImage,
}: {
  messages: readonly TPortalMessage[];
  pending: readonly PendingReply[];
  customerName: string;
  now: Date;
  onRetry: (reply: PendingReply) => void;
  onEdit: (reply: PendingReply) => void;
  onOpenImage: (id: string) => void;
}) {
  if (messages.length === 0 && pending.length === 0) return <p className="conversation__empty">No messages yet.</p>;
  return (
    <ol className="conversation">
      {messages.map((message) => (
        <li key={message.id} className={`message message--${message.author.isOwn ? 'own' : message.author.kind}`}>
          <div className="message__meta">
            <span className="message__author">{message.author.name}</span>
            {message.author.isOwn ? <span className="message__you">You</span> : null}
            <span className="message__time">
              <RelativeTime iso={message.createdAt} now={now} />
            </span>
          </div>
          <MessageContent body={message.body} attachments={message.attachments} onOpenImage={onOpenImage} />
        </li>
      ))}
      {pending.map((reply) => (
        <li
          key={reply.localId}
          className={`message message--own message--${reply.state}`}
          data-testid={reply.state === 'sending' ? 'reply-sending' : 'reply-failed'}
        >
          <div className="message__meta">
            <span className="message__author">{customerName}</span>
            <span className="message__you">You</span>
            <span className="message__time">{reply.state === 'sending' ? 'Sending…' : 'Not sent'}</span>
          </div>
          {reply.body ? <LinkifiedText className="message__body" text={reply.body} /> : null}
          {reply.files.length > 0 ? <PendingFiles files={reply.files} /> : null}
          {reply.state === 'failed' ? (
            <div className="message__failure" role="alert">
              <p className="message__error">{reply.error ?? 'Your reply was not sent.'}</p>
              <div className="message__actions">
                <button type="button" className="button button--secondary button--small" onClick={() => onRetry(reply)}>
                  Retry
                </button>
                <button type="button" className="button button--secondary button--small" onClick={() => onEdit(reply)}>
                  Edit
                </button>
              </div>
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** The files of a reply on its way: the local previews (nothing to fetch from the server yet). */
function PendingFiles({ files }: { files: readonly UploadItem[] }) {
  return (
    <ul className="pending-files" aria-label={files.length === 1 ? 'File' : `${files.length} files`}>
      {files.map((item) => (
        <li key={item.key} className="pending-files__item">
          {item.previewUrl ? <img src={item.previewUrl} alt={item.file.name} width={64} height={64} /> : <DocumentIcon size={20} />}
          {item.previewUrl ? null : <span className="pending-files__name">{item.file.name}</span>}
        </li>
      ))}
    </ul>
  );
}
