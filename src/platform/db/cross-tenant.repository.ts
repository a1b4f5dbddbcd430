/* eslint-disable no-restricted-syntax -- this module is the one place tenant tables are read across tenants (ARCHITECTURE.md §4.3) */
import { type Selectable, sql } from 'kysely';
import type { CustomDomainTable, Executor, FileTable } from './database.js';

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

/**
 * Which organisation holds a claim on this host, if any (hosts are unique across the installation):
 * the uniqueness check before a claim (the UNIQUE(host) constraint is the final guard).
 */
export async function findDomainClaimByHost(db: Executor, host: string): Promise<{ tenantId: string; domainId: string } | undefined> {
  const row = await db.selectFrom('custom_domain').select(['tenant_id', 'id']).where('host', '=', host).executeTakeFirst();
  return row && { tenantId: row.tenant_id, domainId: row.id };
}

/** The worker's DNS re-check sweep: claims whose next check is due, oldest first (failed claims have none). */
export async function listDomainsDueForCheck(db: Executor, now: string, limit: number): Promise<{ tenantId: string; domainId: string }[]> {
  const rows = await db
    .selectFrom('custom_domain')
    .select(['tenant_id', 'id'])
    .where('status', 'in', ['pending_dns', 'verified', 'issuing', 'active', 'lapsed'])
    .where('next_check_at', '<=', now)
    .orderBy('next_check_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, domainId: r.id }));
}

export interface ServableDomainRow {
  readonly host: string;
  readonly status: 'active' | 'lapsed';
  readonly lapsedAt: string | null;
  readonly tenantSlug: string;
}

/**
 * The custom domains that may serve a portal (active, or lapsed and perhaps still within the grace
 * period) of active tenants, with their tenant's slug: the host router's table (http/host-routing.ts).
 * Few rows (one per organisation at most); the grace period is judged by the caller at request time.
 */
export async function findServableDomainRows(db: Executor): Promise<ServableDomainRow[]> {
  const rows = await db
    .selectFrom('custom_domain')
    .innerJoin('tenant', 'tenant.id', 'custom_domain.tenant_id')
    .select([
      'custom_domain.host as host',
      'custom_domain.status as status',
      'custom_domain.lapsed_at as lapsedAt',
      'tenant.slug as tenantSlug',
    ])
    .where('tenant.status', '=', 'active')
    .where('custom_domain.status', 'in', ['active', 'lapsed'])
    .execute();
  return rows.map((r) => ({ ...r, status: r.status as 'active' | 'lapsed' }));
}

/** A claim on a host (unique across tenants) with its tenant's slug and status: the TLS `ask` endpoint's question. */
export async function findDomainByHost(
  db: Executor,
  host: string,
): Promise<
  { readonly domain: Selectable<CustomDomainTable>; readonly tenantSlug: string; readonly tenantStatus: 'active' | 'suspended' } | undefined
> {
  const row = await db
    .selectFrom('custom_domain')
    .innerJoin('tenant', 'tenant.id', 'custom_domain.tenant_id')
    .selectAll('custom_domain')
    .select(['tenant.slug as tenantSlug', 'tenant.status as tenantStatus'])
    .where('custom_domain.host', '=', host)
    .executeTakeFirst();
  if (!row) return undefined;
  const { tenantSlug, tenantStatus, ...domain } = row;
  return { domain, tenantSlug, tenantStatus };
}

/** Whether an active tenant has this slug (the TLS `ask` endpoint for per-organisation subdomains). */
export async function isActiveTenantSlug(db: Executor, slug: string): Promise<boolean> {
  const row = await db.selectFrom('tenant').select('id').where('slug', '=', slug).where('status', '=', 'active').executeTakeFirst();
  return row !== undefined;
}

/** The tenant of a custom domain, by its id (unique across tenants): the operator acts on any claim. */
export async function findTenantOfDomain(db: Executor, domainId: string): Promise<string | undefined> {
  const row = await db.selectFrom('custom_domain').select('tenant_id').where('id', '=', domainId).executeTakeFirst();
  return row?.tenant_id;
}

/** The tenant of a certificate, by its id (unique across tenants). */
export async function findTenantOfCertificate(db: Executor, certificateId: string): Promise<string | undefined> {
  const row = await db.selectFrom('domain_certificate').select('tenant_id').where('id', '=', certificateId).executeTakeFirst();
  return row?.tenant_id;
}

/**
 * The HTTP-01 key authorisation for a token on one host (host + token are unique across tenants),
 * while it has not expired: the ACME challenge answer, asked for with no tenant but the Host.
 */
export async function findAcmeKeyAuthorization(db: Executor, host: string, token: string, now: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('acme_challenge')
    .select('key_authorization')
    .where('host', '=', host)
    .where('token', '=', token)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.key_authorization;
}

/**
 * The certificate Servelo's HTTPS listener presents for an SNI name (hosts are unique across
 * tenants), with the domain's state so the caller serves it only while the domain is servable.
 */
export async function findServedCertificateByHost(
  db: Executor,
  host: string,
): Promise<
  | {
      id: string;
      tenantId: string;
      certCiphertext: string;
      keyCiphertext: string;
      domainStatus: Selectable<CustomDomainTable>['status'];
      lapsedAt: string | null;
    }
  | undefined
> {
  const row = await db
    .selectFrom('domain_certificate')
    .innerJoin('custom_domain', (join) =>
      join
        .onRef('custom_domain.tenant_id', '=', 'domain_certificate.tenant_id')
        .onRef('custom_domain.id', '=', 'domain_certificate.domain_id'),
    )
    .select([
      'domain_certificate.id as id',
      'domain_certificate.tenant_id as tenantId',
      'domain_certificate.cert_ciphertext as certCiphertext',
      'domain_certificate.key_ciphertext as keyCiphertext',
      'custom_domain.status as domainStatus',
      'custom_domain.lapsed_at as lapsedAt',
    ])
    .where('domain_certificate.host', '=', host)
    .where('domain_certificate.status', '=', 'active')
    .where('custom_domain.host', '=', host)
    .orderBy('domain_certificate.not_after', 'desc')
    .executeTakeFirst();
  return row;
}

/**
 * The renewal sweep (worker): active ACME certificates expiring before `renewBefore` whose domain
 * is active and not waiting out a backoff; and uploaded ones expiring then (they are warned about).
 */
export async function listCertificatesExpiring(
  db: Executor,
  renewBefore: string,
  now: string,
): Promise<{ tenantId: string; domainId: string; certificateId: string; source: 'acme' | 'upload'; notAfter: string }[]> {
  return db
    .selectFrom('domain_certificate')
    .innerJoin('custom_domain', (join) =>
      join
        .onRef('custom_domain.tenant_id', '=', 'domain_certificate.tenant_id')
        .onRef('custom_domain.id', '=', 'domain_certificate.domain_id'),
    )
    .select([
      'domain_certificate.tenant_id as tenantId',
      'domain_certificate.domain_id as domainId',
      'domain_certificate.id as certificateId',
      'domain_certificate.source as source',
      'domain_certificate.not_after as notAfter',
    ])
    .where('domain_certificate.status', '=', 'active')
    .where('domain_certificate.not_after', '<=', renewBefore)
    .where('custom_domain.status', 'in', ['active', 'lapsed'])
    .where((eb) =>
      eb.or([eb('custom_domain.certificate_next_attempt_at', 'is', null), eb('custom_domain.certificate_next_attempt_at', '<=', now)]),
    )
    .orderBy('domain_certificate.not_after')
    .limit(500)
    .execute();
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

/** One custom domain as the operator console lists it, with its organisation and current certificate. */
export interface OperatorDomainRow {
  readonly domain: Selectable<CustomDomainTable>;
  readonly tenantSlug: string;
  readonly tenantName: string;
  readonly tenantStatus: 'active' | 'suspended';
  readonly certificateId: string | null;
  readonly certificateIssuer: string | null;
  readonly certificateSource: 'acme' | 'upload' | null;
  readonly certificateNotAfter: string | null;
}

/** Which claims a console tab shows. */
export type OperatorDomainFilter = 'waiting' | 'active' | 'problems' | 'all';

/**
 * Every custom domain of every organisation for the operator console, most recently changed first:
 * the operator runs the installation (issue 14). `waiting` is the queue "verified, waiting for a
 * certificate" (verified and not approved); `problems` are failed or lapsed claims and those whose
 * last certificate attempt failed.
 */
export async function listDomainsAcrossTenants(
  db: Executor,
  query: { filter: OperatorDomainFilter; search: string | null; limit: number },
): Promise<OperatorDomainRow[]> {
  let q = db
    .selectFrom('custom_domain')
    .innerJoin('tenant', 'tenant.id', 'custom_domain.tenant_id')
    .leftJoin('domain_certificate', (join) =>
      join.onRef('domain_certificate.domain_id', '=', 'custom_domain.id').on('domain_certificate.status', '=', 'active'),
    )
    .selectAll('custom_domain')
    .select([
      'tenant.slug as tenantSlug',
      'tenant.name as tenantName',
      'tenant.status as tenantStatus',
      'domain_certificate.id as certificateId',
      'domain_certificate.issuer as certificateIssuer',
      'domain_certificate.source as certificateSource',
      'domain_certificate.not_after as certificateNotAfter',
    ]);
  if (query.filter === 'waiting') q = q.where('custom_domain.status', '=', 'verified').where('custom_domain.approved_at', 'is', null);
  if (query.filter === 'active') q = q.where('custom_domain.status', '=', 'active');
  if (query.filter === 'problems') {
    q = q.where((eb) =>
      eb.or([eb('custom_domain.status', 'in', ['failed', 'lapsed']), eb('custom_domain.certificate_error', 'is not', null)]),
    );
  }
  const term = query.search?.trim();
  if (term) {
    const pattern = likePattern(term);
    q = q.where(({ or }) =>
      or([
        sql<boolean>`custom_domain.host like ${pattern} escape '\\'`,
        sql<boolean>`lower(tenant.name) like ${pattern} escape '\\'`,
        sql<boolean>`lower(tenant.slug) like ${pattern} escape '\\'`,
      ]),
    );
  }
  const rows = await q.orderBy('custom_domain.updated_at', 'desc').orderBy('custom_domain.id').limit(query.limit).execute();
  return rows.map((row) => {
    const { tenantSlug, tenantName, tenantStatus, certificateId, certificateIssuer, certificateSource, certificateNotAfter, ...domain } =
      row;
    return { domain, tenantSlug, tenantName, tenantStatus, certificateId, certificateIssuer, certificateSource, certificateNotAfter };
  });
}

/** How many claims each console tab holds. */
export async function countDomainsAcrossTenants(db: Executor): Promise<Record<OperatorDomainFilter, number>> {
  const row = await db
    .selectFrom('custom_domain')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('all'),
      eb.fn.sum<number | string | null>(sql`case when status = 'verified' and approved_at is null then 1 else 0 end`).as('waiting'),
      eb.fn.sum<number | string | null>(sql`case when status = 'active' then 1 else 0 end`).as('active'),
      eb.fn
        .sum<number | string | null>(sql`case when status in ('failed', 'lapsed') or certificate_error is not null then 1 else 0 end`)
        .as('problems'),
    ])
    .executeTakeFirstOrThrow();
  return { all: Number(row.all), waiting: Number(row.waiting ?? 0), active: Number(row.active ?? 0), problems: Number(row.problems ?? 0) };
}
