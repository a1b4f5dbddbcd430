import { requestJson } from '../shared/api-client.js';

/** Where the team API lives; files (`/files/{id}`) and uploads (`/uploads`) are below it too. */
export const TEAM_API_BASE = '/api/team';

/**
 * The team API, relative to `/api/team`: `teamApi.post('auth/sign-in', …)`. One team app serves
 * every organisation, so unlike the portal there is no base path to thread through: the session
 * says which organisation is open.
 */
export const teamApi = {
  get: <T>(path: string, signal?: AbortSignal) => requestJson<T>(urlOf(path), signal ? { signal } : {}),
  post: <T>(path: string, body?: unknown) => requestJson<T>(urlOf(path), { method: 'POST', body }),
  patch: <T>(path: string, body: unknown) => requestJson<T>(urlOf(path), { method: 'PATCH', body }),
  put: <T>(path: string, body?: unknown) => requestJson<T>(urlOf(path), { method: 'PUT', body }),
  delete: <T>(path: string) => requestJson<T>(urlOf(path), { method: 'DELETE' }),
};

function urlOf(path: string): string {
  return `${TEAM_API_BASE}/${path.replace(/^\/+/, '')}`;
}

/** `a=1&b=2` from the defined, non-empty values only. */
export function queryString(params: Readonly<Record<string, string | number | boolean | null | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
