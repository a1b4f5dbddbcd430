import type { Selectable, Updateable } from 'kysely';
import type { Executor, FilePurpose, FileScanStatus, FileStatus, FileTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import { findAbandonedFileRows, findTenantsStoringMoreThan } from '../../platform/db/cross-tenant.repository.js';
import type { TenantInsert, TenantScope } from '../../platform/db/tenant-scope.js';

export interface StoredFile {
  readonly id: string;
  readonly tenantId: string;
  readonly purpose: FilePurpose;
  readonly uploadedBy: { readonly kind: 'contact' | 'team_member'; readonly id: string };
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly sha256: string;
  readonly status: FileStatus;
  readonly scanStatus: FileScanStatus;
  readonly width: number | null;
  readonly height: number | null;
  readonly displaySize: number | null;
  readonly thumbSize: number | null;
  readonly ticketId: string | null;
  readonly messageId: string | null;
  readonly attachedAt: Date | null;
  readonly createdAt: Date;
}

function toStoredFile(row: Selectable<FileTable>): StoredFile {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    purpose: row.purpose,
    uploadedBy: { kind: row.uploaded_by_kind, id: row.uploaded_by_id },
    name: row.name,
    type: row.type,
    // PostgreSQL returns integers of aggregate-sized columns as numbers here (int4); Number() keeps both dialects alike.
    size: Number(row.size),
    sha256: row.sha256,
    status: row.status,
    scanStatus: row.scan_status,
    width: row.width,
    height: row.height,
    displaySize: row.display_size === null ? null : Number(row.display_size),
    thumbSize: row.thumb_size === null ? null : Number(row.thumb_size),
    ticketId: row.ticket_id,
    messageId: row.message_id,
    attachedAt: row.attached_at === null ? null : fromDbTime(row.attached_at),
    createdAt: fromDbTime(row.created_at),
  };
}

export async function insertFile(scope: TenantScope, row: TenantInsert<'file'>): Promise<void> {
  await scope.insertInto('file', row).execute();
}

export async function updateFile(scope: TenantScope, id: string, patch: Updateable<FileTable>): Promise<void> {
  await scope.updateTable('file').set(patch).where('file.id', '=', id).execute();
}

export async function findFile(scope: TenantScope, id: string): Promise<StoredFile | undefined> {
  const row = await scope.selectFrom('file').selectAll().where('file.id', '=', id).executeTakeFirst();
  return row && toStoredFile(row);
}

/** In upload order (ids are time-ordered UUIDv7). */
export async function findFilesByIds(scope: TenantScope, ids: readonly string[]): Promise<StoredFile[]> {
  if (ids.length === 0) return [];
  const rows = await scope
    .selectFrom('file')
    .selectAll()
    .where('file.id', 'in', [...ids])
    .orderBy('file.id')
    .execute();
  return rows.map(toStoredFile);
}

/** The files attached to these messages, oldest first (the order they were uploaded in). */
export async function listFilesOfMessages(scope: TenantScope, messageIds: readonly string[]): Promise<StoredFile[]> {
  if (messageIds.length === 0) return [];
  const rows = await scope
    .selectFrom('file')
    .selectAll()
    .where('file.message_id', 'in', [...messageIds])
    .orderBy('file.id')
    .execute();
  return rows.map(toStoredFile);
}

/**
 * Bytes the organisation stores, counting uploads not attached yet — or, for the team's own
 * uploads (`exceptCustomersUnsent`), all but customers' attachments not sent yet: those are capped
 * per customer and swept, and must never stand in the team's way (issue 11).
 */
export async function sumTenantFileBytes(scope: TenantScope, options: { readonly exceptCustomersUnsent?: boolean } = {}): Promise<number> {
  let query = scope.selectFrom('file').select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('file.size'), eb.lit(0)).as('bytes'));
  if (options.exceptCustomersUnsent) {
    query = query.where((eb) =>
      eb.or([eb('file.uploaded_by_kind', '!=', 'contact'), eb('file.purpose', '!=', 'attachment'), eb('file.attached_at', 'is not', null)]),
    );
  }
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.bytes);
}

/** Bytes of the attachments a customer uploaded and has not sent with a message yet. */
export async function sumContactUnsentBytes(scope: TenantScope, contactId: string): Promise<number> {
  const row = await scope
    .selectFrom('file')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('file.size'), eb.lit(0)).as('bytes'))
    .where('file.uploaded_by_kind', '=', 'contact')
    .where('file.uploaded_by_id', '=', contactId)
    .where('file.purpose', '=', 'attachment')
    .where('file.attached_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.bytes);
}

/** What a customer uploaded after `since` (files still stored): the bytes, and when the oldest of them came. */
export async function sumContactUploadsSince(
  scope: TenantScope,
  contactId: string,
  since: string,
): Promise<{ readonly bytes: number; readonly oldest: Date | null }> {
  const row = await scope
    .selectFrom('file')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number | string>('file.size'), eb.lit(0)).as('bytes'),
      eb.fn.min<string | null>('file.created_at').as('oldest'),
    ])
    .where('file.uploaded_by_kind', '=', 'contact')
    .where('file.uploaded_by_id', '=', contactId)
    .where('file.created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { bytes: Number(row.bytes), oldest: row.oldest === null ? null : fromDbTime(row.oldest) };
}

/** Customers' attachments not sent since `before`, oldest first (the sweep of an organisation near its quota). */
export async function findUnsentCustomerUploads(scope: TenantScope, before: string, limit: number): Promise<StoredFile[]> {
  const rows = await scope
    .selectFrom('file')
    .selectAll()
    .where('file.uploaded_by_kind', '=', 'contact')
    .where('file.purpose', '=', 'attachment')
    .where('file.attached_at', 'is', null)
    .where('file.created_at', '<', before)
    .orderBy('file.created_at')
    .limit(limit)
    .execute();
  return rows.map(toStoredFile);
}

export async function sumTicketFileBytes(scope: TenantScope, ticketId: string): Promise<number> {
  const row = await scope
    .selectFrom('file')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('file.size'), eb.lit(0)).as('bytes'))
    .where('file.ticket_id', '=', ticketId)
    .executeTakeFirstOrThrow();
  return Number(row.bytes);
}

/**
 * Attaches uploads to a message, only those still unattached: the count tells the caller whether
 * a concurrent request attached one of them first.
 */
export async function markFilesAttached(
  scope: TenantScope,
  ids: readonly string[],
  target: { readonly ticketId: string; readonly messageId: string; readonly at: string },
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await scope
    .updateTable('file')
    .set({ ticket_id: target.ticketId, message_id: target.messageId, attached_at: target.at, updated_at: target.at })
    .where('file.id', 'in', [...ids])
    .where('file.attached_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteFileRows(scope: TenantScope, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await scope
    .deleteFrom('file')
    .where('file.id', 'in', [...ids])
    .execute();
}

/** Files nobody will use, in any tenant (the worker's sweep: cross-tenant.repository); each names its tenant. */
export async function findAbandonedFiles(
  db: Executor,
  cutoff: { readonly unattachedBefore: string; readonly uploadingBefore: string; readonly limit: number },
): Promise<StoredFile[]> {
  return (await findAbandonedFileRows(db, cutoff)).map(toStoredFile);
}

/** Tenants whose files take more than `bytes`, in any tenant (the worker's sweep: cross-tenant.repository). */
export async function findTenantsOverFileBytes(db: Executor, bytes: number): Promise<string[]> {
  return findTenantsStoringMoreThan(db, bytes);
}
