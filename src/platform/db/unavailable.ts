/**
 * Whether an error means the database cannot be reached right now (restarting, down, out of
 * connections, too slow to connect), as opposed to a bug or bad data: such requests answer 503
 * with Retry-After, and the next request tries again on a fresh connection.
 */

/** SQLSTATE classes and codes of an unreachable or unavailable PostgreSQL. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is stopping or restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '57014', // query_canceled: the statement timeout fired (the database is too slow to answer)
  '25P03', // idle_in_transaction_session_timeout
]);

/** Node socket errors of a connection that failed or was cut. */
const UNAVAILABLE_SYSCALL_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** What node-postgres says when a connection ends under it or cannot be made in time. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Connection terminated due to connection timeout/i,
  /Query read timeout/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** SQLite: the write lock stayed taken longer than busy_timeout. */
const SQLITE_UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (/^08/.test(code) || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SYSCALL_CODES.has(code) || SQLITE_UNAVAILABLE.has(code)) {
        return true;
      }
    }
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(e instanceof Error ? e.message : ''))) return true;
  }
  return false;
}

/** How long a client should wait before trying again, in seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Node and SQLite errors of a full disk or an exhausted quota (file store, database file, temp files). */
const STORAGE_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** What S3-compatible services call a full bucket or drive (MinIO, Ceph, quotas), by error name. */
const S3_FULL_NAMES = new Set(['XMinioStorageFull', 'XMinioAdminBucketQuotaExceeded', 'QuotaExceeded', 'InsufficientStorage']);

/** The HTTP status an S3 client error carries (AWS SDK v3 service exceptions), if any. */
function s3StatusOf(error: Error): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Whether an error means there is no room left to write: the request answers 507 and the operator is told. */
export function isStorageFull(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && STORAGE_FULL_CODES.has(code)) return true;
    // PostgreSQL: disk_full (53100).
    if (code === '53100') return true;
    if (S3_FULL_NAMES.has(e.name) || s3StatusOf(e) === 507) return true;
  }
  return false;
}

/**
 * Whether the object store is overloaded or down (an S3 5xx such as SlowDown or ServiceUnavailable):
 * like a database outage, the request answers 503 with Retry-After. Unreachable endpoints are
 * socket errors, which `isDatabaseUnavailable` already treats so.
 */
export function isObjectStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const status = s3StatusOf(e);
    if (status !== undefined && status >= 500) return true;
  }
  return false;
}
