import type { TAttachment } from '../../features/attachments/attachment.schemas.js';
import { useAppKit, useDisplayFormats } from './app-kit.js';
import { MessageAttachments } from './attachments/message-attachments.js';
import { LinkifiedText } from './linkified-text.js';

/**
 * What a conversation message says: its text (links made clickable) and its files, fetched from
 * the app's own API. Who wrote it, and how that is labelled, is each app's own (customer or team view).
 */
export function MessageContent({
  body,
  attachments,
  onOpenImage,
}: {
  body: string;
  attachments: readonly TAttachment[];
  onOpenImage: (id: string) => void;
}) {
  const { apiBase } = useAppKit();
  const { locale } = useDisplayFormats();
  return (
    <>
      {body ? <LinkifiedText className="message__body" text={body} /> : null}
      {attachments.length > 0 ? (
        <MessageAttachments apiBase={apiBase} locale={locale} attachments={attachments} onOpenImage={onOpenImage} />
      ) : null}
    </>
  );
}
