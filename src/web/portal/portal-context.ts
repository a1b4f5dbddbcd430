import { createContext, useContext, useMemo } from 'react';
import { requestJson } from '../shared/api-client.js';
import type { PortalBootstrap } from './portal-bootstrap.js';

/** The portal this page belongs to (from the server's bootstrap JSON); set once by PortalApp. */
export const PortalContext = createContext<PortalBootstrap | null>(null);

export function usePortal(): PortalBootstrap {
  const portal = useContext(PortalContext);
  if (!portal) throw new Error('usePortal() needs <PortalContext.Provider>');
  return portal;
}

/** `B/api`: where this portal's API (and its files and uploads) live. */
export function usePortalApiBase(): string {
  return `${usePortal().basePath}/api`;
}

export interface PortalApi {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

/**
 * The portal's API, relative to its base path: `api.post('auth/code', …)` calls
 * `${basePath}/api/auth/code`, so the same code works on `/portal/{slug}` and on a custom domain.
 */
export function usePortalApi(): PortalApi {
  const { basePath } = usePortal();
  return useMemo(() => {
    const urlOf = (path: string) => `${basePath}/api/${path.replace(/^\/+/, '')}`;
    return {
      get: <T>(path: string, signal?: AbortSignal) => requestJson<T>(urlOf(path), signal ? { signal } : {}),
      post: <T>(path: string, body?: unknown) => requestJson<T>(urlOf(path), { method: 'POST', body }),
      patch: <T>(path: string, body: unknown) => requestJson<T>(urlOf(path), { method: 'PATCH', body }),
      delete: <T>(path: string) => requestJson<T>(urlOf(path), { method: 'DELETE' }),
    };
  }, [basePath]);
}
