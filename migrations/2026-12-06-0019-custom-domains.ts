import type { Kysely } from 'kysely';

/**
 * Custom domains and their certificates (issue 14).
 * - `custom_domain`: one claim per organisation (replacing a domain removes the old claim), a host
 *   unique across the installation; a released host is deleted, so claiming it again needs a fresh
 *   TXT proof. `status` walks pending_dns → verified → issuing → active, or failed / lapsed, with
 *   the reason in words and what DNS answered last (`dns_observed`, JSON).
 * - `domain_certificate`: every certificate Servelo issued (ACME) or an operator uploaded; the PEM
 *   chain and the private key are AES-256-GCM ciphertext (never stored or logged in the clear).
 * - `acme_challenge`: HTTP-01 key authorisations, answered only on their own host while pending.
 * - `acme_account`: the installation's ACME account per directory URL (key encrypted).
 * - `platform_setting`: installation-wide switches the operator sets (issue automatically, …).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> (frozen, untyped by design)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('custom_domain')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('verification_token', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('dns_observed', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('activated_at', 'text')
    .addColumn('lapsed_at', 'text')
    .addColumn('last_checked_at', 'text')
    .addColumn('next_check_at', 'text')
    .addColumn('check_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('certificate_error', 'text')
    .addColumn('certificate_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('certificate_next_attempt_at', 'text')
    .addColumn('created_by_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('custom_domain_tenant_id_key', ['tenant_id', 'id'])
    .addUniqueConstraint('custom_domain_host_key', ['host'])
    .addUniqueConstraint('custom_domain_one_per_tenant_key', ['tenant_id'])
    .execute();
  await db.schema.createIndex('custom_domain_status_idx').on('custom_domain').columns(['status', 'next_check_at']).execute();

  await db.schema
    .createTable('domain_certificate')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('domain_id', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cert_ciphertext', 'text', (c) => c.notNull())
    .addColumn('key_ciphertext', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('not_before', 'text', (c) => c.notNull())
    .addColumn('not_after', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoke_reason', 'text')
    .addUniqueConstraint('domain_certificate_tenant_id_key', ['tenant_id', 'id'])
    .addForeignKeyConstraint('domain_certificate_domain_fk', ['tenant_id', 'domain_id'], 'custom_domain', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('domain_certificate_host_idx').on('domain_certificate').columns(['host', 'status']).execute();
  await db.schema.createIndex('domain_certificate_expiry_idx').on('domain_certificate').columns(['status', 'not_after']).execute();

  await db.schema
    .createTable('acme_challenge')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('key_authorization', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('acme_challenge_tenant_id_key', ['tenant_id', 'id'])
    .addUniqueConstraint('acme_challenge_host_token_key', ['host', 'token'])
    .execute();

  await db.schema
    .createTable('acme_account')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('directory_url', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('key_ciphertext', 'text', (c) => c.notNull())
    .addColumn('account_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('platform_setting')
    .addColumn('key', 'text', (c) => c.primaryKey().notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_by_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
