import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  TAcceptQuoteRequest,
  TPortalQuoteDetail,
  ZPortalQuoteList,
  ZRequestQuoteChangesResponse,
} from '../../../features/quotes/portal-quote.schemas.js';
import { TICKETS_QUERY_KEY, ticketQueryKey } from '../tickets/use-tickets.js';
import { usePortalApi } from '../portal-context.js';
import type { QuoteFilter } from './quote-status.js';

type TPortalQuoteList = z.infer<typeof ZPortalQuoteList>;
type TRequestQuoteChangesResponse = z.infer<typeof ZRequestQuoteChangesResponse>;

/** Every list of quotes, whatever its filter: what a decision on any quote invalidates. */
export const QUOTES_QUERY_KEY = ['quotes'] as const;
export const quotesQueryKey = (filter: QuoteFilter) => ['quotes', filter] as const;
export const quoteQueryKey = (id: string) => ['quote', id] as const;

/** The customer's quotes under one filter; the previous list stays (dimmed) while another loads. */
export function useQuoteList(filter: QuoteFilter) {
  const api = usePortalApi();
  return useQuery({
    queryKey: quotesQueryKey(filter),
    queryFn: ({ signal }) => api.get<TPortalQuoteList>(`quotes?status=${filter}`, signal),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

/** One quote, its current version (the server records the customer's first view). Error QUOTE_NOT_FOUND. */
export function useQuote(id: string) {
  const api = usePortalApi();
  return useQuery({
    queryKey: quoteQueryKey(id),
    queryFn: ({ signal }) => api.get<TPortalQuoteDetail>(`quotes/${encodeURIComponent(id)}`, signal),
    staleTime: 10_000,
  });
}

function isQuoteDetail(value: unknown): value is TPortalQuoteDetail {
  const v = value as Partial<TPortalQuoteDetail> | null | undefined;
  return typeof v?.quote?.id === 'string' && typeof v.can === 'object';
}

/** After a decision: the quote shows the answer at once; lists and its ticket refetch. */
async function showDecision(queryClient: QueryClient, id: string, answer: unknown): Promise<void> {
  if (isQuoteDetail(answer)) queryClient.setQueryData(quoteQueryKey(id), answer);
  else await queryClient.invalidateQueries({ queryKey: quoteQueryKey(id) });
  const ticketId = isQuoteDetail(answer) ? answer.quote.ticket?.id : undefined;
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: QUOTES_QUERY_KEY }),
    queryClient.invalidateQueries({ queryKey: TICKETS_QUERY_KEY }),
    ticketId ? queryClient.invalidateQueries({ queryKey: ticketQueryKey(ticketId) }) : null,
  ]);
}

/**
 * POST quotes/{id}/accept. Errors QUOTE_SUPERSEDED (a newer version: the page reloads it),
 * QUOTE_EXPIRED, QUOTE_ALREADY_DECIDED, QUOTE_WITHDRAWN, SIGNATURE_REQUIRED, SIGNATURE_INVALID,
 * VALIDATION_FAILED. A refusal about the quote's state refetches it, so the page shows the truth.
 */
export function useAcceptQuote(id: string) {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TAcceptQuoteRequest) => api.post<TPortalQuoteDetail>(`quotes/${encodeURIComponent(id)}/accept`, input),
    onSuccess: (answer) => showDecision(queryClient, id, answer),
    onError: () => void queryClient.invalidateQueries({ queryKey: quoteQueryKey(id) }),
  });
}

/** POST quotes/{id}/decline with an optional reason. Errors as for accepting (not the signature ones). */
export function useDeclineQuote(id: string) {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<TPortalQuoteDetail>(`quotes/${encodeURIComponent(id)}/decline`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: (answer) => showDecision(queryClient, id, answer),
    onError: () => void queryClient.invalidateQueries({ queryKey: quoteQueryKey(id) }),
  });
}

/** POST quotes/{id}/request-changes: the message lands on the quote's ticket (`ticketId`, opened if there was none). */
export function useRequestQuoteChanges(id: string) {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (message: string) =>
      api.post<TRequestQuoteChangesResponse>(`quotes/${encodeURIComponent(id)}/request-changes`, { message }),
    onSuccess: async (answer) => {
      await showDecision(queryClient, id, answer);
      await queryClient.invalidateQueries({ queryKey: ticketQueryKey(answer.ticketId) });
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: quoteQueryKey(id) }),
  });
}
