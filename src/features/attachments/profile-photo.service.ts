import { createHash } from 'node:crypto';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { setContactPhoto } from '../clients/client.service.js';
import { oneImageAtATime, readWhole } from './file-jobs.js';
import { findFile, updateFile } from './file.repository.js';
import { deleteFiles, fileKey, type FilesContext } from './file.service.js';
import { ImageRejectedError, processProfilePhoto, type ImageType } from './image-processing.js';
import { scanUploadNow } from './upload-scan.service.js';
import { receiveUpload, type UploadLimits, type UploadPart } from './upload.service.js';

/**
 * Replaces a contact's profile photo: one raster image, re-encoded at once (≤ 512×512, no
 * metadata) so the portal shows it straight away; the previous photo is deleted.
 * @throws the upload's errors, IMAGE_INVALID, IMAGE_TOO_LARGE, CONTACT_NOT_FOUND, and with a scanner UPLOAD_INFECTED, SERVICE_UNAVAILABLE
 */
export async function replaceContactPhoto(
  ctx: FilesContext,
  contact: { readonly tenantId: string; readonly id: string },
  parts: AsyncIterable<UploadPart>,
  limits: Omit<UploadLimits, 'maxFiles'>,
): Promise<string> {
  const uploader = { tenantId: contact.tenantId, kind: 'contact' as const, id: contact.id };
  const [file] = await receiveUpload(ctx, uploader, parts, {
    purpose: 'profile_photo',
    fieldName: 'photo',
    limits: { ...limits, maxFiles: 1 },
    queueImageProcessing: false,
  });
  if (!file) throw new Error('receiveUpload returned no file');
  const scope = forTenant(ctx.db, contact.tenantId);
  let previous: string | null;
  try {
    await scanUploadNow(ctx, file);
    const stored = await ctx.files.get(fileKey(file, 'upload'));
    if (!stored) throw new Error(`the upload of file ${file.id} is missing`);
    const input = await readWhole(stored.body);
    const photo = await oneImageAtATime(() => processProfilePhoto(input, file.type as ImageType)).catch((error: unknown) => {
      if (!(error instanceof ImageRejectedError)) throw error;
      throw error.reason === 'too_large'
        ? new AppError('IMAGE_TOO_LARGE', `“${file.name}” has too many pixels; images can have at most 40 megapixels.`)
        : new AppError('IMAGE_INVALID', `“${file.name}” could not be read as an image. It may be damaged.`);
    });
    await ctx.files.put(fileKey(file, 'original'), photo.data);
    await ctx.files.delete(fileKey(file, 'upload'));
    previous = await scope.transaction(async (tx) => {
      await updateFile(tx, file.id, {
        status: 'ready',
        type: photo.type,
        name: 'photo.jpg',
        ...(ctx.scanner ? { scan_status: 'clean' as const } : {}),
        size: photo.data.length,
        sha256: createHash('sha256').update(photo.data).digest('hex'),
        width: photo.width,
        height: photo.height,
        updated_at: toDbTime(ctx.clock.now()),
      });
      return setContactPhoto(tx, ctx.clock, contact.id, file.id);
    });
  } catch (error) {
    await deleteFiles(ctx, contact.tenantId, [file]).catch(() => undefined);
    throw error;
  }
  if (previous) await removePhotoFile(ctx, contact.tenantId, previous);
  return file.id;
}

/** Clears a contact's profile photo and deletes it. @throws CONTACT_NOT_FOUND */
export async function removeContactPhoto(ctx: FilesContext, contact: { readonly tenantId: string; readonly id: string }): Promise<void> {
  const previous = await setContactPhoto(forTenant(ctx.db, contact.tenantId), ctx.clock, contact.id, null);
  if (previous) await removePhotoFile(ctx, contact.tenantId, previous);
}

async function removePhotoFile(ctx: FilesContext, tenantId: string, fileId: string): Promise<void> {
  const file = await findFile(forTenant(ctx.db, tenantId), fileId);
  // A photo that cannot be deleted now stays unreferenced; it costs only storage.
  if (file?.purpose === 'profile_photo') await deleteFiles(ctx, tenantId, [file]).catch(() => undefined);
}
