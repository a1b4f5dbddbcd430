import type { Clock } from '../../platform/clock.js';
import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import type { FileScanner } from '../../platform/scanning/file-scanner.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { megabytes } from './upload-inspector.js';
import {
  deleteFileRows,
  findAbandonedFiles,
  findFilesByIds,
  findTenantsOverFileBytes,
  findUnsentCustomerUploads,
  listFilesOfMessages,
  markFilesAttached,
  sumTicketFileBytes,
  type StoredFile,
} from './file.repository.js';

export type { StoredFile } from './file.repository.js';

/** What a service needs to reach files: the database, the clock, the store (and the scanner, when there is one). */
export interface FilesContext extends AppContext {
  readonly files: FileStore;
  readonly scanner?: FileScanner | null;
}

/** `upload` holds an image's bytes until the worker has re-encoded them; only the others are ever served. */
export type FileVariant = 'upload' | 'original' | 'display' | 'thumb';
const VARIANTS: readonly FileVariant[] = ['upload', 'original', 'display', 'thumb'];

/** Keys are generated from ids, under the tenant's prefix; the user's filename never appears. */
export function fileKey(file: { readonly tenantId: string; readonly id: string }, variant: FileVariant): string {
  return `tenants/${file.tenantId}/files/${file.id}/${variant}`;
}

export function isImageType(type: string): boolean {
  return type.startsWith('image/');
}

/** Attachments of these messages, grouped by message id. */
export async function attachmentsOfMessages(scope: TenantScope, messageIds: readonly string[]): Promise<Map<string, StoredFile[]>> {
  const byMessage = new Map<string, StoredFile[]>();
  for (const file of await listFilesOfMessages(scope, messageIds)) {
    if (!file.messageId) continue;
    const list = byMessage.get(file.messageId) ?? [];
    list.push(file);
    byMessage.set(file.messageId, list);
  }
  return byMessage;
}

export interface AttachTarget {
  readonly uploader: { readonly kind: 'contact' | 'team_member'; readonly id: string };
  readonly ticketId: string;
  readonly messageId: string;
  readonly ticketQuotaBytes: number;
}

/**
 * Attaches the uploader's own unattached uploads to a message, inside the caller's transaction.
 * Anything else — another person's upload, another tenant's, one already attached, a profile
 * photo, a refused image — is "not found", so ids reveal nothing.
 * @throws FILE_NOT_FOUND, TICKET_QUOTA_EXCEEDED
 */
export async function attachUploads(
  scope: TenantScope,
  clock: Clock,
  fileIds: readonly string[],
  target: AttachTarget,
): Promise<StoredFile[]> {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) return [];
  const files = await findFilesByIds(scope, ids);
  const usable = files.filter(
    (f) =>
      f.purpose === 'attachment' &&
      f.uploadedBy.kind === target.uploader.kind &&
      f.uploadedBy.id === target.uploader.id &&
      f.attachedAt === null &&
      (f.status === 'processing' || f.status === 'ready'),
  );
  const infected = usable.filter((f) => f.scanStatus === 'infected');
  if (infected.length > 0) {
    throw new AppError('FILE_INFECTED', `“${infected[0]!.name}” failed a virus scan and was removed; it cannot be attached.`, {
      details: infected.map((f) => ({ path: 'fileIds', message: f.id })),
    });
  }
  if (usable.length !== ids.length) {
    const missing = ids.filter((id) => !usable.some((f) => f.id === id));
    throw new AppError('FILE_NOT_FOUND', 'One of the attached files does not exist or was already used. Upload it again.', {
      details: missing.map((id) => ({ path: 'fileIds', message: id })),
    });
  }
  const adding = usable.reduce((sum, f) => sum + f.size, 0);
  const used = await sumTicketFileBytes(scope, target.ticketId);
  if (used + adding > target.ticketQuotaBytes) {
    throw new AppError(
      'TICKET_QUOTA_EXCEEDED',
      `This ticket can hold ${megabytes(target.ticketQuotaBytes)} of files and has ${megabytes(Math.max(0, target.ticketQuotaBytes - used))} left. Remove some files or send them in a new request.`,
    );
  }
  const at = toDbTime(clock.now());
  const attached = await markFilesAttached(scope, ids, { ticketId: target.ticketId, messageId: target.messageId, at });
  // Another request attached one of them between our read and this write.
  if (attached !== ids.length) throw new AppError('FILE_NOT_FOUND', 'One of the attached files was already used. Upload it again.');
  return usable;
}

/**
 * Removes files entirely: their objects first (a delete of a missing object succeeds, so a retry
 * after a failure here is safe), then their rows.
 */
export async function deleteFiles(ctx: FilesContext, tenantId: string, files: readonly { readonly id: string }[]): Promise<void> {
  if (files.length === 0) return;
  for (const file of files) await deleteFileObjects(ctx, { tenantId, id: file.id });
  await deleteFileRows(
    forTenant(ctx.db, tenantId),
    files.map((f) => f.id),
  );
}

/** Deletes every stored variant of a file, keeping its row (a missing object is no error). */
export async function deleteFileObjects(ctx: FilesContext, file: { readonly tenantId: string; readonly id: string }): Promise<void> {
  await Promise.all(VARIANTS.map((variant) => ctx.files.delete(fileKey(file, variant))));
}

export const UNATTACHED_TTL_MS = 24 * 60 * 60 * 1000;
/** An upload still `uploading` after this long was cut off by a crash (the worker passes twice the request time limit). */
export const UPLOADING_TTL_MS = 60 * 60 * 1000;

/**
 * The worker's sweep: uploads not attached within 24 hours, and uploads a crash left half-written,
 * are deleted with their objects. Returns how many went; runs in batches until none are left.
 */
export async function sweepAbandonedFiles(
  ctx: FilesContext,
  options: { readonly uploadingTtlMs?: number; readonly batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  const uploadingTtlMs = options.uploadingTtlMs ?? UPLOADING_TTL_MS;
  const now = ctx.clock.now().getTime();
  let removed = 0;
  for (;;) {
    const batch = await findAbandonedFiles(ctx.db, {
      unattachedBefore: toDbTime(new Date(now - UNATTACHED_TTL_MS)),
      uploadingBefore: toDbTime(new Date(now - uploadingTtlMs)),
      limit: batchSize,
    });
    if (batch.length === 0) return removed;
    for (const tenantId of new Set(batch.map((f) => f.tenantId))) {
      await deleteFiles(
        ctx,
        tenantId,
        batch.filter((f) => f.tenantId === tenantId),
      );
    }
    removed += batch.length;
    if (batch.length < batchSize) return removed;
  }
}

/** Above this share of its quota, an organisation has customers' unsent uploads removed after an hour instead of a day. */
export const NEAR_QUOTA_SHARE = 0.8;
export const UNATTACHED_TTL_NEAR_QUOTA_MS = 60 * 60 * 1000;

/**
 * The sweep of organisations near their file quota (issue 11): customers' attachments not sent
 * within an hour are deleted, so unsent uploads cannot keep the quota full for a day. The team's
 * own unsent uploads keep the usual day: a member writing a long reply should not lose them, and
 * customers' unsent uploads never count against the team's room (`sumTenantFileBytes`). Returns
 * how many went.
 */
export async function sweepUnsentUploadsNearQuota(ctx: FilesContext, tenantQuotaBytes: number, batchSize = 100): Promise<number> {
  const before = toDbTime(new Date(ctx.clock.now().getTime() - UNATTACHED_TTL_NEAR_QUOTA_MS));
  let removed = 0;
  for (const tenantId of await findTenantsOverFileBytes(ctx.db, Math.floor(tenantQuotaBytes * NEAR_QUOTA_SHARE))) {
    const scope = forTenant(ctx.db, tenantId);
    for (;;) {
      const batch = await findUnsentCustomerUploads(scope, before, batchSize);
      await deleteFiles(ctx, tenantId, batch);
      removed += batch.length;
      if (batch.length < batchSize) break;
    }
  }
  return removed;
}
