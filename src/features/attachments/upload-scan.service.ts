import { forTenant } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { ScannerUnavailableError } from '../../platform/scanning/file-scanner.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { fileKey, type FilesContext, type StoredFile } from './file.service.js';

/** A scanner outage is short, or an operator's problem: a client may try again in half a minute. */
const SCANNER_RETRY_AFTER_SECONDS = '30';

/**
 * Scans an upload that is used at once, inside its request (a profile photo, a logo), when a
 * scanner is configured: these are shown straight away, so they cannot wait for the worker. The
 * caller deletes the upload when this throws. An infected one is audited (`upload.infected`).
 * @throws UPLOAD_INFECTED, SERVICE_UNAVAILABLE (with Retry-After) while the scanner is down
 */
export async function scanUploadNow(ctx: FilesContext, file: StoredFile): Promise<void> {
  if (!ctx.scanner) return;
  const stored = await ctx.files.get(fileKey(file, 'upload'));
  if (!stored) throw new Error(`the upload of file ${file.id} is missing`);
  let verdict;
  try {
    verdict = await ctx.scanner.scan(stored.body);
  } catch (error) {
    if (!(error instanceof ScannerUnavailableError)) throw error;
    throw new AppError('SERVICE_UNAVAILABLE', 'Uploads cannot be checked for viruses right now. Please try again in a minute.', {
      cause: error,
      headers: { 'retry-after': SCANNER_RETRY_AFTER_SECONDS },
    });
  }
  if (verdict.kind === 'clean') return;
  await recordAuditEvent(forTenant(ctx.db, file.tenantId), ctx.clock, {
    tenantId: file.tenantId,
    actor: { kind: 'system' },
    action: 'upload.infected',
    subject: { kind: 'file', id: file.id },
    data: { name: file.name, purpose: file.purpose, signature: verdict.signature, uploadedBy: file.uploadedBy },
  });
  throw new AppError('UPLOAD_INFECTED', `“${file.name}” failed a virus scan and was not kept.`);
}
