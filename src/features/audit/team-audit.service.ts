import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/validation.js';
import { type AuditEventRow, listTenantAuditEvents } from './audit.service.js';
import { findContactsByIds } from '../clients/client.service.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { findTeamMembersByIds } from '../team/team.service.js';
import { type TAuditEntry, type TAuditPage, type TListAuditQuery, ZListAuditQuery } from './team-audit.schemas.js';

/** Keyset cursors are opaque to clients: base64url of [created_at, id] of the last entry shown. */
function encodeCursor(event: AuditEventRow): string {
  return Buffer.from(JSON.stringify([event.createdAt, event.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)))
      return { createdAt: new Date(at).toISOString(), id };
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', undefined, { details: [{ path: 'cursor', message: 'is not a valid page cursor' }] });
}

function parseData(data: string | null): Record<string, unknown> | null {
  if (data === null) return null;
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  } catch {
    return { value: data };
  }
}

/**
 * One page of the viewer's organisation's audit log, newest first, with the actors' names
 * (members and contacts, in two queries whatever the page size). Owners only.
 * @throws FORBIDDEN for admins and agents, VALIDATION_FAILED for a malformed cursor
 */
export async function listTeamAuditLog(ctx: AppContext, viewer: TeamViewer, input: TListAuditQuery): Promise<TAuditPage> {
  requireTeamRole(viewer, 'owner');
  const query = parseInput(ZListAuditQuery, input);
  const rows = await listTenantAuditEvents(ctx.db, viewer.tenant.id, {
    ...(query.cursor ? { before: decodeCursor(query.cursor) } : {}),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const idsOf = (kind: AuditEventRow['actorKind']) => [
    ...new Set(page.flatMap((e) => (e.actorKind === kind && e.actorId ? [e.actorId] : []))),
  ];
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const members = await findTeamMembersByIds(scope, idsOf('team_member'));
  const contacts = await findContactsByIds(scope, idsOf('contact'));
  const names = new Map<string, string>([...members.map((m) => [m.id, m.name] as const), ...contacts.map((c) => [c.id, c.name] as const)]);
  const entries = page.map((e): TAuditEntry => ({
    id: e.id,
    at: new Date(e.createdAt).toISOString(),
    action: e.action,
    actor: { kind: e.actorKind, id: e.actorId, name: e.actorId ? (names.get(e.actorId) ?? null) : null },
    subject: e.subjectKind && e.subjectId ? { kind: e.subjectKind, id: e.subjectId } : null,
    data: parseData(e.data),
    ip: e.ip,
  }));
  const last = page.at(-1);
  return { entries, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}
