import type { AppContext } from '../../platform/context.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/validation.js';
import { changesOf, recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { findTenantById, type Tenant, updateOrganisation } from './tenant.service.js';
import { type TUpdateOrganisationRequest, ZUpdateOrganisationRequest } from './team-settings.schemas.js';

/** The fields of the organisation settings, as they are named on the tenant. */
const ORGANISATION_FIELDS = ['name', 'accentColor', 'currency', 'timeZone', 'locale'] as const;

/** The viewer's organisation as it is now (the session's copy may be a request old). @throws TENANT_NOT_FOUND */
export async function getSettingsTenant(ctx: AppContext, viewer: TeamViewer): Promise<Tenant> {
  const tenant = await findTenantById(ctx.db, viewer.tenant.id);
  if (!tenant) throw new AppError('TENANT_NOT_FOUND');
  return tenant;
}

/**
 * The organisation's name, accent colour (with its contrast), currency, time zone and locale.
 * @throws FORBIDDEN for agents
 */
export async function getOrganisationSettings(ctx: AppContext, viewer: TeamViewer): Promise<Tenant> {
  requireTeamRole(viewer, 'admin');
  return getSettingsTenant(ctx, viewer);
}

/**
 * Changes any of the organisation's name, accent colour, currency, time zone (IANA) and locale
 * (BCP 47); the portal shows them on its next request. Audited with old and new values.
 * @throws FORBIDDEN for agents, VALIDATION_FAILED
 */
export async function updateOrganisationSettings(
  ctx: AppContext,
  viewer: TeamViewer,
  input: TUpdateOrganisationRequest,
  meta: RequestMeta,
): Promise<Tenant> {
  requireTeamRole(viewer, 'admin');
  const patch = parseInput(ZUpdateOrganisationRequest, input);
  const tenant = await inTransaction(ctx.db, async (trx) => {
    const before = await getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
    const changes = changesOf(before, patch, ORGANISATION_FIELDS);
    if (Object.keys(changes).length === 0) return before;
    await updateOrganisation({ db: trx, clock: ctx.clock }, before.id, patch);
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: before.id,
      ...teamAuditActor(viewer, meta),
      action: 'settings.organisation.updated',
      subject: { kind: 'tenant', id: before.id },
      data: { changes },
    });
    return getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
  });
  return tenant;
}
