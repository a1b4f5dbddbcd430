/* eslint-disable no-restricted-syntax -- this test writes the schema before 0005 directly and reads the backfill across tenants */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Kysely, type Migration, Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { createEmptyTestDatabase, DIALECTS } from '../helpers/test-database.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** The migrations before team accounts, applied with Kysely's migrator as `migrateToLatest` would. */
async function migrateUpTo(db: Kysely<unknown>, lastName: string): Promise<void> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}-\d{2}-\d{2}-.+\.ts$/.test(f)).sort();
  const migrations: Record<string, Migration> = {};
  for (const file of files) {
    const name = file.replace(/\.ts$/, '');
    if (name > lastName) break;
    migrations[name] = (await import(new URL(file, `file://${MIGRATIONS_DIR}`).href)) as Migration;
  }
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
  if (error) throw error;
}

for (const dialect of DIALECTS) {
  describe(`team accounts migration [${dialect}]`, () => {
    it('backfills one account per distinct member email and links every membership to it', async () => {
      const database = await createEmptyTestDatabase(dialect);
      try {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema before 0005 has no types of its own
        const db = database.db as unknown as Kysely<any>;
        await migrateUpTo(db, '2026-11-24-0004-files');
        const tenant = (id: string) => ({
          id,
          slug: id,
          name: id,
          accent_color: '#0e7490',
          currency: 'USD',
          locale: 'en-US',
          time_zone: 'UTC',
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
        });
        await db
          .insertInto('tenant')
          .values([tenant('t1'), tenant('t2')])
          .execute();
        const member = (id: string, tenantId: string, email: string, name: string, at: string) => ({
          id,
          tenant_id: tenantId,
          email,
          name,
          role: 'agent',
          password_hash: null,
          created_at: at,
          updated_at: at,
        });
        await db
          .insertInto('team_member')
          .values([
            member('m1', 't1', 'pat@example.com', 'Pat One', '2026-01-01T00:00:00.000Z'),
            member('m2', 't2', 'pat@example.com', 'Pat Two', '2026-01-02T00:00:00.000Z'),
            member('m3', 't1', 'lee@example.com', 'Lee', '2026-01-03T00:00:00.000Z'),
          ])
          .execute();

        await migrateToLatest(database.db);

        const accounts = await database.db
          .selectFrom('team_account')
          .select(['id', 'email', 'name', 'password_hash'])
          .orderBy('email')
          .execute();
        expect(accounts).toEqual([
          { id: 'm3', email: 'lee@example.com', name: 'Lee', password_hash: null },
          { id: 'm1', email: 'pat@example.com', name: 'Pat One', password_hash: null },
        ]);
        const members = await database.db.selectFrom('team_member').select(['id', 'account_id', 'status']).orderBy('id').execute();
        expect(members).toEqual([
          { id: 'm1', account_id: 'm1', status: 'active' },
          { id: 'm2', account_id: 'm1', status: 'active' },
          { id: 'm3', account_id: 'm3', status: 'active' },
        ]);
        // One membership per account per tenant.
        await expect(
          db
            .insertInto('team_member')
            .values({
              ...member('m4', 't1', 'pat2@example.com', 'P', '2026-01-04T00:00:00.000Z'),
              password_hash: undefined,
              account_id: 'm1',
            })
            .execute(),
        ).rejects.toThrow(/unique|duplicate/i);
      } finally {
        await database.destroy();
      }
    }, 60_000);
  });
}
