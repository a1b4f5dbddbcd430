import type { Selectable } from 'kysely';
import type { LoginTokenTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

export interface LoginToken {
  readonly id: string;
  readonly contactId: string;
  readonly email: string;
  readonly kind: 'sign_in' | 'deep_link';
  readonly codeHash: string;
  readonly codeAttempts: number;
  readonly landingPath: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly consumedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly tokenHash: string;
}

function toLoginToken(row: Selectable<LoginTokenTable>): LoginToken {
  return {
    id: row.id,
    contactId: row.contact_id,
    email: row.email,
    kind: row.kind,
    codeHash: row.code_hash,
    codeAttempts: Number(row.code_attempts),
    landingPath: row.landing_path,
    createdAt: fromDbTime(row.created_at),
    expiresAt: fromDbTime(row.expires_at),
    consumedAt: row.consumed_at ? fromDbTime(row.consumed_at) : null,
    revokedAt: row.revoked_at ? fromDbTime(row.revoked_at) : null,
    tokenHash: row.token_hash,
  };
}

export interface NewLoginTokenRow {
  id: string;
  contactId: string;
  email: string;
  kind: 'sign_in' | 'deep_link';
  tokenHash: string;
  codeHash: string;
  landingPath: string;
  requestKey: string | null;
  now: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export async function insertLoginToken(scope: TenantScope, t: NewLoginTokenRow): Promise<void> {
  await scope
    .insertInto('login_token', {
      id: t.id,
      contact_id: t.contactId,
      email: t.email,
      kind: t.kind,
      token_hash: t.tokenHash,
      code_hash: t.codeHash,
      landing_path: t.landingPath,
      request_key: t.requestKey,
      created_at: t.now,
      expires_at: t.expiresAt,
      consumed_at: null,
      revoked_at: null,
      issued_ip: t.ip,
      issued_user_agent: t.userAgent,
    })
    .execute();
}

/**
 * Revokes the contact's unspent tokens: of one kind (a newer sign-in link replaces the older
 * sign-in links, never the links of notifications), or all of them (disabling a contact).
 */
export async function revokeOpenTokensOfContact(
  scope: TenantScope,
  contactId: string,
  now: string,
  kind?: LoginToken['kind'],
): Promise<number> {
  let query = scope
    .updateTable('login_token')
    .set({ revoked_at: now })
    .where('login_token.contact_id', '=', contactId)
    .where('login_token.consumed_at', 'is', null)
    .where('login_token.revoked_at', 'is', null);
  if (kind !== undefined) query = query.where('login_token.kind', '=', kind);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findLoginTokenByHash(scope: TenantScope, tokenHash: string): Promise<LoginToken | undefined> {
  const row = await scope.selectFrom('login_token').selectAll().where('login_token.token_hash', '=', tokenHash).executeTakeFirst();
  return row && toLoginToken(row);
}

/**
 * Spends a sign-in token or a notification's deep link in one conditional UPDATE … RETURNING: of
 * any number of parallel attempts exactly one gets the row back (SECURITY.md §1). A code (`id`)
 * only ever spends a sign-in token.
 */
export async function spendLoginToken(
  scope: TenantScope,
  where: { tokenHash?: string; id?: string },
  now: string,
): Promise<LoginToken | undefined> {
  let query = scope
    .updateTable('login_token')
    .set({ consumed_at: now })
    .where('login_token.kind', 'in', where.id !== undefined ? ['sign_in'] : ['sign_in', 'deep_link'])
    .where('login_token.consumed_at', 'is', null)
    .where('login_token.revoked_at', 'is', null)
    .where('login_token.expires_at', '>', now);
  if (where.tokenHash !== undefined) query = query.where('login_token.token_hash', '=', where.tokenHash);
  if (where.id !== undefined) query = query.where('login_token.id', '=', where.id);
  const row = await query.returningAll().executeTakeFirst();
  return row && toLoginToken(row);
}

/** The contact's newest sign-in token that can still be spent, for code entry. */
export async function findOpenTokenOfContact(scope: TenantScope, contactId: string, now: string): Promise<LoginToken | undefined> {
  const row = await scope
    .selectFrom('login_token')
    .selectAll()
    .where('login_token.contact_id', '=', contactId)
    .where('login_token.kind', '=', 'sign_in')
    .where('login_token.consumed_at', 'is', null)
    .where('login_token.revoked_at', 'is', null)
    .where('login_token.expires_at', '>', now)
    .orderBy('login_token.created_at', 'desc')
    .orderBy('login_token.id', 'desc')
    .executeTakeFirst();
  return row && toLoginToken(row);
}

/** Counts one code attempt; undefined when the token can no longer take attempts. */
export async function countCodeAttempt(scope: TenantScope, id: string, maxAttempts: number): Promise<number | undefined> {
  const row = await scope
    .updateTable('login_token')
    .set((eb) => ({ code_attempts: eb('login_token.code_attempts', '+', 1) }))
    .where('login_token.id', '=', id)
    .where('login_token.code_attempts', '<', maxAttempts)
    .where('login_token.consumed_at', 'is', null)
    .where('login_token.revoked_at', 'is', null)
    .returning('login_token.code_attempts')
    .executeTakeFirst();
  return row ? Number(row.code_attempts) : undefined;
}

/** Revokes every unspent sign-in and deep-link token in the scope's tenant (the tenant is suspended). */
export async function revokeOpenTokensOfTenant(scope: TenantScope, now: string): Promise<number> {
  const result = await scope
    .updateTable('login_token')
    .set({ revoked_at: now })
    .where('login_token.consumed_at', 'is', null)
    .where('login_token.revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
