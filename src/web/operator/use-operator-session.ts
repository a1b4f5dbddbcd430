import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { TOperatorSession } from '../../features/operator/operator-auth.schemas.js';
import { ApiError } from '../shared/api-client.js';
import { operatorApi } from './operator-api.js';

export const SESSION_QUERY_KEY = ['operator-me'] as const;

/** Who is signed in (`GET /api/operator/me`) and at which stage, or `null` when nobody is (401). */
export function useOperatorSession() {
  return useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: async ({ signal }): Promise<TOperatorSession | null> => {
      try {
        return await operatorApi.get<TOperatorSession>('me', signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** After sign-in or enrolment: nothing of a previous session stays in memory. */
export function setSignedIn(queryClient: QueryClient, session: TOperatorSession): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_QUERY_KEY[0] });
  queryClient.setQueryData(SESSION_QUERY_KEY, session);
}

/** After sign-out or any 401: drop everything; every page goes to the sign-in form. */
export function setSignedOut(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_QUERY_KEY[0] });
  queryClient.setQueryData(SESSION_QUERY_KEY, null);
}
