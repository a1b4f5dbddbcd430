import { ApiError, apiErrorFrom, NETWORK_MESSAGE, UNEXPECTED_MESSAGE } from './api-client.js';

/**
 * One file to the server as multipart/form-data, with upload progress. XMLHttpRequest because
 * fetch reports no upload progress. Same rules as api-client.ts: same-origin with cookies (the
 * browser adds Sec-Fetch-Site, which is what the server checks on writes, so no token is needed),
 * the browser computes Content-Length and the multipart boundary from the FormData, and every
 * failure is an `ApiError` with the server's code and message.
 */
export interface UploadFileOptions {
  readonly method?: 'POST' | 'PUT';
  /** The form field the server reads the file from (`files` for attachments, `photo` for the profile). */
  readonly field: string;
  /** Percent of the body sent, 0–100; the answer may still take a moment after 100. */
  readonly onProgress?: (percent: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * Sends `file` and returns the parsed JSON answer.
 * @throws ApiError for network failures and non-2xx answers; an AbortError DOMException when `signal` aborts
 */
export function uploadFile<T>(url: string, file: File, options: UploadFileOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { signal, onProgress } = options;
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const settle = () => signal?.removeEventListener('abort', onAbort);
    xhr.open(options.method ?? 'POST', url);
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(Math.min(100, Math.round((event.loaded / event.total) * 100)));
    };
    xhr.onload = () => {
      settle();
      const payload = parseJson(xhr);
      if (xhr.status >= 200 && xhr.status < 300) {
        if (payload === undefined) reject(new ApiError('UNEXPECTED_RESPONSE', UNEXPECTED_MESSAGE, xhr.status));
        else resolve(payload as T);
      } else {
        reject(apiErrorFrom(xhr.status, payload, xhr.getResponseHeader('x-request-id')));
      }
    };
    xhr.onerror = () => {
      settle();
      reject(new ApiError('NETWORK_ERROR', NETWORK_MESSAGE, 0));
    };
    xhr.onabort = () => {
      settle();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const body = new FormData();
    body.append(options.field, file, file.name);
    xhr.send(body);
  });
}

function parseJson(xhr: XMLHttpRequest): unknown {
  if (!(xhr.getResponseHeader('content-type') ?? '').includes('json')) return undefined;
  try {
    return JSON.parse(xhr.responseText) as unknown;
  } catch {
    return undefined;
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
