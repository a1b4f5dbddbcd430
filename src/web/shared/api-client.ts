/**
 * The one way the web apps talk to the server. Every call is same-origin with cookies, every
 * write is JSON (the server refuses other content types on writes), and every failure becomes an
 * `ApiError` carrying the server's stable `code` and its user-facing `message`, so pages can show
 * the message as is and branch on the code, never on the wording.
 */

export interface ApiErrorDetail {
  readonly path: string;
  readonly message: string;
}

/** Codes the client makes up itself when there is no error body to read. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE';

export class ApiError extends Error {
  constructor(
    /** The server's SCREAMING_SNAKE code (src/platform/errors.ts), or a ClientErrorCode. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly requestId: string | undefined = undefined,
    readonly details: readonly ApiErrorDetail[] = [],
    /** Seconds from the answer's Retry-After header (429 ACCOUNT_LOCKED, RATE_LIMITED); undefined without one. */
    readonly retryAfterSeconds: number | undefined = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRequestOptions {
  readonly method?: ApiMethod;
  /** Sent as JSON. Writes without a body send `{}`: an empty JSON body is refused by the server. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

export const NETWORK_MESSAGE = 'We could not reach the server. Check your connection and try again.';
export const UNEXPECTED_MESSAGE = 'Something went wrong on our side. Please try again.';

/**
 * Calls a JSON endpoint and returns its parsed body (undefined for 204).
 * @throws ApiError for network failures and every non-2xx answer
 */
export async function requestJson<T>(url: string, options: ApiRequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const isWrite = method !== 'GET';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: isWrite ? { accept: 'application/json', 'content-type': 'application/json' } : { accept: 'application/json' },
      body: isWrite ? JSON.stringify(options.body ?? {}) : null,
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError('NETWORK_ERROR', NETWORK_MESSAGE, 0);
  }

  const payload = await readJsonBody(response);
  if (!response.ok) {
    throw apiErrorFrom(response.status, payload, response.headers.get('x-request-id'), response.headers.get('retry-after'));
  }
  if (response.status === 204) return undefined as T;
  if (payload === undefined) throw new ApiError('UNEXPECTED_RESPONSE', UNEXPECTED_MESSAGE, response.status);
  return payload as T;
}

async function readJsonBody(response: Response): Promise<unknown> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return undefined;
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Reads `{ error: { code, message, requestId, details? } }` from a failed answer (fetch here, the
 * upload's XMLHttpRequest in upload-file.ts); anything else gets a generic message.
 */
export function apiErrorFrom(status: number, payload: unknown, headerRequestId: string | null, retryAfter: string | null = null): ApiError {
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : undefined;
  const requestId = typeof error?.requestId === 'string' ? error.requestId : (headerRequestId ?? undefined);
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') {
    return new ApiError('UNEXPECTED_RESPONSE', UNEXPECTED_MESSAGE, status, requestId);
  }
  const details = Array.isArray(error.details) ? error.details.filter(isDetail) : [];
  return new ApiError(error.code, error.message, status, requestId, details, retryAfterSecondsOf(retryAfter));
}

/** Retry-After as delay-seconds (what our server sends); an HTTP date is read too. */
function retryAfterSecondsOf(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

function isDetail(value: unknown): value is ApiErrorDetail {
  return isRecord(value) && typeof value.path === 'string' && typeof value.message === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The message to show for any error a hook produced, whether or not it came from the server. */
export function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : UNEXPECTED_MESSAGE;
}
