import type { Readable } from 'node:stream';
import type { FilePurpose } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import { sanitizeFileName, typesForName } from './file-policy.js';
import {
  findFilesByIds,
  insertFile,
  sumContactUnsentBytes,
  sumContactUploadsSince,
  sumTenantFileBytes,
  updateFile,
  type StoredFile,
} from './file.repository.js';
import { deleteFiles, fileKey, type FilesContext } from './file.service.js';
import { probeImage, type ImageType } from './image-processing.js';
import { describeWait } from '../tenants/customer-limits.js';
import { megabytes, notAllowed, UploadInspector } from './upload-inspector.js';

export const PROCESS_IMAGE_JOB = 'files.process_image';
/** The worker's malware scan of one new attachment (when a scanner is configured). */
export const SCAN_FILE_JOB = 'files.scan';
/**
 * A scan waits for clamd to come back for about a day (the backoff doubles up to an hour) before
 * the job is dead; the file stays `pending`, never served, until `servelo outbox retry`.
 */
export const SCAN_FILE_MAX_ATTEMPTS = 30;

/** One part of a multipart body, as the route hands it over (services never see Fastify). */
export interface UploadPart {
  readonly fieldName: string;
  /** Present for file parts; a plain form field has none. */
  readonly file?: { readonly fileName: string; readonly stream: Readable };
}

export interface UploadLimits {
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  readonly tenantQuotaBytes: number;
  /** A customer's own limits on attachments (portal uploads): bytes not sent yet, and bytes per 24 hours. */
  readonly customer?: { readonly unsentBytes: number; readonly dailyBytes: number };
}

/** Room left under one limit, and the error when a file does not fit. */
interface Budget {
  left: number;
  readonly overflow?: (name: string) => AppError;
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * The limits an upload must fit in. The organisation's quota counts everything stored — except,
 * for the team, customers' attachments not sent yet (issue 11: they are capped per customer and
 * swept, and must never block the team's own uploads). A customer also has their own quota of
 * unsent attachments (413 PENDING_UPLOADS_FULL) and a daily volume (429 with Retry-After).
 */
async function budgetsOf(ctx: FilesContext, scope: TenantScope, uploader: Uploader, limits: UploadLimits): Promise<Budget[]> {
  const stored = await sumTenantFileBytes(scope, { exceptCustomersUnsent: uploader.kind === 'team_member' });
  const budgets: Budget[] = [{ left: limits.tenantQuotaBytes - stored }];
  if (uploader.kind !== 'contact' || !limits.customer) return budgets;
  const { unsentBytes, dailyBytes } = limits.customer;
  budgets.push({
    left: unsentBytes - (await sumContactUnsentBytes(scope, uploader.id)),
    overflow: (name) =>
      new AppError(
        'PENDING_UPLOADS_FULL',
        `“${name}” does not fit: you can have up to ${megabytes(unsentBytes)} of files uploaded but not sent yet. Send the files you uploaded with your message first, or wait a day until unsent files are removed.`,
        { details: [{ path: 'files', message: name }] },
      ),
  });
  const now = ctx.clock.now().getTime();
  const today = await sumContactUploadsSince(scope, uploader.id, toDbTime(new Date(now - DAY_MS)));
  // Room comes back as the oldest upload of the last 24 hours turns a day old.
  const waitSeconds = Math.max(1, Math.ceil(((today.oldest?.getTime() ?? now) + DAY_MS - now) / 1000));
  budgets.push({
    left: dailyBytes - today.bytes,
    overflow: () =>
      new AppError(
        'CUSTOMER_LIMIT_REACHED',
        `You have uploaded a lot of files today. You can upload more in ${describeWait(waitSeconds)}.`,
        { headers: { 'retry-after': String(waitSeconds) } },
      ),
  });
  return budgets;
}

/** The tightest of the budgets: what is left for the next file, and the error past it. */
function tightest(budgets: readonly Budget[]): Budget {
  return budgets.reduce((a, b) => (b.left < a.left ? b : a));
}

export interface Uploader {
  readonly tenantId: string;
  readonly kind: 'contact' | 'team_member';
  readonly id: string;
}

export interface UploadOptions {
  readonly purpose: FilePurpose;
  /** The form field files must come in (`files`, or `photo` for a profile photo). */
  readonly fieldName: string;
  readonly limits: UploadLimits;
  /** Queue the worker's re-encoding of images (attachments); off when the caller re-encodes at once (profile photos). */
  readonly queueImageProcessing: boolean;
}

/**
 * Streams the files of one multipart upload into the store and records them — all or nothing.
 *
 * Every limit is checked while the bytes arrive (count, size per file, the organisation's quota,
 * type by signature and extension, an image's pixel count from its header): the first violation
 * stops the upload, and every object and row of it is removed before the error goes back. A row
 * is written (as `uploading`) before its bytes, so even a crash mid-upload leaves a row the
 * worker's sweep finds and deletes with its object. Images wait for the worker's re-encoding
 * (`processing`); only its output is ever served. With a scanner, attachments are also `pending`
 * until the worker's scan: only a clean file is re-encoded or served (file-scan.job.ts).
 * @throws UPLOAD_INVALID, TOO_MANY_FILES, FILE_TOO_LARGE, FILE_TYPE_NOT_ALLOWED, IMAGE_TOO_LARGE, IMAGE_INVALID, TENANT_QUOTA_EXCEEDED,
 *   PENDING_UPLOADS_FULL and CUSTOMER_LIMIT_REACHED (a customer's own limits)
 */
export async function receiveUpload(
  ctx: FilesContext,
  uploader: Uploader,
  parts: AsyncIterable<UploadPart>,
  options: UploadOptions,
): Promise<StoredFile[]> {
  const scope = forTenant(ctx.db, uploader.tenantId);
  const received: { readonly id: string }[] = [];
  try {
    const budgets = await budgetsOf(ctx, scope, uploader, options.limits);
    const finished: { id: string; patch: Parameters<typeof updateFile>[2]; image: boolean }[] = [];
    for await (const part of parts) {
      if (!part.file || part.fieldName !== options.fieldName) {
        part.file?.stream.resume();
        throw new AppError(
          'UPLOAD_INVALID',
          `This upload has an unexpected field “${part.fieldName}”; send only files in “${options.fieldName}”.`,
          {
            details: [{ path: part.fieldName, message: 'unexpected field' }],
          },
        );
      }
      const name = sanitizeFileName(part.file.fileName);
      if (received.length === options.limits.maxFiles) {
        part.file.stream.resume();
        throw new AppError(
          'TOO_MANY_FILES',
          options.limits.maxFiles === 1
            ? `Send one file at a time; “${name}” was one too many.`
            : `One upload can have at most ${options.limits.maxFiles} files; “${name}” was one too many.`,
          { details: [{ path: options.fieldName, message: name }] },
        );
      }
      const candidates = typesForName(name).filter((t) => options.purpose === 'attachment' || t.kind === 'image');
      if (candidates.length === 0) {
        part.file.stream.resume();
        throw notAllowed(name);
      }

      const image = candidates.some((t) => t.kind === 'image');
      const budget = tightest(budgets);
      const inspector = new UploadInspector({
        name,
        candidates,
        maxBytes: options.limits.maxFileBytes,
        allowanceBytes: budget.left,
        ...(budget.overflow ? { overAllowance: budget.overflow } : {}),
        keepHead: image,
      });
      // Wired before any await: a part can fail (a body cut off) while the row is being written,
      // and a stream that errored before it was piped would leave the store waiting forever.
      const source = part.file.stream;
      source.once('error', (error) => inspector.destroy(toUploadError(error)));
      // The inspector may fail before the store has wired up its pipeline (it opens a file or a
      // connection first); the store still sees the error on the destroyed stream, so this
      // listener only keeps an early failure from being "unhandled".
      inspector.on('error', () => undefined);
      const now = ctx.clock.now();
      const id = newId(now.getTime());
      received.push({ id });
      const at = toDbTime(now);
      await insertFile(scope, {
        id,
        purpose: options.purpose,
        uploaded_by_kind: uploader.kind,
        uploaded_by_id: uploader.id,
        name,
        type: candidates[0]?.mime ?? 'application/octet-stream',
        status: 'uploading',
        width: null,
        height: null,
        display_size: null,
        thumb_size: null,
        ticket_id: null,
        message_id: null,
        attached_at: null,
        created_at: at,
        updated_at: at,
      });

      if (source.destroyed) throw toUploadError(source.errored ?? new Error('the part closed before it was read'));
      await ctx.files.put(fileKey({ tenantId: uploader.tenantId, id }, image ? 'upload' : 'original'), source.pipe(inspector));
      const inspected = inspector.inspected;
      for (const each of budgets) each.left -= inspected.size;

      let dimensions: { width: number | null; height: number | null } = { width: null, height: null };
      if (inspected.type.kind === 'image') {
        const probe = await probeImage(inspected.head, inspected.type.mime as ImageType, inspected.complete);
        if (probe.kind === 'too_large') {
          throw new AppError(
            'IMAGE_TOO_LARGE',
            `“${name}” is ${probe.probe.width} × ${probe.probe.height} pixels; images can have at most 40 megapixels.`,
            { details: [{ path: options.fieldName, message: name }] },
          );
        }
        if (probe.kind === 'invalid') {
          throw new AppError('IMAGE_INVALID', `“${name}” could not be read as an image. It may be damaged.`, {
            details: [{ path: options.fieldName, message: name }],
          });
        }
        if (probe.kind === 'ok') dimensions = { width: probe.probe.width, height: probe.probe.height };
      }
      finished.push({
        id,
        image: inspected.type.kind === 'image',
        patch: {
          type: inspected.type.mime,
          size: inspected.size,
          sha256: inspected.sha256,
          status: inspected.type.kind === 'image' ? 'processing' : 'ready',
          ...dimensions,
        },
      });
    }
    if (received.length === 0) {
      throw new AppError('UPLOAD_INVALID', `This upload has no files. Send them in the form field “${options.fieldName}”.`);
    }

    // Every file arrived whole: record them and queue their processing at once. Profile photos and
    // logos are used at once: their callers scan them in the request (upload-scan.service.ts).
    const scan = ctx.scanner != null && options.purpose === 'attachment';
    await scope.transaction(async (tx) => {
      const at = toDbTime(ctx.clock.now());
      for (const file of finished) {
        await updateFile(tx, file.id, { ...file.patch, ...(scan ? { scan_status: 'pending' as const } : {}), updated_at: at });
        if (scan) {
          // The scan queues the image's re-encoding once the verdict is clean: infected bytes are never decoded.
          await enqueueJob(tx, ctx.clock, {
            kind: SCAN_FILE_JOB,
            tenantId: uploader.tenantId,
            payload: { tenantId: uploader.tenantId, fileId: file.id },
            dedupeKey: `${SCAN_FILE_JOB}:${file.id}`,
            maxAttempts: SCAN_FILE_MAX_ATTEMPTS,
          });
        } else if (file.image && options.queueImageProcessing) {
          await enqueueJob(tx, ctx.clock, {
            kind: PROCESS_IMAGE_JOB,
            tenantId: uploader.tenantId,
            payload: { tenantId: uploader.tenantId, fileId: file.id },
            dedupeKey: `${PROCESS_IMAGE_JOB}:${file.id}`,
          });
        }
      }
    });
    return await findFilesByIds(
      scope,
      finished.map((f) => f.id),
    );
  } catch (error) {
    // If the removal fails too, the caller still gets the upload's own error: the rows stay
    // `uploading` (objects are deleted before rows), so the worker's sweep removes both later.
    await deleteFiles(ctx, uploader.tenantId, received).catch(() => undefined);
    throw error;
  }
}

/** A failing part (a body cut off, a malformed multipart) is the client's upload being invalid. */
function toUploadError(error: Error): AppError {
  return error instanceof AppError
    ? error
    : new AppError('UPLOAD_INVALID', 'This upload was cut off or is not a valid multipart body.', { cause: error });
}
