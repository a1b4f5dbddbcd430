import { z } from 'zod';
import { MESSAGE_MAX_FILES } from './attachment-rules.schemas.js';

/**
 * The files contract (ARCHITECTURE.md §6), shared by the server and the web apps: what may be
 * uploaded, and how an attachment is described. Bytes are fetched from `B/api/files/{id}`
 * (`?variant=display|thumb` for re-encoded images).
 */

export {
  ALLOWED_EXTENSIONS,
  ALLOWED_TYPES,
  MESSAGE_MAX_FILES,
  UPLOAD_MAX_FILE_BYTES,
  UPLOAD_MAX_FILES,
  type AllowedType,
  type FileKind,
} from './attachment-rules.schemas.js';

export const ZAttachment = z.object({
  id: z.string(),
  /** The sanitised display name. */
  name: z.string(),
  type: z.string(),
  size: z.number().int(),
  kind: z.enum(['image', 'document']),
  /** processing: an image being re-encoded (no bytes to show yet); failed: it could not be. */
  status: z.enum(['processing', 'ready', 'failed']),
  /**
   * The malware scan: not_scanned (no scanner configured), pending (being checked: not served
   * yet), clean, or infected (removed: its bytes are gone and it is never served).
   */
  scan: z.enum(['not_scanned', 'pending', 'clean', 'infected']),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
});
export type TAttachment = z.infer<typeof ZAttachment>;

/** POST B/api/uploads (multipart, files in `files`) — 201. */
export const ZUploadResponse = z.object({ files: z.array(ZAttachment) });
export type TUploadResponse = z.infer<typeof ZUploadResponse>;

/** GET B/api/files/{id}?variant= — the original (attachment), or a re-encoded image's display size or thumbnail (inline). */
export const ZFileQuery = z.strictObject({ variant: z.enum(['original', 'display', 'thumb']).default('original') });
export const ZFileParams = z.object({ slug: z.string(), id: z.string() });

/** File ids on a new ticket or a reply. */
export const ZFileIds = z
  .array(z.string().max(64))
  .max(MESSAGE_MAX_FILES, { error: `can have at most ${MESSAGE_MAX_FILES} files` })
  .default([]);
