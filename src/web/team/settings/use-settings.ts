import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TAddTeamMemberRequest, TTeamMember, TUpdateTeamMemberRequest } from '../../../features/team/team.schemas.js';
import type { TAuditPage } from '../../../features/audit/team-audit.schemas.js';
import type {
  TCustomerLimitsSettings,
  TUpdateCustomerLimitsRequest,
  TNotificationSettings,
  TOrganisationSettings,
  TPortalSettings,
  TUpdateNotificationSettingsRequest,
  TUpdateOrganisationRequest,
  TUpdatePortalSettingsRequest,
} from '../../../features/tenants/team-settings.schemas.js';
import { useInfiniteQuery } from '@tanstack/react-query';
import { queryString, teamApi } from '../team-api.js';
import { MEMBERS_KEY } from '../tickets/use-team-tickets.js';

export const ORGANISATION_KEY = ['settings', 'organisation'] as const;
const PORTAL_KEY = ['settings', 'portal'] as const;
const NOTIFICATIONS_KEY = ['settings', 'notifications'] as const;
const CUSTOMER_LIMITS_KEY = ['settings', 'customer-limits'] as const;

export function useOrganisationSettings() {
  return useQuery({
    queryKey: ORGANISATION_KEY,
    queryFn: ({ signal }) => teamApi.get<TOrganisationSettings>('settings/organisation', signal),
  });
}

export function useUpdateOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: TUpdateOrganisationRequest) => teamApi.patch<TOrganisationSettings>('settings/organisation', change),
    onSuccess: (settings) => queryClient.setQueryData(ORGANISATION_KEY, settings),
  });
}

export function usePortalSettings() {
  return useQuery({ queryKey: PORTAL_KEY, queryFn: ({ signal }) => teamApi.get<TPortalSettings>('settings/portal', signal) });
}

export function useUpdatePortalSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: TUpdatePortalSettingsRequest) => teamApi.patch<TPortalSettings>('settings/portal', change),
    onSuccess: (settings) => queryClient.setQueryData(PORTAL_KEY, settings),
  });
}

export function useCustomerLimits() {
  return useQuery({
    queryKey: CUSTOMER_LIMITS_KEY,
    queryFn: ({ signal }) => teamApi.get<TCustomerLimitsSettings>('settings/customer-limits', signal),
  });
}

export function useUpdateCustomerLimits() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: TUpdateCustomerLimitsRequest) => teamApi.patch<TCustomerLimitsSettings>('settings/customer-limits', change),
    onSuccess: (settings) => queryClient.setQueryData(CUSTOMER_LIMITS_KEY, settings),
  });
}

export function useNotificationSettings() {
  return useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: ({ signal }) => teamApi.get<TNotificationSettings>('settings/notifications', signal),
  });
}

export function useUpdateNotificationSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: TUpdateNotificationSettingsRequest) => teamApi.patch<TNotificationSettings>('settings/notifications', change),
    onSuccess: (settings) => queryClient.setQueryData(NOTIFICATIONS_KEY, settings),
  });
}

/** Invites a teammate (owners and admins; only an owner invites an owner). Errors VALIDATION_FAILED, EMAIL_TAKEN, FORBIDDEN. */
export function useInviteMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TAddTeamMemberRequest) => teamApi.post<TTeamMember>('members', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY }),
  });
}

export function useUpdateMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: TUpdateTeamMemberRequest }) =>
      teamApi.patch<TTeamMember>(`members/${encodeURIComponent(id)}`, change),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
      void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    },
  });
}

/** The audit log, newest first, 50 at a time (owners only: others get 403). */
export function useAuditLog() {
  return useInfiniteQuery({
    queryKey: ['audit'],
    queryFn: ({ pageParam, signal }) => teamApi.get<TAuditPage>(`audit${queryString({ cursor: pageParam, limit: 50 })}`, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
