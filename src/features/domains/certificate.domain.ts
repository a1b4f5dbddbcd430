import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { DomainCertificateTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { Selectable } from 'kysely';

/** A certificate of a custom domain, without its PEM or key (those are read only to serve or revoke). */
export interface DomainCertificate {
  readonly id: string;
  readonly tenantId: string;
  readonly domainId: string;
  readonly host: string;
  readonly source: 'acme' | 'upload';
  readonly status: 'active' | 'superseded' | 'revoked';
  readonly issuer: string;
  readonly serial: string;
  readonly fingerprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly revokeReason: string | null;
}

export function toDomainCertificate(
  row: Omit<Selectable<DomainCertificateTable>, 'cert_ciphertext' | 'key_ciphertext'>,
): DomainCertificate {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    domainId: row.domain_id,
    host: row.host,
    source: row.source,
    status: row.status,
    issuer: row.issuer,
    serial: row.serial,
    fingerprint: row.fingerprint,
    notBefore: fromDbTime(row.not_before),
    notAfter: fromDbTime(row.not_after),
    createdAt: fromDbTime(row.created_at),
    revokedAt: row.revoked_at === null ? null : fromDbTime(row.revoked_at),
    revokeReason: row.revoke_reason,
  };
}

/** ACME certificates are renewed this long before they expire; uploaded ones are warned about then. */
export const RENEW_BEFORE_MS = 30 * 24 * 60 * 60_000;
/** The second warning for an uploaded certificate nobody replaced. */
export const LAST_WARNING_BEFORE_MS = 7 * 24 * 60 * 60_000;

const MINUTE = 60_000;
/** Wait after the n-th failed attempt in a row (1-based): 5 min, 30 min, 2 h, 12 h, then a day. */
const BACKOFF_MS = [5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 720 * MINUTE, 1440 * MINUTE];

export function certificateBackoffMs(failures: number): number {
  return BACKOFF_MS[Math.min(Math.max(failures, 1), BACKOFF_MS.length) - 1]!;
}

/** What is stored about a certificate besides its ciphertexts. */
export interface CertificateFacts {
  readonly issuer: string;
  readonly serial: string;
  readonly fingerprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export function factsOf(leaf: X509Certificate): CertificateFacts {
  return {
    issuer: leaf.issuer.replace(/\n/g, ', '),
    serial: leaf.serialNumber.toLowerCase(),
    fingerprint: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
  };
}

/** The certificates of a PEM bundle, in order; [] when there is none or one cannot be read. */
export function parseCertificateChain(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    return blocks.map((block) => new X509Certificate(block));
  } catch {
    return [];
  }
}

export type UploadProblem =
  'CERTIFICATE_INVALID' | 'CERTIFICATE_HOST_MISMATCH' | 'CERTIFICATE_EXPIRED' | 'CERTIFICATE_NOT_YET_VALID' | 'CERTIFICATE_KEY_MISMATCH';

export type UploadCheck =
  | { readonly ok: true; readonly chainPem: string; readonly keyPem: string; readonly facts: CertificateFacts }
  | { readonly ok: false; readonly problem: UploadProblem; readonly message: string };

/**
 * Checks an uploaded certificate for `host` at `now`: a readable chain, leaf first, each one issued
 * and signed by the next; a readable private key that belongs to the leaf; the leaf valid for the
 * host and within its validity period. Returns the normalised PEM to store.
 */
export function checkUploadedCertificate(input: { certPem: string; keyPem: string }, host: string, now: Date): UploadCheck {
  const refuse = (problem: UploadProblem, message: string): UploadCheck => ({ ok: false, problem, message });
  const chain = parseCertificateChain(input.certPem);
  const leaf = chain[0];
  if (!leaf) return refuse('CERTIFICATE_INVALID', 'No PEM certificate could be read. Paste the certificate chain, leaf first.');
  let key: KeyObject;
  try {
    key = createPrivateKey(input.keyPem);
  } catch {
    return refuse('CERTIFICATE_INVALID', 'The private key could not be read. Paste an unencrypted PEM private key.');
  }
  if (leaf.ca) return refuse('CERTIFICATE_INVALID', 'The first certificate is a CA certificate; put the domain’s own certificate first.');
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i]!;
    const parent = chain[i + 1]!;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      return refuse(
        'CERTIFICATE_INVALID',
        `Certificate ${i + 2} of the chain did not issue certificate ${i + 1}; put the chain in order, leaf first.`,
      );
    }
  }
  if (!leaf.checkPrivateKey(key)) return refuse('CERTIFICATE_KEY_MISMATCH', 'This private key does not belong to the certificate.');
  if (leaf.checkHost(host) === undefined) return refuse('CERTIFICATE_HOST_MISMATCH', `This certificate is not valid for ${host}.`);
  const facts = factsOf(leaf);
  if (now.getTime() >= facts.notAfter.getTime())
    return refuse('CERTIFICATE_EXPIRED', `This certificate expired on ${facts.notAfter.toISOString()}.`);
  if (now.getTime() < facts.notBefore.getTime()) {
    return refuse('CERTIFICATE_NOT_YET_VALID', `This certificate is valid only from ${facts.notBefore.toISOString()}.`);
  }
  return {
    ok: true,
    chainPem: chain.map((c) => c.toString()).join(''),
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    facts,
  };
}
