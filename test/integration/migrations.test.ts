import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { runCli } from '../helpers/run-cli.js';
import { createEmptyTestDatabase, createTestDatabase, DIALECTS, hasPostgres } from '../helpers/test-database.js';

const EXPECTED_TABLES = [
  'acme_account',
  'acme_challenge',
  'audit_event',
  'client',
  'contact',
  'custom_domain',
  'dev_mail',
  'domain_certificate',
  'file',
  'inbound_message',
  'login_token',
  'message',
  'operator',
  'operator_recovery_code',
  'operator_session',
  'outbox',
  'platform_setting',
  'quote',
  'quote_acceptance',
  'quote_event',
  'quote_recipient',
  'quote_version',
  'reply_address',
  'session',
  'team_account',
  'team_member',
  'team_recovery_code',
  'team_sign_in_throttle',
  'tenant',
  'ticket',
  'ticket_event',
  'ticket_read',
];

/** Column shape that must match across dialects: name, nullability, and a normalised type. */
async function describeSchema(db: Db): Promise<Record<string, string[]>> {
  const tables = await db.introspection.getTables();
  const shape: Record<string, string[]> = {};
  for (const table of tables.filter((t) => !t.name.startsWith('kysely_'))) {
    shape[table.name] = table.columns.map((c) => `${c.name}:${normaliseType(c.dataType)}:${c.isNullable ? 'null' : 'not null'}`).sort();
  }
  return shape;
}

function normaliseType(type: string): string {
  const t = type.toLowerCase();
  if (t === 'bigint' || t === 'int8') return 'bigint';
  if (t.startsWith('int')) return 'integer';
  if (t === 'text' || t.startsWith('varchar') || t.startsWith('character')) return 'text';
  return t;
}

for (const dialect of DIALECTS) {
  describe(`migrations [${dialect}]`, () => {
    it('apply on an empty database, then find nothing to do', async () => {
      const database = await createEmptyTestDatabase(dialect);
      try {
        const first = await migrateToLatest(database.db);
        expect(first.applied.length).toBeGreaterThan(0);
        const schema = await describeSchema(database.db);
        expect(Object.keys(schema).sort()).toEqual(EXPECTED_TABLES);
        const second = await migrateToLatest(database.db);
        expect(second.applied).toEqual([]);
      } finally {
        await database.destroy();
      }
    });

    it('are safe when two processes migrate the same empty database at once', async () => {
      const database = await createEmptyTestDatabase(dialect);
      try {
        const env = { DATABASE_URL: database.url, DATA_DIR: path.join(tmpdir(), 'servelo-cli-unused') };
        const [a, b] = await Promise.all([runCli(['migrate'], env), runCli(['migrate'], env)]);
        expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
        // Exactly one of the two applied the migrations; the other found them done.
        const outputs = [a.stdout, b.stdout].sort();
        expect(outputs[0]).toMatch(/^Applied \d+ migration/);
        expect(outputs[1]).toMatch(/^The database is up to date/);
        expect(Object.keys(await describeSchema(database.db)).sort()).toEqual(EXPECTED_TABLES);
      } finally {
        await database.destroy();
      }
    });
  });
}

if (hasPostgres()) {
  describe('schema shape', () => {
    it('is the same on SQLite and PostgreSQL', async () => {
      const sqlite = await createTestDatabase('sqlite');
      const postgres = await createTestDatabase('postgres');
      try {
        expect(await describeSchema(postgres.db)).toEqual(await describeSchema(sqlite.db));
      } finally {
        await sqlite.destroy();
        await postgres.destroy();
      }
    });
  });
}
