import { z } from 'zod';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { queueInfectedFileEmails } from '../notifications/infected-file-email.js';
import { findFile, updateFile } from './file.repository.js';
import { deleteFileObjects, fileKey, type FilesContext } from './file.service.js';
import { PROCESS_IMAGE_JOB, SCAN_FILE_JOB } from './upload.service.js';

export { SCAN_FILE_JOB };

const ZScanFileJob = z.object({ tenantId: z.string(), fileId: z.string() });

export interface ScanFileContext extends FilesContext {
  /** Nudges the worker after a clean image's re-encoding was queued. */
  readonly wakeWorker?: () => void;
  /** For the emails that tell the team about an infected file. */
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly fromAddress: string;
}

/**
 * Scans one new attachment, streamed from the file store to the scanner (files issue, part B2).
 *
 * - clean: the file is served from now on; an image's re-encoding is queued only now, so the
 *   bytes an image decoder reads have passed the scan.
 * - infected: the row is marked first, in one transaction with what tells the team (an audit
 *   entry, and an email to each notification recipient), so nobody is served it even if deleting the bytes then fails; the bytes go next, and
 *   a retry deletes them again. The row stays, so the message shows the file as removed.
 * - scanner down, or no verdict: the handler throws, the outbox retries with backoff and the
 *   file stays `pending`. Nothing but a verdict of clamd ever marks a file clean.
 */
export function createScanFileHandler(ctx: ScanFileContext): JobHandler {
  return async (payload) => {
    const { tenantId, fileId } = ZScanFileJob.parse(payload);
    const scope = forTenant(ctx.db, tenantId);
    const file = await findFile(scope, fileId);
    if (!file) return;
    if (file.scanStatus === 'infected') return deleteFileObjects(ctx, file);
    if (file.scanStatus !== 'pending') return;
    // CLAMAV_URL was unset after this file was queued: wait (retries) rather than serve it unscanned.
    if (!ctx.scanner) throw new Error('no malware scanner is configured (CLAMAV_URL); the file stays pending');
    const stored = await ctx.files.get(fileKey(file, file.status === 'processing' ? 'upload' : 'original'));
    // Deleted meanwhile (the sweep of uploads never attached): nothing is left to scan or to serve.
    if (!stored) return;
    const verdict = await ctx.scanner.scan(stored.body);
    const at = toDbTime(ctx.clock.now());

    if (verdict.kind === 'clean') {
      await scope.transaction(async (tx) => {
        await updateFile(tx, file.id, { scan_status: 'clean', updated_at: at });
        if (file.status === 'processing') {
          await enqueueJob(tx, ctx.clock, {
            kind: PROCESS_IMAGE_JOB,
            tenantId,
            payload: { tenantId, fileId: file.id },
            dedupeKey: `${PROCESS_IMAGE_JOB}:${file.id}`,
          });
        }
      });
      if (file.status === 'processing') ctx.wakeWorker?.();
      return;
    }

    await scope.transaction(async (tx) => {
      await updateFile(tx, file.id, { scan_status: 'infected', updated_at: at });
      await recordAuditEvent(tx, ctx.clock, {
        tenantId,
        actor: { kind: 'system' },
        action: 'file.infected',
        subject: { kind: 'file', id: file.id },
        data: {
          name: file.name,
          signature: verdict.signature,
          uploadedBy: file.uploadedBy,
          ticketId: file.ticketId,
          messageId: file.messageId,
        },
      });
      await queueInfectedFileEmails(tx, ctx, { ...file, signature: verdict.signature });
    });
    await deleteFileObjects(ctx, file);
    ctx.wakeWorker?.();
  };
}
