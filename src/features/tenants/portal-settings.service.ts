import type { AppContext } from '../../platform/context.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { parseInput } from '../../platform/validation.js';
import { changesOf, recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { type Tenant, updatePortalSettings } from './tenant.service.js';
import { getSettingsTenant } from './organisation-settings.service.js';
import { type TUpdatePortalSettingsRequest, ZUpdatePortalSettingsRequest } from './team-settings.schemas.js';

const PORTAL_FIELDS = ['submissionsEnabled', 'reopenOnReply', 'clientVisibilityDefault'] as const;

/**
 * The portal switches, the default ticket visibility of new clients, and the portal's address.
 * @throws FORBIDDEN for agents
 */
export async function getPortalSettings(ctx: AppContext, viewer: TeamViewer): Promise<Tenant> {
  requireTeamRole(viewer, 'admin');
  return getSettingsTenant(ctx, viewer);
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
): Promise<Tenant> {
  requireTeamRole(viewer, 'admin');
  const patch = parseInput(ZUpdatePortalSettingsRequest, input);
  const tenant = await inTransaction(ctx.db, async (trx) => {
    const before = await getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
    const changes = changesOf(before.portal, patch, PORTAL_FIELDS);
    if (Object.keys(changes).length === 0) return before;
    await updatePortalSettings({ db: trx, clock: ctx.clock }, before.id, patch);
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: before.id,
      ...teamAuditActor(viewer, meta),
      action: 'settings.portal.updated',
      subject: { kind: 'tenant', id: before.id },
      data: { changes },
    });
    return getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
  });
  return tenant;
}
