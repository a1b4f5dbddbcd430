import { useQuery } from '@tanstack/react-query';
import type { TLinkInfoResponse } from '../../../features/auth/portal-auth.schemas.js';
import { usePortalApi } from '../portal-context.js';

export const linkInfoQueryKey = (token: string) => ['link-info', token] as const;

/**
 * What a sign-in link is (valid, used, expired, invalid) and whom it is for, WITHOUT spending it:
 * mail scanners that open links and run their scripts must neither use nor burn them. It is a
 * POST only so the token travels in a body, never in a URL or a log line.
 */
export function useLinkInfo(token: string | null) {
  const api = usePortalApi();
  return useQuery({
    queryKey: linkInfoQueryKey(token ?? ''),
    queryFn: () => api.post<TLinkInfoResponse>('auth/link-info', { token }),
    enabled: token !== null,
    staleTime: Infinity,
    gcTime: 0,
  });
}
