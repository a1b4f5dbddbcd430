import { isValidEmail } from '../email-address.js';

/**
 * Header hygiene for outgoing mail (SECURITY.md §6). Display names and subjects often carry
 * text someone else typed (an organisation's name, a ticket title), so before they reach a header
 * they lose everything that could start a new header line or disguise what the reader sees.
 */
export const MAX_DISPLAY_NAME_LENGTH = 200;
export const MAX_SUBJECT_LENGTH = 250;
/** RFC 5322 caps a header line at 998 octets; the transport folds longer encoded values itself. */
export const MAX_HEADER_VALUE_LENGTH = 900;

// C0 and C1 controls (CR, LF, NUL, TAB, NEL…), DEL and the Unicode line/paragraph separators: each
// becomes a space, so "Acme\r\nBcc: x" cannot become two header lines and words stay apart.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LINE_BREAKING = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
// Bidi embeddings, overrides and isolates, the Arabic letter mark, zero-width characters and the
// BOM: invisible, and able to make a name read differently from what it is, so they go entirely.
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
// A lone surrogate cannot be encoded; it would turn into garbage or an encoder error.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Makes text safe for one header line: no controls, no bidi tricks, single spaces, trimmed, capped in characters. */
export function sanitizeHeaderText(value: string, maxLength: number = MAX_HEADER_VALUE_LENGTH): string {
  const cleaned = value
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(LINE_BREAKING, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
  // Counted in code points so an emoji at the limit is not cut in half.
  const chars = Array.from(cleaned);
  return chars.length <= maxLength ? cleaned : chars.slice(0, maxLength).join('').trimEnd();
}

// Anything that could turn one address into several, add a display name or comment, or hide
// characters: list separators, angle brackets, quotes, brackets, whitespace, controls, invisibles.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_IN_PLAIN_ADDRESS = /[\s,;:<>()[\]\\"\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/;

/** True when `value` is exactly one plain address (`local@domain`), with nothing around it. */
export function isSingleAddress(value: string): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > 254) return false;
  if (NOT_IN_PLAIN_ADDRESS.test(value)) return false;
  // Fullwidth or small at-signs and other compatibility forms would read as an address but not
  // route as one; NFKC changes them, plain addresses it leaves alone.
  if (value.normalize('NFKC') !== value) return false;
  return isValidEmail(value.toLowerCase());
}
