import type { CustomerLimits } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { parseInput } from '../../platform/validation.js';
import { recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { effectiveCustomerLimits } from './customer-limits.js';
import { getSettingsTenant } from './organisation-settings.service.js';
import { type TCustomerLimitsSettings, type TUpdateCustomerLimitsRequest, ZUpdateCustomerLimitsRequest } from './team-settings.schemas.js';
import { type Tenant, updateCustomerLimits } from './tenant.service.js';

function settingsOf(defaults: CustomerLimits, tenant: Tenant): TCustomerLimitsSettings {
  return { defaults: { ...defaults }, overrides: { ...tenant.customerLimits }, effective: effectiveCustomerLimits(defaults, tenant) };
}

/**
 * What one customer may do in the portal: the installation's defaults, the organisation's own
 * values and what applies. @throws FORBIDDEN for agents
 */
export async function getCustomerLimitsSettings(
  ctx: AppContext,
  viewer: TeamViewer,
  defaults: CustomerLimits,
): Promise<TCustomerLimitsSettings> {
  requireTeamRole(viewer, 'admin');
  return settingsOf(defaults, await getSettingsTenant(ctx, viewer));
}

/**
 * Sets or clears (null) the organisation's own limits; the portal applies them on its next
 * request, to the counts so far. Audited with old and new values.
 * @throws FORBIDDEN for agents, VALIDATION_FAILED
 */
export async function updateCustomerLimitsSettings(
  ctx: AppContext,
  viewer: TeamViewer,
  defaults: CustomerLimits,
  input: TUpdateCustomerLimitsRequest,
  meta: RequestMeta,
): Promise<TCustomerLimitsSettings> {
  requireTeamRole(viewer, 'admin');
  const patch = parseInput(ZUpdateCustomerLimitsRequest, input);
  return inTransaction(ctx.db, async (trx) => {
    const before = await getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
    const next: Partial<Record<keyof CustomerLimits, number>> = { ...before.customerLimits };
    const changes: Record<string, { from: number | null; to: number | null }> = {};
    for (const [key, value] of Object.entries(patch) as [keyof CustomerLimits, number | null | undefined][]) {
      if (value === undefined || (before.customerLimits[key] ?? null) === value) continue;
      changes[key] = { from: before.customerLimits[key] ?? null, to: value };
      if (value === null) delete next[key];
      else next[key] = value;
    }
    if (Object.keys(changes).length === 0) return settingsOf(defaults, before);
    await updateCustomerLimits({ db: trx, clock: ctx.clock }, before.id, next);
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: before.id,
      ...teamAuditActor(viewer, meta),
      action: 'settings.customer_limits.updated',
      subject: { kind: 'tenant', id: before.id },
      data: { changes },
    });
    return settingsOf(defaults, await getSettingsTenant({ db: trx, clock: ctx.clock }, viewer));
  });
}
