/**
 * Hints for a new password, checked as it is typed, with the server's own rules
 * (src/features/auth/password-hashing.ts: 12 to 256 characters, not the email address,
 * not a very common password or one or two characters repeated). The server has the last word;
 * these only spare a round trip and say how to do better.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordStrength = 'empty' | 'too-short' | 'weak' | 'fair' | 'strong';

export interface PasswordHint {
  readonly text: string;
  readonly isMet: boolean;
}

export interface PasswordCheck {
  readonly strength: PasswordStrength;
  /** What the server will refuse, as a sentence; null when nothing is known to be wrong. */
  readonly problem: string | null;
  readonly hints: readonly PasswordHint[];
}

/** Character classes used: lower case, upper case, digits, anything else (spaces, symbols, accents). */
function varietyOf(password: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((pattern) => pattern.test(password)).length;
}

export function checkPassword(password: string, email = ''): PasswordCheck {
  const normalised = password.normalize('NFKC');
  const length = [...normalised].length;
  const lower = normalised.toLowerCase();
  const address = email.trim().toLowerCase();
  const localPart = address.split('@')[0] ?? '';
  const isEmail = address !== '' && (lower.includes(address) || (localPart.length >= 6 && lower.replace(/[\d\W_]+$/, '') === localPart));
  const isRepetitive = length > 0 && new Set(lower).size <= 2;
  const hints: PasswordHint[] = [
    { text: `At least ${PASSWORD_MIN_LENGTH} characters`, isMet: length >= PASSWORD_MIN_LENGTH },
    { text: 'Not your email address', isMet: length > 0 && !isEmail },
    { text: 'Longer is stronger: a phrase of four or more words is easy to remember', isMet: length >= 20 },
  ];
  let problem: string | null = null;
  if (length > 0 && length < PASSWORD_MIN_LENGTH) problem = `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  else if (length > PASSWORD_MAX_LENGTH) problem = `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  else if (isEmail) problem = 'Do not use your email address as your password.';
  else if (isRepetitive) problem = 'This password is too common. Choose another one.';

  let strength: PasswordStrength;
  if (length === 0) strength = 'empty';
  else if (length < PASSWORD_MIN_LENGTH) strength = 'too-short';
  else if (problem) strength = 'weak';
  else if (length >= 20 || (length >= 16 && varietyOf(normalised) >= 3)) strength = 'strong';
  else if (length >= 14 || varietyOf(normalised) >= 2) strength = 'fair';
  else strength = 'weak';
  return { strength, problem, hints };
}

export const STRENGTH_LABELS: Readonly<Record<PasswordStrength, string>> = {
  empty: '',
  'too-short': 'Too short',
  weak: 'Weak',
  fair: 'Fair',
  strong: 'Strong',
};
