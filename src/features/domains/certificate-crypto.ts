import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Certificates, their private keys and the ACME account key at rest (SECURITY.md §2): AES-256-GCM
 * under a key derived by HKDF from DOMAIN_KEY_SECRET, or from APP_SECRET when that is not set —
 * with its own info string, so it is never the TOTP key. The associated data names what the
 * ciphertext is (`domain_certificate:<id>:key`), so a ciphertext cannot be moved to another row.
 */
export function certificateKeyFrom(secrets: { readonly keySecret: string | null; readonly appSecret: string }): Buffer {
  return Buffer.from(hkdfSync('sha256', secrets.keySecret ?? secrets.appSecret, 'servelo', 'domain-certificates v1', 32));
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptSecretText(key: Buffer, purpose: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** @throws Error when the ciphertext was tampered with, moved to another row, or the key changed */
export function decryptSecretText(key: Buffer, purpose: string, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('unknown ciphertext format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
