import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { contentDisposition, withExtension } from './file-policy.js';
import { findFile, type StoredFile } from './file.repository.js';
import { fileKey, isImageType } from './file.service.js';

/** Someone asking for a file, with the ticket rules of their side of the product wired in. */
export interface FileViewer {
  readonly tenantId: string;
  readonly kind: 'contact' | 'team_member';
  readonly id: string;
  /** Whether a message's files are theirs to see (a customer: a public message of a ticket they see). */
  canSeeMessage(ticketId: string, messageId: string): Promise<boolean>;
  /** The team sees every contact's profile photo of the organisation (customers only their own). */
  readonly seesContactPhotos?: boolean;
}

export type ServedVariant = 'original' | 'display' | 'thumb';

/** The display size and thumbnail of an image are WebP (see image-processing.ts). */
const VARIANT_TYPE = 'image/webp';

/**
 * Finds a file the viewer may download, checked on every request (SECURITY.md §5.4): their own
 * upload not attached yet, their own profile photo (the team: any contact's), or a file on a
 * message they may see.
 * Everything else — another client's, another tenant's, an internal note's — is FILE_NOT_FOUND.
 * A file the viewer may see but that is not clean is refused to everyone, the team included:
 * FILE_SCAN_PENDING (409, try again) until the scanner's verdict, FILE_INFECTED (410) after a
 * bad one — Gone rather than 404, because the message still lists the file and says it was removed.
 * @throws FILE_NOT_FOUND, FILE_INFECTED, FILE_SCAN_PENDING, FILE_NOT_READY (an image still being re-encoded)
 */
export async function getViewableFile(ctx: AppContext, viewer: FileViewer, fileId: string): Promise<StoredFile> {
  const file = await findFile(forTenant(ctx.db, viewer.tenantId), fileId);
  if (!file || file.status === 'uploading' || file.status === 'failed') throw new AppError('FILE_NOT_FOUND');
  const own = file.uploadedBy.kind === viewer.kind && file.uploadedBy.id === viewer.id;
  let allowed = false;
  if (file.purpose === 'profile_photo') allowed = own || (viewer.seesContactPhotos === true && file.uploadedBy.kind === 'contact');
  else if (file.attachedAt === null) allowed = own;
  else if (file.ticketId && file.messageId) allowed = await viewer.canSeeMessage(file.ticketId, file.messageId);
  if (!allowed) throw new AppError('FILE_NOT_FOUND');
  if (file.scanStatus === 'infected') throw new AppError('FILE_INFECTED');
  if (file.scanStatus === 'pending') throw new AppError('FILE_SCAN_PENDING');
  if (file.status === 'processing') throw new AppError('FILE_NOT_READY');
  return file;
}

/**
 * How a variant of a file is served: images' display size and thumbnail (and a profile photo)
 * inline, every original as an attachment; documents have no other variants.
 * @throws FILE_NOT_FOUND for a variant the file does not have
 */
export function servedVariant(
  file: StoredFile,
  variant: ServedVariant,
): { key: string; size: number; type: string; etag: string; disposition: string } {
  const etag = `"${file.sha256.slice(0, 24)}-${variant}"`;
  if (variant === 'original') {
    const inline = file.purpose === 'profile_photo';
    return {
      key: fileKey(file, 'original'),
      size: file.size,
      type: file.type,
      etag,
      disposition: contentDisposition(inline ? 'inline' : 'attachment', file.name),
    };
  }
  const size = variant === 'display' ? file.displaySize : file.thumbSize;
  if (!isImageType(file.type) || size === null) throw new AppError('FILE_NOT_FOUND');
  return {
    key: fileKey(file, variant),
    size,
    type: VARIANT_TYPE,
    etag,
    disposition: contentDisposition('inline', withExtension(file.name, 'webp')),
  };
}
