import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../platform/errors.js';

/** argon2id cost; OWASP's recommendation (19 MiB, 2 passes) unless configured otherwise. */
export interface Argon2Cost {
  readonly memoryKib: number;
  readonly timeCost: number;
}

export const OWASP_ARGON2: Argon2Cost = { memoryKib: 19_456, timeCost: 2 };

/** argon2id is algorithm 2 (a const enum in the package's types, which isolated modules cannot import). */
const ARGON2ID = 2;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Hashes a password with argon2id; the PHC string carries its own parameters and salt. */
export async function hashPassword(password: string, cost: Argon2Cost = OWASP_ARGON2): Promise<string> {
  return hash(password.normalize('NFKC'), { algorithm: ARGON2ID, memoryCost: cost.memoryKib, timeCost: cost.timeCost, parallelism: 1 });
}

/** Verifies a password against a stored hash; a malformed hash is a mismatch, never an error. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

let dummyHash: { cost: string; hash: Promise<string> } | undefined;

/**
 * Spends the time of one verification when there is no account (or no password) to check, so
 * the answer for an unknown email takes as long as for a wrong password.
 */
export async function verifyNothing(password: string, cost: Argon2Cost = OWASP_ARGON2): Promise<false> {
  const key = `${cost.memoryKib}:${cost.timeCost}`;
  if (dummyHash?.cost !== key) dummyHash = { cost: key, hash: hashPassword('servelo-timing-equaliser', cost) };
  await verifyPassword(await dummyHash.hash, password);
  return false;
}

/** The most common passwords and keyboard walks of 12+ characters (breach corpora's top entries). */
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123123123123',
  '111111111111',
  '000000000000',
  'qwertyuiopas',
  'qwertyuiop12',
  'qwertyuiop123',
  'qwerty123456',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'iloveyou1234',
  'abcdefghijkl',
  'abc123abc123',
  'letmein12345',
  'welcome12345',
  'administrator',
  'changeme1234',
  'servelo12345',
  'trustno1trustno1',
]);

/**
 * Password rules (ASVS 6.2): 12 to 256 characters, any characters, no composition rules; refused
 * when it is the email (or its local part), one repeated character, or a well-known password.
 * @throws PASSWORD_TOO_WEAK
 */
export function checkPasswordStrength(password: string, email: string): void {
  const normalised = password.normalize('NFKC');
  if (normalised.length < PASSWORD_MIN_LENGTH) {
    throw new AppError('PASSWORD_TOO_WEAK', `Use at least ${PASSWORD_MIN_LENGTH} characters.`);
  }
  if (normalised.length > PASSWORD_MAX_LENGTH) {
    throw new AppError('PASSWORD_TOO_WEAK', `Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  }
  const lower = normalised.toLowerCase();
  const localPart = email.split('@')[0] ?? '';
  if (lower === email || lower.includes(email) || (localPart.length >= 6 && lower.replace(/[\d\W_]+$/, '') === localPart)) {
    throw new AppError('PASSWORD_TOO_WEAK', 'Do not use your email address as your password.');
  }
  if (new Set(lower).size <= 2 || COMMON_PASSWORDS.has(lower)) {
    throw new AppError('PASSWORD_TOO_WEAK', 'This password is too common. Choose another one.');
  }
}
