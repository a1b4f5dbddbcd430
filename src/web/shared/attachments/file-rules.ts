import {
  ALLOWED_EXTENSIONS,
  ALLOWED_TYPES,
  MESSAGE_MAX_FILES,
  UPLOAD_MAX_FILE_BYTES,
} from '../../../features/attachments/attachment-rules.schemas.js';

/**
 * What the web apps accept as an attachment, checked in the browser before anything is sent, with
 * the server's own rules (attachment-rules.schemas.ts) and wording (upload-inspector.ts,
 * upload.service.ts).
 */
export const MAX_FILES = MESSAGE_MAX_FILES;
export const MAX_FILE_BYTES = UPLOAD_MAX_FILE_BYTES;
export { ALLOWED_EXTENSIONS };
export const IMAGE_EXTENSIONS: readonly string[] = [
  ...new Set(ALLOWED_TYPES.filter((t) => t.kind === 'image').flatMap((t) => t.extensions)),
];

/** Images every browser can draw from a local file (HEIC is left to the server's re-encoding). */
const PREVIEWABLE = new Set(['jpg', 'jpeg', 'jpe', 'jfif', 'png', 'webp', 'gif']);

/** For `<input accept>`: extensions, so the picker's filter matches what the server allows. */
export const ACCEPT = ALLOWED_EXTENSIONS.map((extension) => `.${extension}`).join(',');

/** Stated next to every picker. */
export const LIMITS_TEXT = `Up to ${MAX_FILES} files, ${MAX_FILE_BYTES / (1024 * 1024)} MB each. Photos, PDFs, text, CSV and Office documents.`;

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function isPreviewableImage(name: string): boolean {
  return PREVIEWABLE.has(extensionOf(name));
}

/** Why a file cannot be sent, or null; `alreadyChosen` counts the files that will be sent with it. */
export function fileProblem(file: { name: string; size: number }, alreadyChosen: number): string | null {
  if (!ALLOWED_EXTENSIONS.includes(extensionOf(file.name))) {
    return `“${file.name}” is not a file type we accept. Send photos (JPEG, PNG, WebP, GIF, HEIC), PDFs, text or CSV files, or Office documents.`;
  }
  if (file.size > MAX_FILE_BYTES) return `“${file.name}” is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB, the limit for one file.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (alreadyChosen >= MAX_FILES) return `You can attach at most ${MAX_FILES} files; “${file.name}” was one too many.`;
  return null;
}
