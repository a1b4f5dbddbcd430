import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TMe } from '../../../features/auth/portal-auth.schemas.js';
import type { TUpdateProfileRequest } from '../../../features/auth/portal-auth.schemas.js';
import { ME_QUERY_KEY } from '../auth/use-me.js';
import { usePortalApi } from '../portal-context.js';

function isMe(value: unknown): value is TMe {
  const v = value as Partial<TMe> | null | undefined;
  return typeof v?.contact?.id === 'string' && typeof v.client?.id === 'string';
}

/**
 * PATCH me: name and phone. The answer is the updated customer (phone in national format), which
 * becomes `['me']` at once so the header shows the new name; anything else refetches it.
 * Errors VALIDATION_FAILED (details), PHONE_INVALID.
 */
export function useUpdateProfile() {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TUpdateProfileRequest) => api.patch<unknown>('me', input),
    onSuccess: async (answer) => {
      if (isMe(answer)) queryClient.setQueryData(ME_QUERY_KEY, answer);
      else await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    },
  });
}
