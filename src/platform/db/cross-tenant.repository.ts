/* eslint-disable no-restricted-syntax -- this module is the one place tenant tables are read across tenants (ARCHITECTURE.md §4.3) */
import { type Selectable, sql } from 'kysely';
import type { Executor, FileTable } from './database.js';

/**
 * Every read of tenant data that cannot start from a tenant, in one module to audit. Each one
 * starts from something unique across tenants — a token's hash, an account id — or is a sweep
 * run by the worker; each answers which tenant a row belongs to, and everything that follows is
 * scoped to that tenant with forTenant. Nothing here writes.
 */

/**
 * The tenant of a session, found by its token hash alone (unique across tenants). The team app
 * is one host for every organisation, so its cookie names no tenant; the session's own tenant
 * does, and the session is then read, checked for liveness and touched through its scope.
 */
export async function findTenantOfSession(db: Executor, tokenHash: string): Promise<string | undefined> {
  const row = await db.selectFrom('session').select('tenant_id').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row?.tenant_id;
}

/** The tenant of an invitation, by the hash of the token the invitee holds (unique across tenants). */
export async function findTenantOfInvitation(db: Executor, tokenHash: string): Promise<string | undefined> {
  const row = await db.selectFrom('team_member').select('tenant_id').where('invite_token_hash', '=', tokenHash).executeTakeFirst();
  return row?.tenant_id;
}

/** The tenant of a reply address, by its token's hash: inbound mail arrives with no tenant but the token. */
export async function findTenantOfReplyAddress(db: Executor, tokenHash: string): Promise<string | undefined> {
  const row = await db.selectFrom('reply_address').select('tenant_id').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row?.tenant_id;
}

export interface AccountMembershipRow {
  readonly memberId: string;
  readonly tenantId: string;
  readonly tenantSlug: string;
  readonly tenantName: string;
  readonly tenantStatus: 'active' | 'suspended';
  readonly role: 'owner' | 'admin' | 'agent';
  readonly status: 'active' | 'disabled' | 'invited';
  readonly createdAt: string;
}

/**
 * Every membership of one person, with its organisation, A to Z: memberships span tenants by
 * design (sign-in, the tenant switcher). The account id comes from a verified session or
 * verified credentials, never from input.
 */
export async function listMembershipRowsOfAccount(db: Executor, accountId: string): Promise<AccountMembershipRow[]> {
  return db
    .selectFrom('team_member')
    .innerJoin('tenant', 'tenant.id', 'team_member.tenant_id')
    .select([
      'team_member.id as memberId',
      'team_member.tenant_id as tenantId',
      'tenant.slug as tenantSlug',
      'tenant.name as tenantName',
      'tenant.status as tenantStatus',
      'team_member.role as role',
      'team_member.status as status',
      'team_member.created_at as createdAt',
    ])
    .where('team_member.account_id', '=', accountId)
    .orderBy('tenant.name')
    .orderBy('tenant.id')
    .execute();
}

/**
 * Files nobody will use, in any tenant (the worker's sweep): attachments and logo uploads never
 * attached since `unattachedBefore`, and uploads a crash left in `uploading` since
 * `uploadingBefore`. Each row names its tenant for the scoped deletes that follow.
 */
export async function findAbandonedFileRows(
  db: Executor,
  cutoff: { readonly unattachedBefore: string; readonly uploadingBefore: string; readonly limit: number },
): Promise<Selectable<FileTable>[]> {
  return db
    .selectFrom('file')
    .selectAll()
    .where('attached_at', 'is', null)
    .where((eb) =>
      eb.or([
        // A logo upload is only needed during its request; one a crash left behind goes the same way.
        eb.and([eb('purpose', 'in', ['attachment', 'logo']), eb('created_at', '<', cutoff.unattachedBefore)]),
        eb.and([eb('status', '=', 'uploading'), eb('created_at', '<', cutoff.uploadingBefore)]),
      ]),
    )
    .orderBy('created_at')
    .limit(cutoff.limit)
    .execute();
}

/**
 * The tenants whose files take more than `bytes` (the worker's sweep: an organisation near its
 * quota has customers' unsent uploads removed sooner).
 */
export async function findTenantsStoringMoreThan(db: Executor, bytes: number): Promise<string[]> {
  const rows = await db
    .selectFrom('file')
    .select('tenant_id')
    .groupBy('tenant_id')
    .having((eb) => eb.fn.sum<number | string>('size'), '>', bytes)
    .execute();
  return rows.map((r) => r.tenant_id);
}

/** Tenants with a sent quote past its end: the worker's expiry sweep then works tenant by tenant. */
export async function findTenantsWithLapsedQuotes(db: Executor, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('quote')
    .select('tenant_id')
    .distinct()
    .where('status', 'in', ['sent', 'changes_requested'])
    .where('lapses_at', '<=', now)
    .limit(1000)
    .execute();
  return rows.map((r) => r.tenant_id);
}

/** One organisation as the operator console lists it: counts across its tenant-owned tables. */
export interface OperatorTenantRow {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly status: 'active' | 'suspended';
  readonly createdAt: string;
  readonly tickets: number;
  readonly contacts: number;
  /** Sum of its files' sizes, in bytes. */
  readonly storageBytes: number;
  readonly domainHost: string | null;
  readonly domainStatus: string | null;
}

/** `%` and `_` (and the escape character) in a search term are matched literally. */
function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The operator's list of organisations, newest first (keyset pagination on the time-ordered id:
 * the page after `afterId`), each with its counts read per organisation (correlated subqueries on
 * the tenant id, which every tenant-owned table indexes). The search matches name or slug,
 * case-insensitively. Starts from the tenant table: the operator belongs to no tenant.
 */
export async function listTenantsForOperator(
  db: Executor,
  query: { search?: string | undefined; afterId?: string | undefined; limit: number; tenantId?: string | undefined },
): Promise<OperatorTenantRow[]> {
  let select = db
    .selectFrom('tenant')
    .select((eb) => [
      'tenant.id',
      'tenant.slug',
      'tenant.name',
      'tenant.status',
      'tenant.created_at',
      eb
        .selectFrom('ticket')
        .select(eb.fn.countAll<number | string>().as('n'))
        .whereRef('ticket.tenant_id', '=', 'tenant.id')
        .as('tickets'),
      eb
        .selectFrom('contact')
        .select(eb.fn.countAll<number | string>().as('n'))
        .whereRef('contact.tenant_id', '=', 'tenant.id')
        .as('contacts'),
      eb
        .selectFrom('file')
        .select((f) => f.fn.coalesce(f.fn.sum<number | string>('file.size'), f.lit(0)).as('n'))
        .whereRef('file.tenant_id', '=', 'tenant.id')
        .as('storage'),
      eb
        .selectFrom('custom_domain')
        .select('custom_domain.host')
        .whereRef('custom_domain.tenant_id', '=', 'tenant.id')
        .limit(1)
        .as('domain_host'),
      eb
        .selectFrom('custom_domain')
        .select('custom_domain.status')
        .whereRef('custom_domain.tenant_id', '=', 'tenant.id')
        .limit(1)
        .as('domain_status'),
    ])
    .orderBy('tenant.id', 'desc')
    .limit(query.limit);
  if (query.tenantId !== undefined) select = select.where('tenant.id', '=', query.tenantId);
  if (query.afterId !== undefined) select = select.where('tenant.id', '<', query.afterId);
  const term = query.search?.trim();
  if (term) {
    const pattern = likePattern(term);
    select = select.where(({ or }) =>
      or([sql<boolean>`lower(tenant.name) like ${pattern} escape '\\'`, sql<boolean>`lower(tenant.slug) like ${pattern} escape '\\'`]),
    );
  }
  const rows = await select.execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    status: r.status,
    createdAt: r.created_at,
    tickets: Number(r.tickets ?? 0),
    contacts: Number(r.contacts ?? 0),
    storageBytes: Number(r.storage ?? 0),
    domainHost: r.domain_host ?? null,
    domainStatus: r.domain_status ?? null,
  }));
}

/**
 * The installation's audit log for the operator, newest first by keyset on (created_at, id): every
 * organisation's events and the installation-wide ones, or one organisation's when `tenantId` is given.
 */
export async function listAuditRowsAcrossTenants(
  db: Executor,
  page: { tenantId?: string | undefined; before?: { createdAt: string; id: string } | undefined; limit: number },
) {
  let query = db
    .selectFrom('audit_event')
    .leftJoin('tenant', 'tenant.id', 'audit_event.tenant_id')
    .selectAll('audit_event')
    .select('tenant.name as tenant_name');
  if (page.tenantId !== undefined) query = query.where('audit_event.tenant_id', '=', page.tenantId);
  if (page.before) {
    const { createdAt, id } = page.before;
    query = query.where((eb) =>
      eb.or([
        eb('audit_event.created_at', '<', createdAt),
        eb.and([eb('audit_event.created_at', '=', createdAt), eb('audit_event.id', '<', id)]),
      ]),
    );
  }
  return query.orderBy('audit_event.created_at', 'desc').orderBy('audit_event.id', 'desc').limit(page.limit).execute();
}
