import type { Config } from './config/config.js';
import { type Clock, systemClock } from './platform/clock.js';
import { createDb } from './platform/db/create-db.js';
import type { Db } from './platform/db/database.js';
import type { FileStore } from './platform/storage/file-store.js';
import { LocalFileStore } from './platform/storage/local-file-store.js';
import path from 'node:path';

/**
 * The process's long-lived collaborators, created once at start and passed to `buildApp` and the
 * worker. Tests build their own (real database, manual clock) and pass them the same way.
 */
export interface Deps {
  readonly db: Db;
  readonly clock: Clock;
  readonly files: FileStore;
  /** Nudges the in-process worker after a commit that queued jobs (no-op when it runs elsewhere). */
  wakeWorker: () => void;
}

export function createDeps(config: Config, overrides: Partial<Deps> = {}): Deps {
  return {
    db: overrides.db ?? createDb(config.database),
    clock: overrides.clock ?? systemClock,
    files: overrides.files ?? new LocalFileStore(path.join(config.dataDir, 'files')),
    wakeWorker: overrides.wakeWorker ?? (() => undefined),
  };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.db.destroy();
}
