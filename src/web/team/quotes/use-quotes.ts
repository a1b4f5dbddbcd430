import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  TCreateQuoteRequest,
  TTeamQuoteDetail,
  TTeamQuoteList,
  TUpdateQuoteRequest,
  ZQuoteSettings,
} from '../../../features/quotes/team-quote.schemas.js';
import { queryString, teamApi } from '../team-api.js';

export type QuoteSettings = z.infer<typeof ZQuoteSettings>;

/** `all`, `open` (draft, sent, changes requested) or one status. */
export type QuoteStatusFilter = 'all' | 'open' | TTeamQuoteList['quotes'][number]['status'];

export interface QuoteListFilters {
  readonly status: QuoteStatusFilter;
  readonly clientId?: string | undefined;
  readonly ticketId?: string | undefined;
}

/** Every list of quotes, whatever its filters: what a change to any quote invalidates. */
export const QUOTE_LISTS_KEY = ['team-quotes'] as const;
export const quoteKey = (id: string) => ['team-quote', id] as const;
const QUOTE_SETTINGS_KEY = ['team-quote-settings'] as const;

export const QUOTES_PAGE_SIZE = 25;

const quotePath = (id: string, action = '') => `quotes/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

/** GET quotes — newest change first, keyset pages; counts per status come with the first page. */
export function useQuoteList(filters: QuoteListFilters, limit = QUOTES_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: [...QUOTE_LISTS_KEY, filters, limit],
    queryFn: ({ pageParam, signal }) =>
      teamApi.get<TTeamQuoteList>(
        `quotes${queryString({ status: filters.status, clientId: filters.clientId, ticketId: filters.ticketId, cursor: pageParam, limit })}`,
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

/** GET quotes/{id}. Error QUOTE_NOT_FOUND (404). */
export function useQuote(id: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: quoteKey(id),
    queryFn: ({ signal }) => teamApi.get<TTeamQuoteDetail>(quotePath(id), signal),
    staleTime: 10_000,
    enabled: options.enabled ?? true,
  });
}

/** Keeps the answer of a write as the quote's page data, and lets every list refetch. */
function store(queryClient: QueryClient, detail: TTeamQuoteDetail): void {
  queryClient.setQueryData(quoteKey(detail.quote.id), detail);
  void queryClient.invalidateQueries({ queryKey: QUOTE_LISTS_KEY });
}

/** POST quotes: a draft. Errors VALIDATION_FAILED, CLIENT_NOT_FOUND, TICKET_NOT_FOUND, QUOTE_TOTAL_TOO_LARGE. */
export function useCreateQuote() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreateQuoteRequest) => teamApi.post<TTeamQuoteDetail>('quotes', input),
    onSuccess: (detail) => store(queryClient, detail),
  });
}

/** PATCH quotes/{id}: a draft in place; a sent quote becomes version N+1, sent at once. 409 QUOTE_NOT_EDITABLE. */
export function useUpdateQuote(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: TUpdateQuoteRequest) => teamApi.patch<TTeamQuoteDetail>(quotePath(id), change),
    onSuccess: (detail) => store(queryClient, detail),
  });
}

/** POST quotes/{id}/{send|withdraw|duplicate}; 409 QUOTE_ALREADY_SENT, QUOTE_NO_RECIPIENTS, QUOTE_ALREADY_DECIDED … */
export function useQuoteAction(action: 'send' | 'withdraw' | 'duplicate') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, recipientContactIds }: { id: string; recipientContactIds?: string[] }) =>
      teamApi.post<TTeamQuoteDetail>(quotePath(id, action), action === 'send' && recipientContactIds ? { recipientContactIds } : {}),
    onSuccess: (detail) => store(queryClient, detail),
  });
}

/** Where the quote's PDF downloads from (a plain link: the browser keeps the session cookie). */
export function quotePdfUrl(id: string): string {
  return `/api/team/${quotePath(id, 'pdf')}`;
}

/** GET quote-settings: the organisation's default terms (prefilled in new quotes). */
export function useQuoteSettings(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: QUOTE_SETTINGS_KEY,
    queryFn: ({ signal }) => teamApi.get<QuoteSettings>('quote-settings', signal),
    staleTime: 60_000,
    enabled: options.enabled ?? true,
  });
}

/** PUT quote-settings (owner or admin). */
export function useUpdateQuoteSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: QuoteSettings) => teamApi.put<QuoteSettings>('quote-settings', settings),
    onSuccess: (saved) => queryClient.setQueryData(QUOTE_SETTINGS_KEY, saved),
  });
}
