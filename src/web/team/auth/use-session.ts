import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { TTeamMeResponse, TTeamSession } from '../../../features/auth/team-auth.schemas.js';
import { ApiError } from '../../shared/api-client.js';
import { teamApi } from '../team-api.js';

export const SESSION_QUERY_KEY = ['team-me'] as const;

export type TeamSession = TTeamMeResponse;
export type TeamRole = TTeamSession['member']['role'];

/**
 * Who is signed in and to which organisation (`GET /api/team/me`), or `null` when nobody is (401).
 * Other failures stay errors, so a network problem is never mistaken for being signed out.
 */
export function useSession() {
  return useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: async ({ signal }): Promise<TeamSession | null> => {
      try {
        return await teamApi.get<TeamSession>('me', signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** The signed-in session; only for pages under `SignedInRoute`, which renders them only with one. */
export function useSignedInSession(): TeamSession {
  const { data } = useSession();
  if (!data) throw new Error('useSignedInSession() outside a signed-in route');
  return data;
}

/**
 * After sign-in (or a switch of organisation) nothing of the previous session may stay in memory:
 * every query is dropped, and the new session goes in at once (the answer already holds it).
 */
export function setSignedIn(queryClient: QueryClient, session: TTeamSession, totpEnabled: boolean | undefined): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_QUERY_KEY[0] });
  const previous = queryClient.getQueryData<TeamSession | null>(SESSION_QUERY_KEY);
  const account = { totpEnabled: totpEnabled ?? previous?.account.totpEnabled ?? false };
  queryClient.setQueryData<TeamSession>(SESSION_QUERY_KEY, { ...session, account });
  // The sign-in answer does not say whether TOTP is on; ask in the background.
  if (totpEnabled === undefined) void queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
}

/** After sign-out or any 401: drop everything, and make every signed-in page go to the sign-in form. */
export function setSignedOut(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_QUERY_KEY[0] });
  queryClient.setQueryData(SESSION_QUERY_KEY, null);
}

/** Owners and admins change settings and the team; agents work tickets, clients and contacts. */
export function canManageSettings(role: TeamRole): boolean {
  return role === 'owner' || role === 'admin';
}
