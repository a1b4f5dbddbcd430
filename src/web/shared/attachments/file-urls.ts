import type { TAttachment } from '../../../features/attachments/attachment.schemas.js';

export type FileVariant = 'original' | 'display' | 'thumb';

/**
 * Where a file's bytes are (GET {apiBase}/files/{id}; `apiBase` is `B/api` in the portal and
 * `/api/team` in the team app): the original is always a download; `display` (≤1600 px) and
 * `thumb` (≤400 px) are the re-encoded WebP copies of a ready image, shown inline.
 */
export function fileUrl(apiBase: string, id: string, variant: FileVariant = 'original'): string {
  const url = `${apiBase}/files/${encodeURIComponent(id)}`;
  return variant === 'original' ? url : `${url}?variant=${variant}`;
}

/** Served only once a configured scanner found it clean (or when no scanner is configured). */
export function passedScan(attachment: TAttachment): boolean {
  return attachment.scan === 'not_scanned' || attachment.scan === 'clean';
}

export function isReadyImage(attachment: TAttachment): boolean {
  return attachment.kind === 'image' && attachment.status === 'ready' && passedScan(attachment);
}

/** While any file of a ticket is being checked or re-encoded, its page asks again every few seconds. */
export function hasProcessingFiles(messages: readonly { attachments: readonly TAttachment[] }[]): boolean {
  return messages.some((message) =>
    message.attachments.some((a) => a.scan === 'pending' || (a.status === 'processing' && a.scan !== 'infected')),
  );
}
