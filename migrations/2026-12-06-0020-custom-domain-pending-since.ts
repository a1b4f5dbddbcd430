import type { Kysely } from 'kysely';

/**
 * When a custom domain's current wait for DNS proof began (issue 14): a claim waits 7 days for
 * its TXT and CNAME records before it is marked failed, and "Check now" on a failed claim starts
 * a new wait. Null outside `pending_dns`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> (frozen, untyped by design)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('custom_domain').addColumn('pending_since', 'text').execute();
}
