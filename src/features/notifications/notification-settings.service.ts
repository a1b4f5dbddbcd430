import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/validation.js';
import { recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { listNotificationRecipients, setNotificationRecipients } from './notification-recipients.service.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { listTeamMembers } from '../team/team.service.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import {
  type TNotificationSettings,
  type TUpdateNotificationSettingsRequest,
  ZUpdateNotificationSettingsRequest,
} from '../tenants/team-settings.schemas.js';

async function readNotificationSettings(scope: TenantScope): Promise<TNotificationSettings> {
  const members = (await listTeamMembers(scope)).filter((m) => m.status === 'active');
  const recipients = await listNotificationRecipients(scope);
  return {
    recipients: recipients.map((m) => m.id),
    members: members.map((m) => ({ id: m.id, name: m.name, email: m.email, role: m.role })),
  };
}

/**
 * Who receives the customer-activity emails, and the active members to choose from.
 * @throws FORBIDDEN for agents
 */
export async function getNotificationSettings(ctx: AppContext, viewer: TeamViewer): Promise<TNotificationSettings> {
  requireTeamRole(viewer, 'admin');
  return readNotificationSettings(forTenant(ctx.db, viewer.tenant.id));
}

/**
 * Makes exactly these active members the recipients of customer-activity emails (from the next
 * customer action on; an empty list turns the emails off). Audited with old and new lists.
 * @throws FORBIDDEN for agents, VALIDATION_FAILED (an id that is not an active member of the organisation)
 */
export async function updateNotificationSettings(
  ctx: AppContext,
  viewer: TeamViewer,
  input: TUpdateNotificationSettingsRequest,
  meta: RequestMeta,
): Promise<TNotificationSettings> {
  requireTeamRole(viewer, 'admin');
  const wanted = [...new Set(parseInput(ZUpdateNotificationSettingsRequest, input).recipients)];
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const before = await readNotificationSettings(scope);
    const active = new Set(before.members.map((m) => m.id));
    const unknown = wanted.flatMap((id, index) =>
      active.has(id) ? [] : [{ path: `recipients.${index}`, message: 'is not an active member' }],
    );
    if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', undefined, { details: unknown });
    await setNotificationRecipients(scope, wanted);
    const after = await readNotificationSettings(scope);
    const [from, to] = [[...before.recipients].sort(), [...after.recipients].sort()];
    if (from.join() !== to.join()) {
      await recordAuditEvent(scope, ctx.clock, {
        tenantId: viewer.tenant.id,
        ...teamAuditActor(viewer, meta),
        action: 'settings.notifications.updated',
        subject: { kind: 'tenant', id: viewer.tenant.id },
        data: { changes: { recipients: { from, to } } },
      });
    }
    return after;
  });
}
