import type { Kysely } from 'kysely';

/**
 * Operator sign-in (issue 14, the operator console).
 * - `operator` gets what the team accounts have: a password (argon2id), TOTP (required for
 *   operators: the first sign-in enrols it before anything else is reachable), a disable switch.
 * - `operator_session`: the console's sessions, installation-wide (not tenant-owned). A session
 *   opened by a password alone is pending (`second_factor_at` null): it may only enrol or confirm
 *   TOTP; `second_factor_at` set means fully signed in.
 * - `operator_recovery_code`: single-use recovery codes, hashed, like the team's.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> (frozen, untyped by design)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operator').addColumn('password_changed_at', 'text').execute();
  await db.schema.alterTable('operator').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('operator').addColumn('totp_pending_secret', 'text').execute();
  await db.schema.alterTable('operator').addColumn('totp_enabled_at', 'text').execute();
  await db.schema.alterTable('operator').addColumn('totp_last_step', 'integer').execute();
  await db.schema.alterTable('operator').addColumn('disabled_at', 'text').execute();
  await db.schema.alterTable('operator').addColumn('updated_at', 'text').execute();

  await db.schema
    .createTable('operator_session')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('operator_id', 'text', (c) => c.notNull().references('operator.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('idle_expires_at', 'text', (c) => c.notNull())
    .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
    .addColumn('second_factor_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addUniqueConstraint('operator_session_token_hash_key', ['token_hash'])
    .execute();
  await db.schema.createIndex('operator_session_operator_idx').on('operator_session').columns(['operator_id']).execute();

  await db.schema
    .createTable('operator_recovery_code')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('operator_id', 'text', (c) => c.notNull().references('operator.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('operator_recovery_code_operator_idx').on('operator_recovery_code').columns(['operator_id']).execute();
}
