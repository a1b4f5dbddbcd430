import type { Kysely } from 'kysely';

/**
 * Aggregated audit entries (SECURITY.md §8): refused requests and failed sign-in attempts are
 * counted on one row per (tenant, kind, who, what, hour) instead of one row each, so an attacker
 * can neither flood the log nor hide in it. `aggregate_key` names that bucket (a hash; NULL on
 * ordinary events, and NULLs never collide in a unique index on either dialect), `occurrences`
 * counts it, `last_at` is the latest one. Existing rows are single events: 1 occurrence.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_event').addColumn('aggregate_key', 'text').execute();
  await db.schema
    .alterTable('audit_event')
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('audit_event').addColumn('last_at', 'text').execute();
  await db.schema.createIndex('audit_event_aggregate_key_idx').on('audit_event').column('aggregate_key').unique().execute();
}
