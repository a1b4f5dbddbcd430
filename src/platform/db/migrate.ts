import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, type MigrationResult, Migrator, sql } from 'kysely';
import type { Db } from './database.js';
import { dialectOf } from './create-db.js';

/**
 * Forward-only migrations from `migrations/` (TypeScript under tsx/vitest, JavaScript in `dist`).
 * On PostgreSQL a session-level advisory lock serialises processes that start at once, so only the
 * first applies the migrations and the others find them done; SQLite does the same with its
 * write lock (below).
 */
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
const MIGRATION_LOCK_KEY = 727_274_001;

class DirectoryMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => /^\d{4}-\d{2}-\d{2}-.+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'));
    const migrations: Record<string, Migration> = {};
    for (const file of files.sort()) {
      const module = (await import(new URL(file, `file://${this.dir}`).href)) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = module;
    }
    return migrations;
  }
}

export interface MigrationOutcome {
  readonly applied: readonly string[];
}

/** Applies every pending migration; throws with the failing migration's name and cause. */
export async function migrateToLatest(db: Db): Promise<MigrationOutcome> {
  if (dialectOf(db) === 'postgres') {
    return db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
      try {
        return await runMigrator(conn);
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
      }
    });
  }
  // SQLite: take the write lock before the migrator reads its table (BEGIN IMMEDIATE), so a second
  // process waits (busy_timeout) and then finds the migrations applied instead of racing to apply them.
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const outcome = await runMigrator(conn, { disableTransactions: true });
      await sql`commit`.execute(conn);
      return outcome;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> (frozen, untyped by design)
async function runMigrator(db: Kysely<any>, options: { disableTransactions?: boolean } = {}): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db, provider: new DirectoryMigrationProvider(MIGRATIONS_DIR), ...options });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
