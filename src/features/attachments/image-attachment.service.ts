import { createHash } from 'node:crypto';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { newId } from '../../platform/ids.js';
import { oneImageAtATime } from './file-jobs.js';
import { findFile, insertFile, type StoredFile } from './file.repository.js';
import { fileKey, type FilesContext } from './file.service.js';
import { processImage, type ImageType } from './image-processing.js';

export interface ImageAttachmentInput {
  readonly tenantId: string;
  readonly uploader: { readonly kind: 'contact' | 'team_member'; readonly id: string };
  readonly ticketId: string;
  readonly messageId: string;
  readonly name: string;
  readonly bytes: Buffer;
  readonly type: ImageType;
}

/**
 * Attaches an image the server already holds (the demo seed's photos) to a message: re-encoded at
 * once exactly as the worker would, stored with its variants, and recorded ready. Uploads from
 * people go through `receiveUpload` instead, with its limits.
 */
export async function addImageAttachment(ctx: FilesContext, input: ImageAttachmentInput): Promise<StoredFile> {
  const output = await oneImageAtATime(() => processImage(input.bytes, input.type));
  const id = newId(ctx.clock.now().getTime());
  const file = { tenantId: input.tenantId, id };
  await ctx.files.put(fileKey(file, 'original'), output.original.data);
  await ctx.files.put(fileKey(file, 'display'), output.display.data);
  await ctx.files.put(fileKey(file, 'thumb'), output.thumb.data);
  const at = toDbTime(ctx.clock.now());
  const scope = forTenant(ctx.db, input.tenantId);
  await insertFile(scope, {
    id,
    purpose: 'attachment',
    uploaded_by_kind: input.uploader.kind,
    uploaded_by_id: input.uploader.id,
    name: input.name,
    type: output.original.type,
    size: output.original.data.length,
    sha256: createHash('sha256').update(output.original.data).digest('hex'),
    status: 'ready',
    width: output.original.width,
    height: output.original.height,
    display_size: output.display.data.length,
    thumb_size: output.thumb.data.length,
    ticket_id: input.ticketId,
    message_id: input.messageId,
    attached_at: at,
    created_at: at,
    updated_at: at,
  });
  const stored = await findFile(scope, id);
  if (!stored) throw new Error(`file ${id} vanished after insert`);
  return stored;
}
