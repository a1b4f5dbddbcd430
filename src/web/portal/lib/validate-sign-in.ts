/**
 * Client-side checks that catch typos before a request. They are deliberately loose: the server
 * canonicalises and validates strictly, and answers the same for any address it accepts.
 */

/** A problem with the email as typed, or null. */
export function emailProblem(email: string): string | null {
  if (email === '') return 'Enter your email address.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return 'Enter an email address like name@example.com.';
  return null;
}

export const CODE_LENGTH = 8;

/**
 * The code as the server wants it: upper case, without the spaces and dashes people paste along
 * with it (the email shows it as `ABCD-EFGH`).
 */
export function normalizeCode(raw: string): string {
  return raw.replace(/[\s\-\u2010-\u2015\u2212]/g, '').toUpperCase();
}

/** A problem with the (normalised) code, or null. */
export function codeProblem(code: string): string | null {
  if (code === '') return 'Enter the code from the email.';
  if (!/^[A-Z0-9]+$/.test(code) || code.length !== CODE_LENGTH) return `The code has ${CODE_LENGTH} letters and numbers, like ABCD-EFGH.`;
  return null;
}
