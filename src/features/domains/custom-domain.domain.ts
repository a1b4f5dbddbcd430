import type { CustomDomainStatus, CustomDomainTable } from '../../platform/db/database.js';
import type { Selectable } from 'kysely';
import { fromDbTime } from '../../platform/db/time.js';

export type { CustomDomainStatus } from '../../platform/db/database.js';

/**
 * A custom domain an organisation claimed (issue 14, SECURITY.md §7). The life of a claim:
 *
 *   pending_dns ──(CNAME and TXT found)──▶ verified ──(operator issues, or automatic)──▶ issuing ──▶ active
 *        │                                    │                                          │
 *        └──(no proof within the window)──▶ failed            (DNS stops pointing at us) └──▶ lapsed
 *
 * A lapsed domain is still served for the grace period after `lapsedAt` (the tenant and the operator
 * are told, and it comes back by itself when DNS is fixed); after that it serves nothing.
 */
export interface CustomDomain {
  readonly id: string;
  readonly tenantId: string;
  readonly host: string;
  readonly verificationToken: string;
  readonly status: CustomDomainStatus;
  readonly statusReason: string | null;
  /** What DNS answered at the last check. */
  readonly dnsObserved: DnsObservation | null;
  readonly approvedAt: Date | null;
  readonly verifiedAt: Date | null;
  readonly activatedAt: Date | null;
  readonly lapsedAt: Date | null;
  readonly lastCheckedAt: Date | null;
  readonly nextCheckAt: Date | null;
  readonly checkFailures: number;
  readonly certificateError: string | null;
  readonly certificateAttempts: number;
  readonly certificateNextAttemptAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** When the current wait for DNS proof began; null outside `pending_dns`. */
  readonly pendingSince: Date | null;
}

/** What the resolver found for a claim's two records. */
export interface DnsObservation {
  /** The CNAME target of the host, lower-case without the trailing dot; null: none. */
  readonly cname: string | null;
  /** The addresses the host resolves to (through the CNAME, if any). */
  readonly addresses: readonly string[];
  /** The values of the TXT records at `_servelo-challenge.<host>`. */
  readonly txt: readonly string[];
}

/** The TXT record that proves a claim: `_servelo-challenge.<host>` holding the claim's token. */
export function challengeRecordName(host: string): string {
  return `_servelo-challenge.${host}`;
}

/**
 * Whether the portal is served on this domain at `now`: active, or lapsed within the grace period
 * (a certificate may already be out there; customers keep working while the tenant fixes DNS).
 */
export function isServable(domain: Pick<CustomDomain, 'status' | 'lapsedAt'>, now: Date, lapseGraceMs: number): boolean {
  if (domain.status === 'active') return true;
  return domain.status === 'lapsed' && domain.lapsedAt !== null && now.getTime() < domain.lapsedAt.getTime() + lapseGraceMs;
}

/**
 * Whether a certificate may be obtained for this domain (the on-demand TLS `ask` endpoint, ACME
 * issuance): DNS is proven and the operator approved — by hand or by the "issue automatically" setting.
 */
export function mayHoldCertificate(
  domain: Pick<CustomDomain, 'status' | 'approvedAt' | 'lapsedAt'>,
  now: Date,
  lapseGraceMs: number,
): boolean {
  if (isServable(domain, now, lapseGraceMs)) return true;
  return (domain.status === 'verified' || domain.status === 'issuing') && domain.approvedAt !== null;
}

export function toCustomDomain(row: Selectable<CustomDomainTable>): CustomDomain {
  const at = (v: string | null) => (v === null ? null : fromDbTime(v));
  return {
    id: row.id,
    tenantId: row.tenant_id,
    host: row.host,
    verificationToken: row.verification_token,
    status: row.status,
    statusReason: row.status_reason,
    dnsObserved: row.dns_observed === null ? null : (JSON.parse(row.dns_observed) as DnsObservation),
    approvedAt: at(row.approved_at),
    verifiedAt: at(row.verified_at),
    activatedAt: at(row.activated_at),
    lapsedAt: at(row.lapsed_at),
    lastCheckedAt: at(row.last_checked_at),
    nextCheckAt: at(row.next_check_at),
    checkFailures: row.check_failures,
    certificateError: row.certificate_error,
    certificateAttempts: row.certificate_attempts,
    certificateNextAttemptAt: at(row.certificate_next_attempt_at),
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
    pendingSince: at(row.pending_since),
  };
}
