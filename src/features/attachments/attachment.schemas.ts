import { z } from 'zod';

/**
 * The files contract (ARCHITECTURE.md §6), shared by the server and the web apps: what may be
 * uploaded, and how an attachment is described. Bytes are fetched from `B/api/files/{id}`
 * (`?variant=display|thumb` for re-encoded images).
 */

/** Per upload, fixed by the product (SECURITY.md §5). */
export const UPLOAD_MAX_FILES = 10;
export const UPLOAD_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Files on one message (from one or several uploads). */
export const MESSAGE_MAX_FILES = 10;

export type FileKind = 'image' | 'document';

export interface AllowedType {
  /** The type we store and serve. */
  readonly mime: string;
  /** Extensions (lower case, no dot) a file of this type may carry; the first is canonical. */
  readonly extensions: readonly string[];
  /** Images are re-encoded and may be shown inline; documents are only ever downloaded. */
  readonly kind: FileKind;
  /** Types `file-type` reports for these bytes (defaults to `mime`). */
  readonly sniffed?: readonly string[];
  /** Plain text has no magic bytes: it is recognised by the absence of binary bytes and markup. */
  readonly text?: true;
}

const OOXML = 'application/vnd.openxmlformats-officedocument';
const ODF = 'application/vnd.oasis.opendocument';
// Legacy Office files are OLE compound files; file-type reports the container, the extension names the program.
const CFB = ['application/x-cfb'];

export const ALLOWED_TYPES: readonly AllowedType[] = [
  { mime: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], kind: 'image' },
  { mime: 'image/png', extensions: ['png'], kind: 'image' },
  { mime: 'image/webp', extensions: ['webp'], kind: 'image' },
  { mime: 'image/gif', extensions: ['gif'], kind: 'image' },
  { mime: 'image/heic', extensions: ['heic', 'heif'], kind: 'image', sniffed: ['image/heic', 'image/heic-sequence'] },
  { mime: 'image/heif', extensions: ['heif', 'heic'], kind: 'image', sniffed: ['image/heif', 'image/heif-sequence'] },
  { mime: 'application/pdf', extensions: ['pdf'], kind: 'document' },
  { mime: 'text/plain', extensions: ['txt', 'text', 'log'], kind: 'document', text: true },
  { mime: 'text/csv', extensions: ['csv'], kind: 'document', text: true },
  { mime: `${OOXML}.wordprocessingml.document`, extensions: ['docx'], kind: 'document' },
  { mime: `${OOXML}.spreadsheetml.sheet`, extensions: ['xlsx'], kind: 'document' },
  { mime: `${OOXML}.presentationml.presentation`, extensions: ['pptx'], kind: 'document' },
  { mime: `${ODF}.text`, extensions: ['odt'], kind: 'document' },
  { mime: `${ODF}.spreadsheet`, extensions: ['ods'], kind: 'document' },
  { mime: `${ODF}.presentation`, extensions: ['odp'], kind: 'document' },
  { mime: 'application/msword', extensions: ['doc'], kind: 'document', sniffed: CFB },
  { mime: 'application/vnd.ms-excel', extensions: ['xls'], kind: 'document', sniffed: CFB },
  { mime: 'application/vnd.ms-powerpoint', extensions: ['ppt'], kind: 'document', sniffed: CFB },
  { mime: 'application/rtf', extensions: ['rtf'], kind: 'document' },
];

/** Every accepted extension, for a picker's `accept` and for help text. */
export const ALLOWED_EXTENSIONS: readonly string[] = [...new Set(ALLOWED_TYPES.flatMap((t) => t.extensions))];

export const ZAttachment = z.object({
  id: z.string(),
  /** The sanitised display name. */
  name: z.string(),
  type: z.string(),
  size: z.number().int(),
  kind: z.enum(['image', 'document']),
  /** processing: an image being re-encoded (no bytes to show yet); failed: it could not be. */
  status: z.enum(['processing', 'ready', 'failed']),
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
