import { useEffect, useState, useSyncExternalStore } from 'react';
import type { TAttachment, TUploadResponse } from '../../../features/attachments/attachment.schemas.js';
import { ApiError, UNEXPECTED_MESSAGE } from '../api-client.js';
import { uploadFile } from '../upload-file.js';
import { UploadQueue, type UploadItem } from './upload-queue.js';

/** Three at a time: enough to fill a phone's uplink, few enough that each bar moves visibly. */
const MAX_CONCURRENT_UPLOADS = 3;

export interface Uploads {
  readonly queue: UploadQueue;
  readonly items: readonly UploadItem[];
  /** Files queued or on their way: sending waits for them. */
  readonly isBusy: boolean;
  /** Uploaded and ready to attach. */
  readonly readyCount: number;
}

/**
 * The attachments of one form (a new request, a reply): POST {apiBase}/uploads, one file per
 * request (`B/api` in the portal, `/api/team` in the team app). Leaving the page aborts what is
 * still uploading and frees the previews.
 */
export function useUploads(apiBase: string): Uploads {
  const [queue] = useState(
    () =>
      new UploadQueue(
        (file, onProgress, signal) =>
          uploadFile<TUploadResponse>(`${apiBase}/uploads`, file, { field: 'files', onProgress, signal }).then(firstFile),
        MAX_CONCURRENT_UPLOADS,
      ),
  );
  const items = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot);
  useEffect(() => () => queue.dispose(), [queue]);
  return {
    queue,
    items,
    isBusy: items.some((item) => item.state === 'queued' || item.state === 'uploading'),
    readyCount: items.filter((item) => item.state === 'uploaded').length,
  };
}

function firstFile(answer: TUploadResponse): TAttachment {
  const file = answer.files?.[0];
  if (!file) throw new ApiError('UNEXPECTED_RESPONSE', UNEXPECTED_MESSAGE, 201);
  return file;
}
