import { requestJson } from '../shared/api-client.js';

/** The operator API, relative to `/api/operator`: `operatorApi.post('auth/sign-in', …)`. */
export const operatorApi = {
  get: <T>(path: string, signal?: AbortSignal) => requestJson<T>(urlOf(path), signal ? { signal } : {}),
  post: <T>(path: string, body?: unknown) => requestJson<T>(urlOf(path), { method: 'POST', body }),
  patch: <T>(path: string, body: unknown) => requestJson<T>(urlOf(path), { method: 'PATCH', body }),
};

function urlOf(path: string): string {
  return `/api/operator/${path.replace(/^\/+/, '')}`;
}
