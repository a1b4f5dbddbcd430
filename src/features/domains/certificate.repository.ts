import type { Selectable, Updateable } from 'kysely';
import type { CustomDomainTable, DomainCertificateTable, Executor } from '../../platform/db/database.js';
import * as crossTenant from '../../platform/db/cross-tenant.repository.js';
import { executorOf, type TenantScope } from '../../platform/db/tenant-scope.js';

const PUBLIC_COLUMNS = [
  'id',
  'tenant_id',
  'domain_id',
  'host',
  'source',
  'status',
  'issuer',
  'serial',
  'fingerprint',
  'not_before',
  'not_after',
  'created_at',
  'revoked_at',
  'revoke_reason',
] as const;

export type CertificateRow = Omit<Selectable<DomainCertificateTable>, 'cert_ciphertext' | 'key_ciphertext'>;

export async function findDomainRow(scope: TenantScope, domainId: string): Promise<Selectable<CustomDomainTable> | undefined> {
  return scope.selectFrom('custom_domain').selectAll().where('id', '=', domainId).executeTakeFirst();
}

export async function updateDomainRow(scope: TenantScope, domainId: string, changes: Updateable<CustomDomainTable>): Promise<void> {
  await scope.updateTable('custom_domain').set(changes).where('id', '=', domainId).execute();
}

export async function listCertificateRows(scope: TenantScope, domainId: string): Promise<CertificateRow[]> {
  return scope
    .selectFrom('domain_certificate')
    .select(PUBLIC_COLUMNS)
    .where('domain_id', '=', domainId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function findCertificateRow(
  scope: TenantScope,
  certificateId: string,
): Promise<Selectable<DomainCertificateTable> | undefined> {
  return scope.selectFrom('domain_certificate').selectAll().where('id', '=', certificateId).executeTakeFirst();
}

export async function findActiveCertificateRow(
  scope: TenantScope,
  domainId: string,
): Promise<Selectable<DomainCertificateTable> | undefined> {
  return scope
    .selectFrom('domain_certificate')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('status', '=', 'active')
    .orderBy('not_after', 'desc')
    .executeTakeFirst();
}

/** Stores a new active certificate; the domain's previous active ones become superseded. */
export async function insertActiveCertificate(
  scope: TenantScope,
  row: Omit<Selectable<DomainCertificateTable>, 'tenant_id' | 'status' | 'revoked_at' | 'revoke_reason'>,
): Promise<void> {
  await scope
    .updateTable('domain_certificate')
    .set({ status: 'superseded' })
    .where('domain_id', '=', row.domain_id)
    .where('status', '=', 'active')
    .execute();
  await scope.insertInto('domain_certificate', { ...row, status: 'active', revoked_at: null, revoke_reason: null }).execute();
}

export async function markCertificateRevoked(scope: TenantScope, certificateId: string, reason: string, now: string): Promise<void> {
  await scope
    .updateTable('domain_certificate')
    .set({ status: 'revoked', revoked_at: now, revoke_reason: reason })
    .where('id', '=', certificateId)
    .execute();
}

export async function countActiveCertificates(scope: TenantScope, domainId: string): Promise<number> {
  const row = await scope
    .selectFrom('domain_certificate')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('domain_id', '=', domainId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertChallenge(
  scope: TenantScope,
  row: { id: string; host: string; token: string; keyAuthorization: string; now: string; expiresAt: string },
): Promise<void> {
  // A token repeated by the CA (a retried order) replaces the old answer.
  await scope.deleteFrom('acme_challenge').where('host', '=', row.host).where('token', '=', row.token).execute();
  await scope
    .insertInto('acme_challenge', {
      id: row.id,
      host: row.host,
      token: row.token,
      key_authorization: row.keyAuthorization,
      created_at: row.now,
      expires_at: row.expiresAt,
    })
    .execute();
}

export async function deleteChallenge(scope: TenantScope, challengeId: string): Promise<void> {
  await scope.deleteFrom('acme_challenge').where('id', '=', challengeId).execute();
}

/** The installation's ACME account for a directory (a global table, not tenant-owned). */
export async function findAcmeAccount(
  db: Executor,
  directoryUrl: string,
): Promise<{ id: string; keyCiphertext: string; accountUrl: string | null } | undefined> {
  const row = await db
    .selectFrom('acme_account')
    .select(['id', 'key_ciphertext', 'account_url'])
    .where('directory_url', '=', directoryUrl)
    .executeTakeFirst();
  return row && { id: row.id, keyCiphertext: row.key_ciphertext, accountUrl: row.account_url };
}

export async function insertAcmeAccount(
  db: Executor,
  row: { id: string; directoryUrl: string; email: string; keyCiphertext: string; accountUrl: string; now: string },
): Promise<void> {
  await db
    .insertInto('acme_account')
    .values({
      id: row.id,
      directory_url: row.directoryUrl,
      email: row.email,
      key_ciphertext: row.keyCiphertext,
      account_url: row.accountUrl,
      created_at: row.now,
    })
    .execute();
}

/** Every operator's address (operators run the installation; global table). */
export async function listOperatorAddresses(scope: TenantScope): Promise<string[]> {
  const rows = await executorOf(scope).selectFrom('operator').select('email').orderBy('email').execute();
  return rows.map((r) => r.email);
}

// Reads that start from something unique across tenants (cross-tenant.repository.ts), for the services.
export const findTenantOfDomain = crossTenant.findTenantOfDomain;
export const findTenantOfCertificate = crossTenant.findTenantOfCertificate;
export const findAcmeKeyAuthorization = crossTenant.findAcmeKeyAuthorization;
export const findServedCertificateByHost = crossTenant.findServedCertificateByHost;
export const listCertificatesExpiring = crossTenant.listCertificatesExpiring;
