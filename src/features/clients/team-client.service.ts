import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/validation.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import {
  type Client,
  type Contact,
  countContactsOfClients,
  createClient,
  getClient,
  listContactsOfClient,
  searchClients,
  updateClient,
} from './client.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import {
  type TCreateTeamClientRequest,
  type TListTeamClientsQuery,
  type TUpdateTeamClientRequest,
  ZListTeamClientsQuery,
  ZUpdateTeamClientRequest,
} from './team-client.schemas.js';

/** A client as the team's list shows it. */
export interface ClientSummary {
  readonly client: Client;
  readonly contactCount: number;
}

/** Keyset cursors are opaque to clients: base64url of [sort key, id]. */
function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

function decodeCursor(cursor: string): { sortKey: string; id: string } {
  try {
    const [sortKey, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof sortKey === 'string' && typeof id === 'string') return { sortKey, id };
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', undefined, { details: [{ path: 'cursor', message: 'is not a valid page cursor' }] });
}

/** Who did it, for the audit log: the signed-in member, from where. */
export function auditActorOf(viewer: TeamViewer, meta: RequestMeta) {
  return { actor: { kind: 'team_member' as const, id: viewer.memberId }, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500) ?? null };
}

/**
 * One page of the viewer's organisation's clients, A to Z, with their number of contacts; `q`
 * matches the client's name or any of its contacts' names or emails. Any role.
 * @throws VALIDATION_FAILED for a malformed cursor
 */
export async function listTeamClients(
  ctx: AppContext,
  viewer: TeamViewer,
  input: TListTeamClientsQuery,
): Promise<{ clients: ClientSummary[]; nextCursor: string | null }> {
  const query = parseInput(ZListTeamClientsQuery, input);
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const rows = await searchClients(scope, {
    ...(query.q ? { q: query.q } : {}),
    ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const counts = await countContactsOfClients(
    scope,
    page.map((r) => r.client.id),
  );
  const last = page.at(-1);
  return {
    clients: page.map((r) => ({ client: r.client, contactCount: counts.get(r.client.id) ?? 0 })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.sortKey, last.client.id) : null,
  };
}

/**
 * Creates a client; its ticket visibility defaults to the organisation's setting. Any role.
 * @throws VALIDATION_FAILED
 */
export async function createTeamClient(
  ctx: AppContext,
  viewer: TeamViewer,
  input: TCreateTeamClientRequest,
  meta: RequestMeta,
): Promise<ClientSummary> {
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const client = await createClient({ db: scope.db, clock: ctx.clock }, viewer.tenant.id, input);
    await recordAuditEvent(scope.db, ctx.clock, {
      tenantId: viewer.tenant.id,
      ...auditActorOf(viewer, meta),
      action: 'client.created',
      subject: { kind: 'client', id: client.id },
      data: { name: client.name, ticketVisibility: client.ticketVisibility },
    });
    return { client, contactCount: 0 };
  });
}

/**
 * A client of the viewer's organisation with its contacts (A to Z). Any role.
 * @throws CLIENT_NOT_FOUND (also for another organisation's client)
 */
export async function getTeamClient(
  ctx: AppContext,
  viewer: TeamViewer,
  clientId: string,
): Promise<{ summary: ClientSummary; contacts: Contact[] }> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const client = await getClient(scope, clientId);
  const contacts = await listContactsOfClient(scope, client.id);
  return { summary: { client, contactCount: contacts.length }, contacts };
}

/**
 * Renames a client or changes which tickets its contacts see in the portal (from their next
 * request on). Any role; audited with the old and new values.
 * @throws VALIDATION_FAILED, CLIENT_NOT_FOUND
 */
export async function updateTeamClient(
  ctx: AppContext,
  viewer: TeamViewer,
  clientId: string,
  input: TUpdateTeamClientRequest,
  meta: RequestMeta,
): Promise<ClientSummary> {
  const patch = parseInput(ZUpdateTeamClientRequest, input);
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const before = await getClient(scope, clientId);
    const after = await updateClient(scope, ctx.clock, clientId, patch);
    const changes = changesOf(before, after, ['name', 'ticketVisibility']);
    if (Object.keys(changes).length > 0) {
      await recordAuditEvent(scope.db, ctx.clock, {
        tenantId: viewer.tenant.id,
        ...auditActorOf(viewer, meta),
        action: 'client.updated',
        subject: { kind: 'client', id: after.id },
        data: { changes },
      });
    }
    const counts = await countContactsOfClients(scope, [after.id]);
    return { client: after, contactCount: counts.get(after.id) ?? 0 };
  });
}

/** `{ field: { from, to } }` for the fields whose values differ: what audit entries record. */
export function changesOf<T extends object, K extends keyof T & string>(
  before: T,
  after: T,
  fields: readonly K[],
): Record<string, { from: T[K]; to: T[K] }> {
  const changes: Record<string, { from: T[K]; to: T[K] }> = {};
  for (const field of fields) {
    if (before[field] !== after[field]) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}
