import type { Selectable } from 'kysely';
import type { CustomerLimits } from '../../config/config.js';
import type { Executor, TenantTable } from '../../platform/db/database.js';
import { fromDbTime, fromFlag } from '../../platform/db/time.js';
import { executorOf, type ExecutorOrScope } from '../../platform/db/tenant-scope.js';

/**
 * The tenant table is the root of tenancy, so it is not itself tenant-scoped: lookups by slug or
 * id are how a request finds its tenant in the first place.
 */
export interface Tenant {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly accentColor: string;
  readonly logoKey: string | null;
  readonly currency: string;
  readonly locale: string;
  readonly timeZone: string;
  readonly status: 'active' | 'suspended';
  readonly portal: {
    readonly submissionsEnabled: boolean;
    readonly reopenOnReply: boolean;
    readonly clientVisibilityDefault: 'all' | 'own';
  };
  /** The per-customer limits this organisation set; the others are the installation's defaults. */
  readonly customerLimits: Partial<CustomerLimits>;
  /**
   * The organisation's active custom domain (it has a certificate): where its portal's links point
   * (portalUrlOf). Null: none, the links use the subdomain or `/portal/{slug}`.
   */
  readonly portalHost: string | null;
  readonly createdAt: Date;
}

type TenantRow = Selectable<TenantTable> & { readonly portal_host: string | null };

/** The tenant's columns plus its active custom domain's host (one per tenant at most; correlated on the tenant's id). */
function selectTenant(db: Executor) {
  return db
    .selectFrom('tenant')
    .selectAll('tenant')
    .select((eb) =>
      eb
        .selectFrom('custom_domain')
        .select('custom_domain.host')
        .whereRef('custom_domain.tenant_id', '=', 'tenant.id')
        .where('custom_domain.status', '=', 'active')
        .limit(1)
        .as('portal_host'),
    );
}

function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    accentColor: row.accent_color,
    logoKey: row.logo_key,
    currency: row.currency,
    locale: row.locale,
    timeZone: row.time_zone,
    status: row.status,
    portal: {
      submissionsEnabled: fromFlag(row.portal_submissions_enabled),
      reopenOnReply: fromFlag(row.portal_reopen_on_reply),
      clientVisibilityDefault: row.client_visibility_default,
    },
    customerLimits: parseCustomerLimits(row.customer_limits),
    portalHost: row.portal_host,
    createdAt: fromDbTime(row.created_at),
  };
}

/** Whole positive numbers under known names only: a stored value the code no longer knows is ignored. */
function parseCustomerLimits(json: string | null): Partial<CustomerLimits> {
  if (json === null) return {};
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof stored !== 'object' || stored === null) return {};
  const limits: Record<string, number> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (CUSTOMER_LIMIT_KEYS.has(key) && Number.isSafeInteger(value) && (value as number) > 0) limits[key] = value as number;
  }
  return limits as Partial<CustomerLimits>;
}

const CUSTOMER_LIMIT_KEYS = new Set<string>([
  'submissionsPerMinute',
  'submissionsPerDay',
  'repliesPerMinute',
  'repliesPerDay',
  'closesPerMinute',
  'closesPerDay',
  'uploadsPerMinute',
  'uploadsPerDay',
  'pendingUploadMb',
  'uploadMbPerDay',
] satisfies (keyof CustomerLimits)[]);

export async function updateCustomerLimits(db: Executor, tenantId: string, limits: Partial<CustomerLimits>, now: string): Promise<void> {
  await db
    .updateTable('tenant')
    .set({ customer_limits: Object.keys(limits).length === 0 ? null : JSON.stringify(limits), updated_at: now })
    .where('id', '=', tenantId)
    .execute();
}

export async function findTenantBySlug(db: Executor, slug: string): Promise<Tenant | undefined> {
  const row = await selectTenant(db).where('tenant.slug', '=', slug).executeTakeFirst();
  return row && toTenant(row);
}

export async function findTenantById(db: ExecutorOrScope, id: string): Promise<Tenant | undefined> {
  const row = await selectTenant(executorOf(db)).where('tenant.id', '=', id).executeTakeFirst();
  return row && toTenant(row);
}

export interface NewTenantRow {
  id: string;
  slug: string;
  name: string;
  accentColor: string;
  currency: string;
  locale: string;
  timeZone: string;
  now: string;
}

export async function insertTenant(db: Executor, t: NewTenantRow): Promise<Tenant> {
  const row = await db
    .insertInto('tenant')
    .values({
      id: t.id,
      slug: t.slug,
      name: t.name,
      accent_color: t.accentColor,
      logo_key: null,
      currency: t.currency,
      locale: t.locale,
      time_zone: t.timeZone,
      created_at: t.now,
      updated_at: t.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTenant({ ...row, portal_host: null });
}

export async function updateTenantLogoKey(db: Executor, tenantId: string, logoKey: string | null, now: string): Promise<void> {
  await db.updateTable('tenant').set({ logo_key: logoKey, updated_at: now }).where('id', '=', tenantId).execute();
}

/**
 * Hands out the next per-tenant ticket number. A single conditional UPDATE … RETURNING takes the
 * row lock (PostgreSQL) or the write lock (SQLite), so concurrent tickets never share a number.
 */
export async function allocateTicketNumber(target: ExecutorOrScope, tenantId: string): Promise<number> {
  const row = await executorOf(target)
    .updateTable('tenant')
    .set((eb) => ({ next_ticket_number: eb('next_ticket_number', '+', 1) }))
    .where('id', '=', tenantId)
    .returning('next_ticket_number')
    .executeTakeFirstOrThrow();
  return Number(row.next_ticket_number) - 1;
}

/** The next per-tenant quote number ("Q-12"), allocated like ticket numbers. */
export async function allocateQuoteNumber(target: ExecutorOrScope, tenantId: string): Promise<number> {
  const row = await executorOf(target)
    .updateTable('tenant')
    .set((eb) => ({ next_quote_number: eb('next_quote_number', '+', 1) }))
    .where('id', '=', tenantId)
    .returning('next_quote_number')
    .executeTakeFirstOrThrow();
  return Number(row.next_quote_number) - 1;
}

export async function findQuoteDefaultTerms(target: ExecutorOrScope, tenantId: string): Promise<string> {
  const row = await executorOf(target).selectFrom('tenant').select('quote_default_terms').where('id', '=', tenantId).executeTakeFirst();
  return row?.quote_default_terms ?? '';
}

export async function updateQuoteDefaultTerms(target: ExecutorOrScope, tenantId: string, terms: string, now: string): Promise<void> {
  await executorOf(target).updateTable('tenant').set({ quote_default_terms: terms, updated_at: now }).where('id', '=', tenantId).execute();
}

export async function countTenants(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('tenant')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updatePortalSettings(
  db: Executor,
  tenantId: string,
  patch: { submissionsEnabled?: boolean; reopenOnReply?: boolean; clientVisibilityDefault?: 'all' | 'own' },
  now: string,
): Promise<void> {
  await db
    .updateTable('tenant')
    .set({
      ...(patch.submissionsEnabled !== undefined ? { portal_submissions_enabled: patch.submissionsEnabled ? 1 : 0 } : {}),
      ...(patch.reopenOnReply !== undefined ? { portal_reopen_on_reply: patch.reopenOnReply ? 1 : 0 } : {}),
      ...(patch.clientVisibilityDefault !== undefined ? { client_visibility_default: patch.clientVisibilityDefault } : {}),
      updated_at: now,
    })
    .where('id', '=', tenantId)
    .execute();
}

export interface OrganisationPatch {
  readonly name?: string;
  readonly accentColor?: string;
  readonly currency?: string;
  readonly locale?: string;
  readonly timeZone?: string;
}

export async function updateOrganisation(db: Executor, tenantId: string, patch: OrganisationPatch, now: string): Promise<void> {
  await db
    .updateTable('tenant')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.accentColor !== undefined ? { accent_color: patch.accentColor } : {}),
      ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
      updated_at: now,
    })
    .where('id', '=', tenantId)
    .execute();
}

/** Suspends or resumes an organisation; false when it was already in that state (or is unknown). */
export async function updateTenantStatus(db: Executor, tenantId: string, status: 'active' | 'suspended', now: string): Promise<boolean> {
  const result = await db
    .updateTable('tenant')
    .set({ status, updated_at: now })
    .where('id', '=', tenantId)
    .where('status', '!=', status)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
