import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TClaimCustomDomainRequest, TCustomDomainSettings } from '../../../features/domains/team-custom-domain.schemas.js';
import { teamApi } from '../team-api.js';

const CUSTOM_DOMAIN_KEY = ['settings', 'custom-domain'] as const;
const PATH = 'settings/custom-domain';

/** The organisation's custom domain; refreshed every minute while open, so the worker's checks show. */
export function useCustomDomain() {
  return useQuery({
    queryKey: CUSTOM_DOMAIN_KEY,
    queryFn: ({ signal }) => teamApi.get<TCustomDomainSettings>(PATH, signal),
    refetchInterval: 60_000,
  });
}

function useDomainMutation<V>(call: (variables: V) => Promise<TCustomDomainSettings>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (settings) => queryClient.setQueryData(CUSTOM_DOMAIN_KEY, settings),
  });
}

/** Claims a host, or replaces the current one. Errors DOMAIN_INVALID (on the field), DOMAIN_TAKEN. */
export const useClaimCustomDomain = () =>
  useDomainMutation((request: TClaimCustomDomainRequest) => teamApi.put<TCustomDomainSettings>(PATH, request));

/** "Check now". Errors RATE_LIMITED (once per 10 seconds). */
export const useCheckCustomDomain = () => useDomainMutation(() => teamApi.post<TCustomDomainSettings>(`${PATH}/check`));

export const useRemoveCustomDomain = () => useDomainMutation(() => teamApi.delete<TCustomDomainSettings>(PATH));
