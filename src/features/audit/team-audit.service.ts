import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { decodeCursor, pageOf, parseTimeIdKey } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { type StoredAuditEvent, listTenantAuditEvents } from './audit.service.js';
import { findContactsByIds } from '../clients/client.service.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { findTeamMembersByIds } from '../team/team.service.js';
import { type TListAuditQuery, ZListAuditQuery } from './team-audit.schemas.js';

const timeIdBefore = (key: { at: string; id: string }) => ({ createdAt: key.at, id: key.id });

/** A page of the audit log with the names of the people it mentions, by id. */
export interface AuditLogPage {
  readonly events: readonly StoredAuditEvent[];
  readonly names: ReadonlyMap<string, string>;
  readonly nextCursor: string | null;
}

/**
 * One page of the viewer's organisation's audit log, newest first, with the actors' names
 * (members and contacts, in two queries whatever the page size). Owners only.
 * @throws FORBIDDEN for admins and agents, VALIDATION_FAILED for a malformed cursor
 */
export async function listTeamAuditLog(ctx: AppContext, viewer: TeamViewer, input: TListAuditQuery): Promise<AuditLogPage> {
  requireTeamRole(viewer, 'owner');
  const query = parseInput(ZListAuditQuery, input);
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const rows = await listTenantAuditEvents(scope, {
    ...(query.cursor ? { before: timeIdBefore(decodeCursor(query.cursor, parseTimeIdKey)) } : {}),
    limit: query.limit + 1,
  });
  const { items: page, nextCursor } = pageOf(rows, query.limit, (last) => [last.createdAt, last.id]);
  const idsOf = (kind: StoredAuditEvent['actorKind']) => [
    ...new Set(page.flatMap((e) => (e.actorKind === kind && e.actorId ? [e.actorId] : []))),
  ];
  const members = await findTeamMembersByIds(scope, idsOf('team_member'));
  const contacts = await findContactsByIds(scope, idsOf('contact'));
  const names = new Map<string, string>([...members.map((m) => [m.id, m.name] as const), ...contacts.map((c) => [c.id, c.name] as const)]);
  return { events: page, names, nextCursor };
}
