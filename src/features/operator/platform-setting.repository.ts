import type { Executor } from '../../platform/db/database.js';

/** Installation-wide settings (not tenant-owned): one row per key, the value as JSON. */
export async function readPlatformSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('platform_setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writePlatformSetting(
  db: Executor,
  row: { key: string; value: string; updatedById: string | null; now: string },
): Promise<void> {
  await db
    .insertInto('platform_setting')
    .values({ key: row.key, value: row.value, updated_by_id: row.updatedById, updated_at: row.now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_by_id: row.updatedById, updated_at: row.now }))
    .execute();
}
