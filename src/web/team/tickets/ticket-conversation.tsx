import type { TTeamMessage } from '../../../features/tickets/team-ticket.schemas.js';
import { MessageContent } from '../../shared/message-content.js';
import { Avatar } from '../../shared/avatar.js';
import { RelativeTime } from '../../shared/formatted.js';

const VIA_LABELS = { portal: 'via portal', email: 'via email', app: '' } as const;

/**
 * The whole conversation, oldest first. Customers' messages sit on a white card with their photo;
 * the team's public replies on a light accent tint; internal notes on yellow paper with a lock and
 * "Internal note", so nobody mistakes what the customer saw for what they did not.
 */
export function TicketConversation({
  messages,
  now,
  onOpenImage,
}: {
  messages: readonly TTeamMessage[];
  now: Date;
  onOpenImage: (id: string) => void;
}) {
  if (messages.length === 0) return <p className="muted">No messages yet.</p>;
  return (
    <ol className="conversation">
      {messages.map((message) => {
        const isNote = message.visibility === 'internal';
        const isCustomer = message.author.kind === 'contact';
        const kind = isNote ? 'note' : isCustomer ? 'customer' : 'team';
        return (
          <li key={message.id} className={`message message--${kind}`} data-visibility={message.visibility}>
            <Avatar name={message.author.name} photoFileId={isCustomer ? message.author.photoFileId : null} tone={kind} pixels={32} lazy />
            <div className="message__bubble">
              <div className="message__meta">
                {isNote ? (
                  <span className="note-label">
                    <LockIcon />
                    Internal note
                  </span>
                ) : null}
                <span className="message__author">{message.author.name}</span>
                {isCustomer && message.author.email ? <span className="message__email">{message.author.email}</span> : null}
                {!isNote && !isCustomer ? <span className="message__role">Reply to customer</span> : null}
                {VIA_LABELS[message.via] ? <span className="message__via">{VIA_LABELS[message.via]}</span> : null}
                <span className="message__time">
                  <RelativeTime iso={message.createdAt} now={now} />
                </span>
              </div>
              <MessageContent body={message.body} attachments={message.attachments} onOpenImage={onOpenImage} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
      <rect x="4" y="11" width="16" height="10" rx="2" fill="none" stroke="currentColor" strokeWidth="2.2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}
