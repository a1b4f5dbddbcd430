import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../../config/config.js';
import type { Database, Db } from './database.js';

export type Dialect = 'sqlite' | 'postgres';

/** How long to wait for a PostgreSQL connection, and for one statement, before giving up (503). */
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

/** Opens the database named by the configuration: better-sqlite3 by default, a pg pool otherwise. */
export function createDb(config: DatabaseConfig): Db {
  if (config.kind === 'postgres') {
    const connectTimeout = config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const statementTimeout = config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolMax,
      // A database that does not answer makes requests fail fast with 503, instead of hanging: the
      // server cancels a slow statement, and the client gives up on a server that says nothing at
      // all (frozen, or a network that drops packets) a moment later.
      connectionTimeoutMillis: connectTimeout,
      statement_timeout: statementTimeout,
      query_timeout: statementTimeout + 1_000,
      idle_in_transaction_session_timeout: statementTimeout * 3,
    });
    // A connection cut under us (server restart, crash, network) must never take the process down:
    // an idle client's error reaches the pool, a checked-out client's its own 'error' event. The
    // query that was running fails (503 for its request); the pool drops the client and connects
    // afresh for the next one.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (config.path !== ':memory:') mkdirSync(path.dirname(config.path), { recursive: true });
  const sqlite = new SQLite(config.path);
  // WAL lets readers run beside the single writer; busy_timeout makes a second process wait for
  // the write lock instead of failing at once; SQLite leaves foreign keys off unless asked.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
