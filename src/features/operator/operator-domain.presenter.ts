import type { OperatorDomainRow } from './operator-domain.repository.js';
import type { TOperatorDomain } from './operator-domain.schemas.js';

/** A claim as the console shows it, with what the operator may do with it now. */
export function presentOperatorDomain(row: OperatorDomainRow, acme: boolean): TOperatorDomain {
  const d = row.domain;
  const hasCertificate = row.certificateId !== null;
  const verified = d.status !== 'pending_dns' && d.status !== 'failed';
  const live = row.tenantStatus === 'active';
  return {
    id: d.id,
    host: d.host,
    tenant: { id: d.tenant_id, slug: row.tenantSlug, name: row.tenantName, status: row.tenantStatus },
    status: d.status,
    statusReason: d.status_reason,
    approvedAt: d.approved_at,
    verifiedAt: d.verified_at,
    lastCheckedAt: d.last_checked_at,
    certificate:
      row.certificateId && row.certificateIssuer && row.certificateSource && row.certificateNotAfter
        ? { id: row.certificateId, issuer: row.certificateIssuer, source: row.certificateSource, notAfter: row.certificateNotAfter }
        : null,
    certificateError: d.certificate_error,
    certificateAttempts: d.certificate_attempts,
    certificateNextAttemptAt: d.certificate_next_attempt_at,
    can: {
      issue: live && d.status === 'verified',
      renew: acme && (d.status === 'active' || d.status === 'issuing' || d.status === 'lapsed'),
      revoke: hasCertificate,
      upload: live && verified,
    },
  };
}
