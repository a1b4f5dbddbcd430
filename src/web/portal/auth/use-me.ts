import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { TMe } from '../../../features/auth/portal-auth.schemas.js';
import { ApiError } from '../../shared/api-client.js';
import { usePortalApi } from '../portal-context.js';

export const ME_QUERY_KEY = ['me'] as const;

/**
 * Who is signed in to this portal: the contact and its client, or `null` when nobody is (the
 * server answers 401). Other failures stay errors, so a network problem is never mistaken for
 * being signed out.
 */
export function useMe() {
  const api = usePortalApi();
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: async ({ signal }): Promise<TMe | null> => {
      try {
        return await api.get<TMe>('me', signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 30_000,
  });
}

/** After sign-in the answer already holds the customer: no second request to show them. */
export function setSignedIn(queryClient: QueryClient, me: TMe): void {
  queryClient.setQueryData(ME_QUERY_KEY, me);
}

/**
 * After sign-out nothing of the previous customer may stay in memory. `me` itself is overwritten
 * rather than removed: the page observing it must see the change and show the sign-in form.
 */
export function setSignedOut(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_QUERY_KEY[0] });
  queryClient.setQueryData(ME_QUERY_KEY, null);
}
