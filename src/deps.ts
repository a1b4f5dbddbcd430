import type { Config } from './config/config.js';
import { resolveAppSecret } from './platform/app-secret.js';
import { type Clock, systemClock } from './platform/clock.js';
import { createDb } from './platform/db/create-db.js';
import type { Db } from './platform/db/database.js';
import { createMailer } from './platform/mail/create-mailer.js';
import type { Mailer } from './platform/mail/mailer.js';
import { Redis } from 'ioredis';
import type { FileStore } from './platform/storage/file-store.js';
import { createFileStore } from './platform/storage/create-file-store.js';
import { createFileScanner } from './platform/scanning/create-file-scanner.js';
import type { FileScanner } from './platform/scanning/file-scanner.js';

/**
 * The process's long-lived collaborators, created once at start and passed to `buildApp` and the
 * worker. Tests build their own (real database, manual clock) and pass them the same way.
 */
export interface Deps {
  readonly db: Db;
  readonly clock: Clock;
  readonly files: FileStore;
  /** clamd when CLAMAV_URL is set; null: uploads are not scanned (the embedded default). */
  readonly scanner: FileScanner | null;
  readonly mailer: Mailer;
  /** APP_SECRET, or the generated development one (platform/app-secret.ts). */
  readonly appSecret: string;
  /** Shared rate-limit store when REDIS_URL is set; null means in-memory limits. */
  readonly redis: Redis | null;
  /** Nudges the in-process worker after a commit that queued jobs (no-op when it runs elsewhere). */
  wakeWorker: () => void;
}

export function createDeps(config: Config, overrides: Partial<Deps> = {}): Deps {
  const db = overrides.db ?? createDb(config.database);
  return {
    db,
    clock: overrides.clock ?? systemClock,
    files: overrides.files ?? createFileStore(config),
    scanner: overrides.scanner !== undefined ? overrides.scanner : createFileScanner(config),
    mailer: overrides.mailer ?? createMailer(config, db),
    appSecret: overrides.appSecret ?? resolveAppSecret(config),
    redis: overrides.redis !== undefined ? overrides.redis : config.redisUrl ? createRedis(config.redisUrl) : null,
    wakeWorker: overrides.wakeWorker ?? (() => undefined),
  };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.mailer.close();
  if (deps.redis) await deps.redis.quit();
  await deps.files.close?.();
  await deps.db.destroy();
}

function createRedis(url: string): Redis {
  // Fail fast: a rate-limit check must not hang a request while Redis is away.
  return new Redis(url, { connectTimeout: 2000, maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false });
}
