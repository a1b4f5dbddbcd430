import type { TAttachment } from './attachment.schemas.js';
import { isImageType, type StoredFile } from './file.service.js';

/** What anyone who may see a file learns about it: never its key, hash or uploader. */
export function presentAttachment(file: StoredFile): TAttachment {
  return {
    id: file.id,
    name: file.name,
    type: file.type,
    size: file.size,
    kind: isImageType(file.type) ? 'image' : 'document',
    status: file.status === 'ready' ? 'ready' : file.status === 'failed' ? 'failed' : 'processing',
    scan: file.scanStatus,
    width: file.width,
    height: file.height,
  };
}
