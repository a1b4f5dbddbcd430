/**
 * What may be uploaded, as plain values without zod, so the web apps can import them into their
 * first load (zod alone would add ~23 KB gzipped). The server enforces them (file-policy.ts,
 * upload.service.ts); the portal checks them before sending.
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
