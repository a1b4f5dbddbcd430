import { inTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
import { readWhole, oneImageAtATime } from '../attachments/file-jobs.js';
import { deleteFiles, fileKey, type FilesContext } from '../attachments/file.service.js';
import { scanUploadNow } from '../attachments/upload-scan.service.js';
import { ImageRejectedError, processLogo, type ImageType } from '../attachments/image-processing.js';
import { receiveUpload, type UploadLimits, type UploadPart } from '../attachments/upload.service.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { setTenantLogo, type Tenant } from './tenant.service.js';
import { getSettingsTenant } from './organisation-settings.service.js';

/** A new key for every logo, under the tenant's prefix: the old object is deleted once the new one is in use. */
function logoKeyOf(tenantId: string): string {
  return `tenants/${tenantId}/logo/${newId()}.png`;
}

/** Deletes a replaced logo; one that cannot be deleted now only costs storage. */
async function deleteOldLogo(ctx: FilesContext, tenantId: string, key: string | null): Promise<void> {
  // Only keys under this tenant's own prefix: a stored key is never a way to delete another's object.
  if (key?.startsWith(`tenants/${tenantId}/`)) await ctx.files.delete(key).catch(() => undefined);
}

async function recordLogoChange(ctx: FilesContext, viewer: TeamViewer, meta: RequestMeta, action: string, data: object): Promise<void> {
  await recordAuditEvent(ctx.db, ctx.clock, {
    tenantId: viewer.tenant.id,
    ...teamAuditActor(viewer, meta),
    action,
    subject: { kind: 'tenant', id: viewer.tenant.id },
    data: { ...data },
  });
}

/**
 * Replaces the organisation's logo with one uploaded raster image (JPEG, PNG, WebP, GIF, HEIC;
 * never SVG), streamed under the upload limits and re-encoded to a PNG inside 512×512 without
 * metadata. The portal serves it from its next request; the previous logo is deleted. Audited.
 * @throws FORBIDDEN for agents, the upload's errors (UPLOAD_INVALID, FILE_TYPE_NOT_ALLOWED, FILE_TOO_LARGE, …), IMAGE_INVALID, IMAGE_TOO_LARGE, and with a scanner UPLOAD_INFECTED, SERVICE_UNAVAILABLE
 */
export async function replaceOrganisationLogo(
  ctx: FilesContext,
  viewer: TeamViewer,
  parts: AsyncIterable<UploadPart>,
  limits: Omit<UploadLimits, 'maxFiles'>,
  meta: RequestMeta,
): Promise<Tenant> {
  requireTeamRole(viewer, 'admin');
  const tenantId = viewer.tenant.id;
  const [upload] = await receiveUpload(ctx, { tenantId, kind: 'team_member', id: viewer.memberId }, parts, {
    purpose: 'logo',
    fieldName: 'logo',
    limits: { ...limits, maxFiles: 1 },
    queueImageProcessing: false,
  });
  if (!upload) throw new Error('receiveUpload returned no file');
  const key = logoKeyOf(tenantId);
  let previous: string | null;
  try {
    await scanUploadNow(ctx, upload);
    const stored = await ctx.files.get(fileKey(upload, 'upload'));
    if (!stored) throw new Error(`the upload of file ${upload.id} is missing`);
    const input = await readWhole(stored.body);
    const logo = await oneImageAtATime(() => processLogo(input, upload.type as ImageType)).catch((error: unknown) => {
      if (!(error instanceof ImageRejectedError)) throw error;
      throw error.reason === 'too_large'
        ? new AppError('IMAGE_TOO_LARGE', `“${upload.name}” has too many pixels; images can have at most 40 megapixels.`)
        : new AppError('IMAGE_INVALID', `“${upload.name}” could not be read as an image. It may be damaged.`);
    });
    await ctx.files.put(key, logo.data);
    previous = await inTransaction(ctx.db, async (trx) => {
      const before = await getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
      await setTenantLogo({ db: trx, clock: ctx.clock }, tenantId, key);
      await recordLogoChange({ ...ctx, db: trx }, viewer, meta, 'settings.logo.replaced', {
        width: logo.width,
        height: logo.height,
        bytes: logo.data.length,
        hadLogo: before.logoKey !== null,
      });
      return before.logoKey;
    });
  } catch (error) {
    await ctx.files.delete(key).catch(() => undefined);
    throw error;
  } finally {
    // The upload was only the input: the logo object is what the portal serves.
    await deleteFiles(ctx, tenantId, [upload]).catch(() => undefined);
  }
  await deleteOldLogo(ctx, tenantId, previous);
  return getSettingsTenant(ctx, viewer);
}

/**
 * Removes the organisation's logo (the portal falls back to its name alone) and deletes it. Audited.
 * @throws FORBIDDEN for agents
 */
export async function removeOrganisationLogo(ctx: FilesContext, viewer: TeamViewer, meta: RequestMeta): Promise<Tenant> {
  requireTeamRole(viewer, 'admin');
  const tenantId = viewer.tenant.id;
  const previous = await inTransaction(ctx.db, async (trx) => {
    const before = await getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
    if (before.logoKey === null) return null;
    await setTenantLogo({ db: trx, clock: ctx.clock }, tenantId, null);
    await recordLogoChange({ ...ctx, db: trx }, viewer, meta, 'settings.logo.removed', {});
    return before.logoKey;
  });
  await deleteOldLogo(ctx, tenantId, previous);
  return getSettingsTenant(ctx, viewer);
}
