import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { cursorField, decodeCursor, pageOf } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { changesOf, recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
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

/** A `[sort key, id]` key: the client list is ordered by lower(name), then id. */
function parseClientKey(value: unknown): { sortKey: string; id: string } | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [sortKey, id] = value as unknown[];
  return typeof sortKey === 'string' && cursorField.isText(id) ? { sortKey, id } : undefined;
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
    ...(query.cursor ? { after: decodeCursor(query.cursor, parseClientKey) } : {}),
    limit: query.limit + 1,
  });
  const page = pageOf(rows, query.limit, (last) => [last.sortKey, last.client.id]);
  const counts = await countContactsOfClients(
    scope,
    page.items.map((r) => r.client.id),
  );
  return {
    clients: page.items.map((r) => ({ client: r.client, contactCount: counts.get(r.client.id) ?? 0 })),
    nextCursor: page.nextCursor,
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
    const client = await createClient({ db: scope, clock: ctx.clock }, viewer.tenant.id, input);
    await recordAuditEvent(scope, ctx.clock, {
      tenantId: viewer.tenant.id,
      ...teamAuditActor(viewer, meta),
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
      await recordAuditEvent(scope, ctx.clock, {
        tenantId: viewer.tenant.id,
        ...teamAuditActor(viewer, meta),
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
