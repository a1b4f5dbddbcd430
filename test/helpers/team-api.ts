import type { LightMyRequestResponse } from 'fastify';
import { SAME_ORIGIN_JSON, type TestApp } from './test-app.js';

/** Requests to the team API as one signed-in member (or as nobody, without a cookie). */
export interface TeamApi {
  /** The `Cookie` header value, for requests built by hand (multipart uploads). */
  readonly cookie: string | undefined;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export function teamApi(t: TestApp, cookie: string | undefined): TeamApi {
  const headers = (json: boolean) => ({
    ...(json ? SAME_ORIGIN_JSON : { origin: SAME_ORIGIN_JSON.origin }),
    ...(cookie ? { cookie } : {}),
  });
  const write =
    (method: 'POST' | 'PATCH' | 'PUT') =>
    (url: string, payload: unknown = {}) =>
      t.app.inject({ method, url, headers: headers(true), payload: payload as object });
  return {
    cookie,
    get: (url) => t.app.inject({ method: 'GET', url, headers: headers(false) }),
    post: write('POST'),
    patch: write('PATCH'),
    put: write('PUT'),
    delete: (url) => t.app.inject({ method: 'DELETE', url, headers: headers(false) }),
  };
}
