import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { DatabaseConfig } from '../../src/config/config.js';
import type { Db } from '../../src/platform/db/database.js';
import { createDb, type Dialect } from '../../src/platform/db/create-db.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';

/**
 * The dialect matrix (after Kysely's own test setup): SQLite always; PostgreSQL too when
 * DATABASE_URL points at a PostgreSQL server (CI runs the suite once without and once with it).
 * Each test database is new: a temporary SQLite file, or a throwaway PostgreSQL database created
 * from DATABASE_URL's server and dropped afterwards.
 */
const postgresAdminUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;

export const DIALECTS: readonly Dialect[] = postgresAdminUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export function hasPostgres(): boolean {
  return postgresAdminUrl !== undefined;
}

export interface TestDatabase {
  readonly dialect: Dialect;
  readonly config: DatabaseConfig;
  /** The URL to hand to `loadConfig` as DATABASE_URL. */
  readonly url: string;
  readonly db: Db;
  destroy(): Promise<void>;
}

/** Creates an empty database of the dialect, without migrations. */
export async function createEmptyTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'servelo-test-'));
    const file = path.join(dir, 'test.db');
    const config: DatabaseConfig = { kind: 'sqlite', path: file };
    const db = createDb(config);
    return {
      dialect,
      config,
      url: `sqlite:${file}`,
      db,
      async destroy() {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!postgresAdminUrl) throw new Error('PostgreSQL tests need DATABASE_URL=postgres://…');
  const name = `servelo_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { kind: 'postgres', url: url.toString(), poolMax: 10 };
  const db = createDb(config);
  return {
    dialect,
    config,
    url: url.toString(),
    db,
    async destroy() {
      await db.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Creates a database of the dialect with every migration applied. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const database = await createEmptyTestDatabase(dialect);
  await migrateToLatest(database.db);
  return database;
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * `describe` once per dialect with a migrated database shared by the block's tests; the getter
 * returns it inside tests. Tests create their own tenants, so sharing the database is safe. The
 * dialect is passed too, for tests that hold each dialect to its own expectations (chosen from a
 * table, never by an `if` around an assertion).
 */
export function describeEachDialect(name: string, body: (get: () => TestDatabase, dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.destroy();
      });
      body(() => {
        if (!database) throw new Error('test database not ready');
        return database;
      }, dialect);
    });
  }
}
