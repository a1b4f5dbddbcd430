import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  TListTicketsResponse,
  TPortalMessage,
  TPortalTicketDetail,
  TPortalTicketSummary,
  TReplyInput,
  TSubmitTicketInput,
} from '../../../features/tickets/portal-ticket.schemas.js';
import { hasProcessingFiles } from '../../shared/attachments/file-urls.js';
import { usePortalApi } from '../portal-context.js';

export type TicketFilter = 'open' | 'closed' | 'all';

export interface TicketListFilters {
  readonly status: TicketFilter;
  /** Trimmed search text; '' for none. */
  readonly q: string;
}

/** Every list of tickets, whatever its filters: what a change to any ticket invalidates. */
export const TICKETS_QUERY_KEY = ['tickets'] as const;
export const ticketsQueryKey = (filters: TicketListFilters) => ['tickets', filters] as const;
export const ticketQueryKey = (id: string) => ['ticket', id] as const;

/**
 * The customer's tickets, newest activity first, one page of 25 at a time (keyset pagination: the
 * server hands back `nextCursor`, null on the last page). While a new filter or search loads, the
 * previous rows stay on screen, dimmed, instead of flashing a skeleton on every keystroke.
 */
export function useTicketList(filters: TicketListFilters) {
  const api = usePortalApi();
  return useInfiniteQuery({
    queryKey: ticketsQueryKey(filters),
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ status: filters.status });
      if (filters.q) params.set('q', filters.q);
      if (pageParam) params.set('cursor', pageParam);
      return api.get<TListTicketsResponse>(`tickets?${params.toString()}`, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

/** How often a ticket asks again while one of its images is being re-encoded (usually a second or two). */
const PROCESSING_REFRESH_MS = 2_000;

/**
 * One ticket with its conversation, history, quotes and what the customer may do. While any of
 * its images is still `processing`, it refetches every 2 s, so thumbnails appear on their own.
 * Error TICKET_NOT_FOUND.
 */
export function useTicket(id: string) {
  const api = usePortalApi();
  return useQuery({
    queryKey: ticketQueryKey(id),
    queryFn: ({ signal }) => api.get<TPortalTicketDetail>(`tickets/${encodeURIComponent(id)}`, signal),
    staleTime: 10_000,
    refetchInterval: (query) => (query.state.data && hasProcessingFiles(query.state.data.messages) ? PROCESSING_REFRESH_MS : false),
  });
}

/** After any change to a ticket: its page and every list refetch (a reply moves it to the top). */
function refreshTicket(queryClient: QueryClient, id: string): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ticketQueryKey(id) }),
    queryClient.invalidateQueries({ queryKey: TICKETS_QUERY_KEY }),
  ]);
}

function isTicketDetail(value: unknown): value is TPortalTicketDetail {
  const v = value as Partial<TPortalTicketDetail> | null | undefined;
  return typeof v?.ticket?.id === 'string' && Array.isArray(v.messages) && Array.isArray(v.history);
}

/**
 * POST tickets: lands as "new", with the uploaded files on its first message. Errors
 * VALIDATION_FAILED (details per field), PORTAL_SUBMISSIONS_DISABLED, FILE_NOT_FOUND, TICKET_QUOTA_EXCEEDED.
 */
export function useSubmitTicket() {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TSubmitTicketInput) => api.post<TPortalTicketDetail>('tickets', input),
    onSuccess: async (detail) => {
      // The answer is the new ticket's page: it opens at once, without a second request.
      if (isTicketDetail(detail)) queryClient.setQueryData(ticketQueryKey(detail.ticket.id), detail);
      await queryClient.invalidateQueries({ queryKey: TICKETS_QUERY_KEY });
    },
  });
}

interface ReplyResponse {
  readonly message: TPortalMessage;
  readonly ticket: TPortalTicketSummary;
}

/**
 * POST tickets/{id}/messages, with the ids of files uploaded beforehand. The page shows the reply at
 * once (optimistically) and swaps in the server's message here, in the same render as the pending
 * one disappears. Errors VALIDATION_FAILED, TICKET_CLOSED (the organisation does not reopen by
 * reply), TICKET_NOT_FOUND, FILE_NOT_FOUND (a file was already used), TICKET_QUOTA_EXCEEDED.
 */
export function useReply(id: string) {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, fileIds }: { body: string; fileIds: string[]; localId: string }) =>
      api.post<ReplyResponse>(`tickets/${encodeURIComponent(id)}/messages`, { body, fileIds } satisfies TReplyInput),
    onSuccess: (reply) => {
      queryClient.setQueryData<TPortalTicketDetail>(ticketQueryKey(id), (old) =>
        old
          ? {
              ...old,
              ticket: { ...old.ticket, ...reply.ticket },
              messages: old.messages.some((m) => m.id === reply.message.id) ? old.messages : [...old.messages, reply.message],
            }
          : old,
      );
      // History and permissions may have changed (a reply reopens a closed ticket).
      void refreshTicket(queryClient, id);
    },
    // TICKET_CLOSED: the ticket was closed meanwhile and may not be reopened; the page then says so.
    onError: () => void queryClient.invalidateQueries({ queryKey: ticketQueryKey(id) }),
  });
}

/** POST tickets/{id}/close with the closing message. Errors CLOSING_MESSAGE_REQUIRED, TICKET_NOT_FOUND. */
export function useCloseTicket(id: string) {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (message: string) => api.post<unknown>(`tickets/${encodeURIComponent(id)}/close`, { message }),
    onSuccess: async (answer) => {
      if (isTicketDetail(answer)) queryClient.setQueryData(ticketQueryKey(id), answer);
      await refreshTicket(queryClient, id);
    },
  });
}
