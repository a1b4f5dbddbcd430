import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { TTeamMemberList } from '../../../features/team/team.schemas.js';
import type {
  TCreateTeamTicketRequest,
  TTeamMessageRequest,
  TTeamMessageResponse,
  TTeamTicketDetail,
  TTeamTicketList,
  TTeamTicketRow,
  TUpdateTeamTicketRequest,
} from '../../../features/tickets/team-ticket.schemas.js';
import { hasProcessingFiles } from '../../shared/attachments/file-urls.js';
import { apiQueryOf, type InboxFilters } from '../inbox/inbox-filters.js';
import { teamApi } from '../team-api.js';

/** Every list of tickets, whatever its filters: what a change to any ticket invalidates. */
export const TICKET_LISTS_KEY = ['team-tickets'] as const;
export const ticketListKey = (filters: InboxFilters) => ['team-tickets', filters] as const;
export const ticketKey = (id: string) => ['team-ticket', id] as const;
export const MEMBERS_KEY = ['team-members'] as const;

/** One page is 50 rows: a screen and a half at 1280×800, small enough to answer in a few ms. */
export const INBOX_PAGE_SIZE = 50;

/**
 * The inbox, one keyset page at a time (`nextCursor`, null on the last page); counts per status
 * come with the first page. While new filters load, the previous rows stay (dimmed) instead of a
 * skeleton flashing on every keystroke. Refreshed every 30 s, so new customer activity shows up.
 */
export function useTicketList(filters: InboxFilters) {
  return useInfiniteQuery({
    queryKey: ticketListKey(filters),
    queryFn: ({ pageParam, signal }) => teamApi.get<TTeamTicketList>(`tickets?${apiQueryOf(filters, pageParam, INBOX_PAGE_SIZE)}`, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    refetchInterval: 30_000,
  });
}

const ticketQuery = (id: string) => ({
  queryKey: ticketKey(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => teamApi.get<TTeamTicketDetail>(`tickets/${encodeURIComponent(id)}`, signal),
  staleTime: 10_000,
});

/** One ticket with its whole conversation and history; refetched every 2 s while an image is still processing. */
export function useTicket(id: string) {
  return useQuery({
    ...ticketQuery(id),
    refetchInterval: (query) => (query.state.data && hasProcessingFiles(query.state.data.messages) ? 2_000 : 20_000),
  });
}

/** Starts loading a ticket before it is opened (the row was selected), so the page shows at once. */
export function prefetchTicket(queryClient: QueryClient, id: string): void {
  void queryClient.prefetchQuery(ticketQuery(id));
}

/** The organisation's members (assignee pickers and filters); only active ones can be assigned. */
export function useMembers() {
  return useQuery({
    queryKey: MEMBERS_KEY,
    queryFn: ({ signal }) => teamApi.get<TTeamMemberList>('members', signal),
    staleTime: 5 * 60_000,
    select: (list) => list.members,
  });
}

/** Puts a row's new state into every cached list (before their refetch), so a list never shows a stale status. */
function patchRows(queryClient: QueryClient, row: TTeamTicketRow): void {
  queryClient.setQueriesData<{ pages: TTeamTicketList[]; pageParams: unknown[] }>({ queryKey: TICKET_LISTS_KEY }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({ ...page, tickets: page.tickets.map((t) => (t.id === row.id ? { ...t, ...row } : t)) })),
        }
      : data,
  );
}

/**
 * PATCH tickets/{id}: status, priority, assignee, scheduled time, charge. The answer is the whole
 * ticket (history included), so the page updates without another request; lists refetch.
 */
export function useUpdateTicket(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: TUpdateTeamTicketRequest) => teamApi.patch<TTeamTicketDetail>(`tickets/${encodeURIComponent(id)}`, change),
    onSuccess: (detail) => {
      queryClient.setQueryData(ticketKey(id), detail);
      patchRows(queryClient, detail.ticket);
      void queryClient.invalidateQueries({ queryKey: TICKET_LISTS_KEY });
    },
  });
}

/** The same change for a ticket chosen in the inbox (close with `e`, undo). */
export function useUpdateAnyTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: TUpdateTeamTicketRequest }) =>
      teamApi.patch<TTeamTicketDetail>(`tickets/${encodeURIComponent(id)}`, change),
    onSuccess: (detail) => {
      queryClient.setQueryData(ticketKey(detail.ticket.id), detail);
      patchRows(queryClient, detail.ticket);
      void queryClient.invalidateQueries({ queryKey: TICKET_LISTS_KEY });
    },
  });
}

/**
 * POST tickets/{id}/messages: a public reply (the customer sees it in the portal and gets an email)
 * or an internal note. The message joins the cached conversation at once; history and lists refetch.
 */
export function usePostMessage(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TTeamMessageRequest & { localId: string }) =>
      teamApi.post<TTeamMessageResponse>(`tickets/${encodeURIComponent(id)}/messages`, {
        body: input.body,
        visibility: input.visibility,
        fileIds: input.fileIds,
      } satisfies TTeamMessageRequest),
    onSuccess: (answer) => {
      queryClient.setQueryData<TTeamTicketDetail>(ticketKey(id), (old) =>
        old
          ? {
              ...old,
              ticket: { ...old.ticket, ...answer.ticket },
              messages: old.messages.some((m) => m.id === answer.message.id) ? old.messages : [...old.messages, answer.message],
            }
          : old,
      );
      patchRows(queryClient, answer.ticket);
      void queryClient.invalidateQueries({ queryKey: ticketKey(id) });
      void queryClient.invalidateQueries({ queryKey: TICKET_LISTS_KEY });
    },
  });
}

/** POST tickets: a ticket on behalf of a client's contact; the answer is its page's data. */
export function useCreateTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreateTeamTicketRequest) => teamApi.post<TTeamTicketDetail>('tickets', input),
    onSuccess: (detail) => {
      queryClient.setQueryData(ticketKey(detail.ticket.id), detail);
      void queryClient.invalidateQueries({ queryKey: TICKET_LISTS_KEY });
    },
  });
}
