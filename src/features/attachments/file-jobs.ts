import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import { extensionOf, withExtension } from './file-policy.js';
import { findFile, updateFile } from './file.repository.js';
import { fileKey, sweepAbandonedFiles, sweepUnsentUploadsNearQuota, type FilesContext } from './file.service.js';
import { ImageRejectedError, processImage, type ImageType } from './image-processing.js';
import { PROCESS_IMAGE_JOB } from './upload.service.js';

export { PROCESS_IMAGE_JOB };
/** The worker's periodic removal of uploads never attached (see `sweepAbandonedFiles`). */
export const SWEEP_FILES_JOB = 'files.sweep';

const ZProcessImageJob = z.object({ tenantId: z.string(), fileId: z.string() });

export async function readWhole(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const EXTENSION_OF_TYPE: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' };

/**
 * Decoding an image can take hundreds of megabytes (40 MP × 4 bytes), and the worker runs several
 * jobs at once, often inside the web process: images are re-encoded one at a time per process.
 */
let imageTurn: Promise<unknown> = Promise.resolve();
export function oneImageAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = imageTurn.then(work, work);
  imageTurn = run.catch(() => undefined);
  return run;
}

/**
 * Re-encodes an uploaded image (SECURITY.md §5.2.6): the original for download, a display size
 * and a thumbnail, all without metadata; then the raw upload is deleted, so it is never served.
 * An image sharp refuses marks the file `failed` (retrying would not help); anything else (the
 * store unreachable) throws and the outbox retries. Runs again safely: the writes are overwrites.
 */
export function createProcessImageHandler(ctx: FilesContext): JobHandler {
  return async (payload) => {
    const { tenantId, fileId } = ZProcessImageJob.parse(payload);
    const scope = forTenant(ctx.db, tenantId);
    const file = await findFile(scope, fileId);
    if (!file || file.status !== 'processing') return;
    const stored = await ctx.files.get(fileKey(file, 'upload'));
    if (!stored) return;
    const input = await readWhole(stored.body);
    let output: Awaited<ReturnType<typeof processImage>>;
    try {
      output = await oneImageAtATime(() => processImage(input, file.type as ImageType));
    } catch (error) {
      if (!(error instanceof ImageRejectedError)) throw error;
      await updateFile(scope, file.id, { status: 'failed', updated_at: toDbTime(ctx.clock.now()) });
      await ctx.files.delete(fileKey(file, 'upload'));
      return;
    }
    await ctx.files.put(fileKey(file, 'original'), output.original.data);
    await ctx.files.put(fileKey(file, 'display'), output.display.data);
    await ctx.files.put(fileKey(file, 'thumb'), output.thumb.data);
    const extension = EXTENSION_OF_TYPE[output.original.type];
    await updateFile(scope, file.id, {
      status: 'ready',
      type: output.original.type,
      // A HEIC photo is served as the JPEG it became; its name says so.
      name:
        extension && extensionOf(file.name) !== extension && output.original.type !== file.type
          ? withExtension(file.name, extension)
          : file.name,
      size: output.original.data.length,
      sha256: createHash('sha256').update(output.original.data).digest('hex'),
      width: output.original.width,
      height: output.original.height,
      display_size: output.display.data.length,
      thumb_size: output.thumb.data.length,
      updated_at: toDbTime(ctx.clock.now()),
    });
    await ctx.files.delete(fileKey(file, 'upload'));
  };
}

/**
 * The sweep (every 10 minutes, and once when a worker starts): files nobody attached, customers'
 * unsent uploads after an hour in an organisation above 80 % of its quota, and what a process
 * killed mid-upload left behind — its `uploading` row, objects and temporary files. No upload
 * request lasts longer than HTTP_REQUEST_TIMEOUT_MS, so what is older than `abandonedAfterMs`
 * (twice that) belongs to no request still under way, in this process or any other.
 */
export function createSweepFilesHandler(
  ctx: FilesContext,
  limits: { readonly tenantQuotaBytes: number; readonly abandonedAfterMs: number },
): JobHandler {
  return async () => {
    await sweepAbandonedFiles(ctx, { uploadingTtlMs: limits.abandonedAfterMs });
    await sweepUnsentUploadsNearQuota(ctx, limits.tenantQuotaBytes);
    await ctx.files.sweepLeftovers?.(new Date(ctx.clock.now().getTime() - limits.abandonedAfterMs));
  };
}
