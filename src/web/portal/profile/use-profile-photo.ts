import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { TMe } from '../../../features/auth/portal-auth.schemas.js';
import { uploadFile } from '../../shared/upload-file.js';
import { ME_QUERY_KEY } from '../auth/use-me.js';
import { usePortal, usePortalApi } from '../portal-context.js';

interface PhotoAnswer {
  readonly photoFileId: string | null;
}

/** The header and the profile page read the photo from `['me']`: both change at once. */
function setPhoto(queryClient: QueryClient, photoFileId: string | null): void {
  queryClient.setQueryData<TMe | null>(ME_QUERY_KEY, (me) => (me ? { ...me, contact: { ...me.contact, photoFileId } } : me));
}

/**
 * PUT me/photo (multipart, one image in `photo`; the server re-encodes it to a square of at most
 * 512 px) with its progress, and DELETE me/photo. Errors: the upload's (FILE_TOO_LARGE,
 * FILE_TYPE_NOT_ALLOWED, IMAGE_INVALID, IMAGE_TOO_LARGE, TENANT_QUOTA_EXCEEDED), with messages to show as is.
 */
export function useProfilePhoto() {
  const { basePath } = usePortal();
  const api = usePortalApi();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState(0);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const upload = useMutation({
    mutationFn: (file: File) => {
      controller.current = new AbortController();
      setProgress(0);
      return uploadFile<PhotoAnswer>(`${basePath}/api/me/photo`, file, {
        method: 'PUT',
        field: 'photo',
        onProgress: setProgress,
        signal: controller.current.signal,
      });
    },
    onSuccess: (answer) => setPhoto(queryClient, answer.photoFileId),
  });
  const remove = useMutation({
    mutationFn: () => api.delete<PhotoAnswer>('me/photo'),
    onSuccess: () => setPhoto(queryClient, null),
  });
  return { upload, remove, progress };
}
