import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TRequestLinkResponse, TSignedIn } from '../../../features/auth/portal-auth.schemas.js';
import { ApiError } from '../../shared/api-client.js';
import { usePortalApi } from '../portal-context.js';
import { setSignedIn, setSignedOut } from './use-me.js';

/** POST auth/request-link: always 202 with the same generic message, whatever the address. */
export function useRequestLink() {
  const api = usePortalApi();
  return useMutation({
    mutationFn: (email: string) => api.post<TRequestLinkResponse>('auth/request-link', { email }),
  });
}

/** POST auth/code with the code from the email; on success the customer is signed in. Error CODE_INVALID. */
export function useSignInWithCode() {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; code: string }) => api.post<TSignedIn>('auth/code', input),
    onSuccess: (signedIn) => setSignedIn(queryClient, signedIn.me),
  });
}

/**
 * POST auth/confirm: spends the link. Only ever called from the button press, never on page load.
 * The POST needs the cookie the page's link-info call set (SIGN_IN_CONFIRM_UNBOUND otherwise); when
 * the page stood open longer than that cookie lives, it reads the link again once and retries.
 */
export function useConfirmLink() {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (token: string) => {
      try {
        return await api.post<TSignedIn>('auth/confirm', { token });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'SIGN_IN_CONFIRM_UNBOUND')) throw error;
        await api.post<unknown>('auth/link-info', { token });
        return api.post<TSignedIn>('auth/confirm', { token });
      }
    },
    onSuccess: (signedIn) => setSignedIn(queryClient, signedIn.me),
  });
}

/** POST auth/resend: a new link for the customer of a used or expired one; always 202 with a message. */
export function useResendLink() {
  const api = usePortalApi();
  return useMutation({
    mutationFn: (token: string) => api.post<TRequestLinkResponse>('auth/resend', { token }),
  });
}

export type SignOutScope = 'this-device' | 'all-devices';

/** POST auth/logout or auth/logout-all. A session that had already ended counts as signed out. */
export function useSignOut() {
  const api = usePortalApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (scope: SignOutScope) => {
      try {
        await api.post<unknown>(scope === 'all-devices' ? 'auth/logout-all' : 'auth/logout');
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: () => setSignedOut(queryClient),
  });
}

/**
 * Where to go after signing in. The server picks the landing path; the client still accepts only
 * a path inside the portal (`/…`, never `//host` or `/\host`), so no answer can send the customer
 * to another site.
 */
export function toLandingPath(landingPath: string): string {
  return /^\/(?![/\\])/.test(landingPath) ? landingPath : '/';
}
