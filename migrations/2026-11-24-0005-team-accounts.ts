import type { Kysely } from 'kysely';

/**
 * Team sign-in: one global `team_account` per person (email, password, TOTP), memberships
 * (`team_member`) of one or more tenants pointing at it, recovery codes, and the throttle that
 * locks sign-in for an email after repeated failures (SECURITY.md D1, §2; ARCHITECTURE.md §5).
 *
 * `team_member.account_id` stays nullable in the schema: SQLite cannot add a NOT NULL column
 * without a default; every membership written since this migration has one (the code requires
 * it) and existing ones are backfilled here. `team_member.email` is kept (it is in the
 * (tenant_id, email) unique constraint, which SQLite cannot drop) and kept in sync with the
 * account's; `team_member.password_hash` moves to the account and is dropped.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> (frozen, untyped by design)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('team_account')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('password_changed_at', 'text')
    // AES-256-GCM ciphertexts (key derived from APP_SECRET); pending until confirmed with a code.
    .addColumn('totp_secret', 'text')
    .addColumn('totp_pending_secret', 'text')
    .addColumn('totp_enabled_at', 'text')
    // The last accepted 30-second step: a code is never accepted twice (replay guard).
    .addColumn('totp_last_step', 'integer')
    // A single-use password reset link: only its SHA-256; a newer link replaces an older one.
    .addColumn('reset_token_hash', 'text', (c) => c.unique())
    .addColumn('reset_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('team_recovery_code')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('team_account.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('team_recovery_code_account_idx').on('team_recovery_code').columns(['account_id']).execute();

  // Keyed by the SHA-256 of the canonical email, known or not, so a lock answers the same for both.
  await db.schema
    .createTable('team_sign_in_throttle')
    .addColumn('email_hash', 'text', (c) => c.primaryKey().notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('team_member')
    .addColumn('account_id', 'text', (c) => c.references('team_account.id'))
    .execute();
  await db.schema.alterTable('team_member').addColumn('invite_token_hash', 'text').execute();
  await db.schema.alterTable('team_member').addColumn('invite_expires_at', 'text').execute();
  await db.schema.alterTable('team_member').addColumn('invited_by_id', 'text').execute();

  // Backfill: one account per distinct member email, named after its oldest membership.
  const members: { id: string; email: string; name: string; created_at: string }[] = await db
    .selectFrom('team_member')
    .select(['id', 'email', 'name', 'created_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const accountOf = new Map<string, string>();
  for (const m of members) {
    let accountId = accountOf.get(m.email);
    if (!accountId) {
      // The member id doubles as the account id: unique, UUIDv7, and needs no id generator here.
      accountId = m.id;
      accountOf.set(m.email, accountId);
      await db
        .insertInto('team_account')
        .values({ id: accountId, email: m.email, name: m.name, created_at: m.created_at, updated_at: m.created_at })
        .execute();
    }
    await db.updateTable('team_member').set({ account_id: accountId }).where('id', '=', m.id).execute();
  }

  await db.schema.createIndex('team_member_tenant_account_key').unique().on('team_member').columns(['tenant_id', 'account_id']).execute();
  await db.schema.createIndex('team_member_account_idx').on('team_member').columns(['account_id']).execute();
  await db.schema.createIndex('team_member_invite_token_key').unique().on('team_member').columns(['invite_token_hash']).execute();
  // Team sessions are found by token hash alone (the unique index on token_hash); revoking all of
  // an account's sessions goes by (tenant_id, audience, subject_id), the existing session_subject_idx.
  await db.schema.alterTable('team_member').dropColumn('password_hash').execute();
}
