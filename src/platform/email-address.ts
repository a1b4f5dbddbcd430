import { AppError } from './errors.js';

/**
 * Email addresses are canonicalised (NFKC, trimmed, lower-cased) and then validated strictly:
 * one `@`, no quotes, comments, commas, whitespace or control characters, an ASCII or IDN domain
 * with a dot. NFKC folds fullwidth and small at-signs (＠, ﹫) into `@`, so such tricks show up as
 * a second `@` and fail. The canonical form is what is stored and compared.
 */
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/u;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function canonicaliseEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

export function isValidEmail(canonical: string): boolean {
  if (canonical.length > 254) return false;
  const parts = canonical.split('@');
  if (parts.length !== 2) return false;
  const [local = '', domain = ''] = parts;
  if (local.length === 0 || local.length > 64 || !LOCAL_PART.test(local)) return false;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  let asciiDomain: string;
  try {
    asciiDomain = new URL(`http://${domain}`).hostname;
  } catch {
    return false;
  }
  if (asciiDomain !== domain.normalize('NFC') && !asciiDomain.startsWith('xn--') && !asciiDomain.includes('.xn--')) return false;
  const labels = asciiDomain.split('.');
  return labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l)) && !/^\d+$/.test(labels.at(-1) ?? '');
}

/** Canonicalises and validates; undefined when the address is not acceptable. */
export function parseEmail(raw: string): string | undefined {
  const canonical = canonicaliseEmail(raw);
  return isValidEmail(canonical) ? canonical : undefined;
}

/**
 * Canonicalises and validates an email from input.
 * @throws VALIDATION_FAILED naming the field
 */
export function requireEmail(raw: string, field = 'email'): string {
  const email = parseEmail(raw);
  if (!email) throw new AppError('VALIDATION_FAILED', undefined, { details: [{ path: field, message: 'must be a valid email address' }] });
  return email;
}
