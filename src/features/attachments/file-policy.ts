import { ALLOWED_TYPES, type AllowedType } from './attachment-rules.schemas.js';

/**
 * What may be uploaded and how a file is named (SECURITY.md §5.2, §5.3). The type comes from the
 * bytes and must agree with the file's extension; the client's Content-Type is never read.
 */

export type { AllowedType, FileKind } from './attachment-rules.schemas.js';

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The allowed types a file with this name could be; empty when its extension is not allowed at all. */
export function typesForName(name: string): readonly AllowedType[] {
  const extension = extensionOf(name);
  return ALLOWED_TYPES.filter((t) => t.extensions.includes(extension));
}

/**
 * Matches what the bytes are (`sniffedMime`, undefined when file-type knows no signature) against
 * what the name allows. Text passes only when no signature was found; the caller checks the bytes
 * themselves (no NUL, no markup).
 */
export function matchType(candidates: readonly AllowedType[], sniffedMime: string | undefined): AllowedType | undefined {
  if (sniffedMime === undefined) return candidates.find((t) => t.text);
  return candidates.find((t) => !t.text && (t.sniffed ?? [t.mime]).includes(sniffedMime));
}

// Markup a browser would render or run, however the file is named (HTML, SVG, XML).
const MARKUP_START = /^(?:\u00EF\u00BB\u00BF)?\s*<(?:\?xml|!doctype|html|head|body|svg|script|iframe|object|embed|meta|link|style|xsl)/i;

/** Whether the first bytes of a would-be text file (read as Latin-1, so a UTF-8 BOM is three characters) start like a document a browser renders. */
export function looksLikeMarkup(head: Buffer): boolean {
  return MARKUP_START.test(head.subarray(0, 1024).toString('latin1'));
}

/** Characters that reorder or hide text, or control the terminal: stripped from names. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
export const MAX_FILE_NAME_LENGTH = 200;

/**
 * A user's filename made safe to display: no control, bidi-override or zero-width characters, no
 * directories, at most 200 characters (keeping the extension). Never used as a path or key.
 */
export function sanitizeFileName(raw: string): string {
  // Whitespace controls (tab, line breaks) separate words: they become spaces before the rest go.
  let name = raw
    .normalize('NFC')
    .replace(/[\t\n\v\f\r]/g, ' ')
    .replace(INVISIBLE, '');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME_LENGTH) {
    const extension = extensionOf(name);
    const tail = extension && extension.length <= 10 ? `.${extension}` : '';
    name =
      chars
        .slice(0, MAX_FILE_NAME_LENGTH - tail.length)
        .join('')
        .trimEnd() + tail;
  }
  return name === '' ? 'file' : name;
}

/** Replaces a name's extension (a HEIC photo becomes a JPEG once re-encoded). */
export function withExtension(name: string, extension: string): string {
  const current = extensionOf(name);
  const base = current ? name.slice(0, -(current.length + 1)) : name;
  return `${base}.${extension}`;
}

/**
 * `Content-Disposition` per RFC 6266: an ASCII fallback for old clients and the exact name,
 * percent-encoded as UTF-8 (RFC 8187), for the rest.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
