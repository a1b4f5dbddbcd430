import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  TCreateTeamClientRequest,
  TCreateTeamContactRequest,
  TEndContactSessionsResponse,
  TInviteContactResponse,
  TTeamClient,
  TTeamClientDetail,
  TTeamClientList,
  TTeamContact,
  TUpdateTeamClientRequest,
  TUpdateTeamContactRequest,
} from '../../../features/clients/team-client.schemas.js';
import { queryString, teamApi } from '../team-api.js';

export const CLIENT_LISTS_KEY = ['team-clients'] as const;
export const clientKey = (id: string) => ['team-client', id] as const;

/** Clients A to Z, 50 at a time; `q` matches the client's name or a contact's name or email. */
export function useClientList(q: string, limit = 50) {
  return useInfiniteQuery({
    queryKey: ['team-clients', q, limit],
    queryFn: ({ pageParam, signal }) =>
      teamApi.get<TTeamClientList>(`clients${queryString({ q: q.trim(), cursor: pageParam, limit })}`, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** A client with its contacts. Error CLIENT_NOT_FOUND (404). */
export function useClient(id: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: clientKey(id),
    queryFn: ({ signal }) => teamApi.get<TTeamClientDetail>(`clients/${encodeURIComponent(id)}`, signal),
    staleTime: 30_000,
    enabled: options.enabled ?? true,
  });
}

export function useCreateClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreateTeamClientRequest) => teamApi.post<TTeamClient>('clients', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: CLIENT_LISTS_KEY }),
  });
}

export function useUpdateClient(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TUpdateTeamClientRequest) => teamApi.patch<TTeamClient>(`clients/${encodeURIComponent(id)}`, input),
    onSuccess: (client) => {
      queryClient.setQueryData<TTeamClientDetail>(clientKey(id), (old) => (old ? { ...old, client } : old));
      void queryClient.invalidateQueries({ queryKey: CLIENT_LISTS_KEY });
    },
  });
}

/** Puts a changed or new contact into its client's cached detail. */
function useStoreContact(clientId: string) {
  const queryClient = useQueryClient();
  return (contact: TTeamContact) => {
    queryClient.setQueryData<TTeamClientDetail>(clientKey(clientId), (old) => {
      if (!old) return old;
      const exists = old.contacts.some((c) => c.id === contact.id);
      return { ...old, contacts: exists ? old.contacts.map((c) => (c.id === contact.id ? contact : c)) : [...old.contacts, contact] };
    });
    void queryClient.invalidateQueries({ queryKey: clientKey(clientId) });
    void queryClient.invalidateQueries({ queryKey: CLIENT_LISTS_KEY });
  };
}

/** Errors VALIDATION_FAILED, EMAIL_TAKEN (409), PHONE_INVALID. */
export function useCreateContact(clientId: string) {
  const store = useStoreContact(clientId);
  return useMutation({
    mutationFn: (input: TCreateTeamContactRequest) => teamApi.post<TTeamContact>(`clients/${encodeURIComponent(clientId)}/contacts`, input),
    onSuccess: store,
  });
}

/** A new email ends the contact's sign-in links and sessions and notifies both addresses. */
export function useUpdateContact(clientId: string) {
  const store = useStoreContact(clientId);
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: TUpdateTeamContactRequest }) =>
      teamApi.patch<TTeamContact>(`contacts/${encodeURIComponent(id)}`, change),
    onSuccess: store,
  });
}

export function useInviteContact() {
  return useMutation({
    mutationFn: (id: string) => teamApi.post<TInviteContactResponse>(`contacts/${encodeURIComponent(id)}/invite`),
  });
}

export function useEndContactSessions() {
  return useMutation({
    mutationFn: (id: string) => teamApi.post<TEndContactSessionsResponse>(`contacts/${encodeURIComponent(id)}/end-sessions`),
  });
}
