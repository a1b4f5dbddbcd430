import type { AppContext } from '../../platform/context.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { parseInput } from '../../platform/validation.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { portalUrlOf } from '../auth/portal-sign-in-link.service.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { type Tenant, updatePortalSettings } from './tenant.service.js';
import { getSettingsTenant } from './organisation-settings.service.js';
import { type TPortalSettings, type TUpdatePortalSettingsRequest, ZUpdatePortalSettingsRequest } from './team-settings.schemas.js';

const PORTAL_FIELDS = ['submissionsEnabled', 'reopenOnReply', 'clientVisibilityDefault'] as const;

function presentPortalSettings(tenant: Tenant, publicUrl: string): TPortalSettings {
  return { ...tenant.portal, portalUrl: portalUrlOf(publicUrl, tenant) };
}

/**
 * The portal switches, the default ticket visibility of new clients, and the portal's address.
 * @throws FORBIDDEN for agents
 */
export async function getPortalSettings(ctx: AppContext, viewer: TeamViewer, publicUrl: string): Promise<TPortalSettings> {
  requireTeamRole(viewer, 'admin');
  return presentPortalSettings(await getSettingsTenant(ctx, viewer), publicUrl);
}

/**
 * Turns portal submissions and reopen-by-reply on or off and sets the visibility new clients get;
 * the portal applies them on its next request. Audited with old and new values.
 * @throws FORBIDDEN for agents, VALIDATION_FAILED
 */
export async function updatePortalSettingsAsTeam(
  ctx: AppContext,
  viewer: TeamViewer,
  input: TUpdatePortalSettingsRequest,
  meta: RequestMeta,
  publicUrl: string,
): Promise<TPortalSettings> {
  requireTeamRole(viewer, 'admin');
  const patch = parseInput(ZUpdatePortalSettingsRequest, input);
  const tenant = await inTransaction(ctx.db, async (trx) => {
    const before = await getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of PORTAL_FIELDS) {
      const to = patch[field];
      if (to !== undefined && to !== before.portal[field]) changes[field] = { from: before.portal[field], to };
    }
    if (Object.keys(changes).length === 0) return before;
    await updatePortalSettings({ db: trx, clock: ctx.clock }, before.id, patch);
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: before.id,
      actor: { kind: 'team_member', id: viewer.memberId },
      action: 'settings.portal.updated',
      subject: { kind: 'tenant', id: before.id },
      data: { changes },
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
    });
    return getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
  });
  return presentPortalSettings(tenant, publicUrl);
}
