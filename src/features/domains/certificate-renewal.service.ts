import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import { ISSUE_CERTIFICATE_JOB } from './certificate-jobs.js';
import { queueCertificateProblemEmails } from './certificate-email.js';
import { LAST_WARNING_BEFORE_MS, RENEW_BEFORE_MS } from './certificate.domain.js';
import { findDomainRow, listCertificatesExpiring } from './certificate.repository.js';
import type { CertificateContext } from './certificate.service.js';

/** The recurring sweep: ACME renewals 30 days before expiry, warnings for uploaded certificates. */
export const RENEW_CERTIFICATES_JOB = 'domains.renew_certificates';

/**
 * The hourly sweep: queues a renewal for every ACME certificate within 30 days of expiry (not
 * waiting out a backoff), and emails a warning about uploaded ones at 30 and 7 days.
 */
export async function renewDueCertificates(ctx: CertificateContext): Promise<number> {
  const now = ctx.clock.now();
  const due = await listCertificatesExpiring(ctx.db, toDbTime(new Date(now.getTime() + RENEW_BEFORE_MS)), toDbTime(now));
  let queued = 0;
  for (const cert of due) {
    const scope = forTenant(ctx.db, cert.tenantId);
    if (cert.source === 'acme') {
      if (!ctx.acme) continue;
      const id = await enqueueJob(scope, ctx.clock, {
        kind: ISSUE_CERTIFICATE_JOB,
        payload: { domainId: cert.domainId },
        tenantId: cert.tenantId,
        dedupeKey: `${ISSUE_CERTIFICATE_JOB}:due:${cert.certificateId}:${Math.floor(now.getTime() / 3_600_000)}`,
      });
      if (id) queued++;
      continue;
    }
    const left = new Date(cert.notAfter).getTime() - now.getTime();
    const stage = left <= LAST_WARNING_BEFORE_MS ? 7 : 30;
    const domain = await findDomainRow(scope, cert.domainId);
    if (!domain) continue;
    await inTransaction(ctx.db, async (trx) =>
      queueCertificateProblemEmails(forTenant(trx, cert.tenantId), ctx, {
        host: domain.host,
        subject: 'The uploaded certificate expires soon',
        paragraphs: [
          `The certificate uploaded for ${domain.host} expires on ${new Date(cert.notAfter).toISOString()}.`,
          'Uploaded certificates are not renewed automatically: upload a new one in the operator console before then.',
        ],
        dedupeKey: `certificate-expiring:${cert.certificateId}:${stage}`,
      }),
    );
  }
  if (queued > 0) ctx.wakeWorker?.();
  return queued;
}

export function createRenewCertificatesHandler(ctx: CertificateContext): JobHandler {
  return async () => {
    await renewDueCertificates(ctx);
  };
}
