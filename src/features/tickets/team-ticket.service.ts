import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { parseInput } from '../../platform/validation.js';
import { attachmentsOfMessages, type StoredFile } from '../attachments/file.service.js';
import { type Contact, findContactsByIds } from '../clients/client.service.js';
import { listMessagesOfTicket, type Message } from '../messages/message.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { findTeamMemberById, findTeamMembersByIds, type TeamMember } from '../team/team.service.js';
import { queueCustomerUpdates } from '../notifications/customer-update.service.js';
import { changeTicket, listTicketHistory, type TicketEvent } from './ticket.service.js';
import { findInboxRow, type InboxRow, markTicketRead } from './inbox.repository.js';
import { type TUpdateTeamTicketRequest, ZUpdateTeamTicketRequest } from './team-ticket.schemas.js';

/** The people a ticket page names, by id: contacts (with email and photo) and team members (any status). */
export interface TicketPeople {
  readonly contacts: ReadonlyMap<string, Pick<Contact, 'name' | 'email' | 'photoFileId'>>;
  readonly team: ReadonlyMap<string, Pick<TeamMember, 'name'>>;
}

export interface TeamTicketDetail {
  readonly ticket: InboxRow;
  readonly messages: readonly Message[];
  /** Files by message id. */
  readonly attachments: ReadonlyMap<string, readonly StoredFile[]>;
  readonly history: readonly TicketEvent[];
  readonly people: TicketPeople;
}

/** @throws TICKET_NOT_FOUND — for a missing ticket and another organisation's, alike */
export async function getInboxRow(scope: TenantScope, viewer: TeamViewer, ticketId: string): Promise<InboxRow> {
  const row = await findInboxRow(scope, viewer.memberId, ticketId);
  if (!row) throw new AppError('TICKET_NOT_FOUND');
  return row;
}

/** Notes that the member has seen the ticket as it is now (its unread mark goes). */
export async function markReadByViewer(scope: TenantScope, viewer: TeamViewer, ticketId: string, at: Date): Promise<void> {
  await markTicketRead(scope, { id: newId(at.getTime()), ticketId, memberId: viewer.memberId, now: toDbTime(at) });
}

/**
 * A ticket with its whole conversation (internal notes included), files per message, history and
 * the people they name, in a fixed number of queries; marks it read for the member. Any role.
 * @throws TICKET_NOT_FOUND
 */
export async function getTeamTicketDetail(ctx: AppContext, viewer: TeamViewer, ticketId: string): Promise<TeamTicketDetail> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const row = await getInboxRow(scope, viewer, ticketId);
  const messages = await listMessagesOfTicket(scope, ticketId, { publicOnly: false });
  const history = await listTicketHistory(scope, ticketId);
  const attachments = await attachmentsOfMessages(
    scope,
    messages.map((m) => m.id),
  );
  const contactIds = new Set<string>();
  const teamIds = new Set<string>();
  const add = (actor: { kind: string; id: string | null } | null) => {
    if (actor?.kind === 'contact' && actor.id) contactIds.add(actor.id);
    if (actor?.kind === 'team_member' && actor.id) teamIds.add(actor.id);
  };
  for (const m of messages) add(m.author);
  for (const e of history) {
    add(e.actor);
    if (e.kind === 'assignee_changed') for (const id of [e.from, e.to]) add({ kind: 'team_member', id });
  }
  add(row.closedBy);
  const contacts = await findContactsByIds(scope, [...contactIds]);
  const team = await findTeamMembersByIds(scope, [...teamIds]);
  await markReadByViewer(scope, viewer, ticketId, ctx.clock.now());
  return {
    ticket: { ...row, readAt: ctx.clock.now() },
    messages,
    attachments,
    history,
    people: { contacts: new Map(contacts.map((c) => [c.id, c])), team: new Map(team.map((m) => [m.id, m])) },
  };
}

/**
 * Changes a ticket's status, priority, assignee, scheduled time or charge in one transaction;
 * each real change is one history entry (old and new value), equal values record nothing, closing
 * stamps who closed it; a status or visit change queues the customers' email. Any role.
 * @throws VALIDATION_FAILED (also for an assignee who is disabled or invited), TICKET_NOT_FOUND,
 *   TEAM_MEMBER_NOT_FOUND (an assignee who is not a member of this organisation)
 */
export async function changeTeamTicket(
  ctx: AppContext,
  viewer: TeamViewer,
  ticketId: string,
  input: TUpdateTeamTicketRequest,
): Promise<readonly string[]> {
  const data = parseInput(ZUpdateTeamTicketRequest, input);
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    await getInboxRow(scope, viewer, ticketId);
    if (data.assigneeId) {
      const member = await findTeamMemberById(scope, data.assigneeId);
      if (!member) throw new AppError('TEAM_MEMBER_NOT_FOUND');
      if (member.status !== 'active') {
        throw new AppError('VALIDATION_FAILED', 'Only an active team member can be assigned.', {
          details: [{ path: 'assigneeId', message: 'is not an active team member' }],
        });
      }
    }
    const { changed, ticket } = await changeTicket(
      scope,
      ctx.clock,
      ticketId,
      {
        ...(data.status !== undefined ? { status: data.status } : {}),
        ...(data.priority !== undefined ? { priority: data.priority } : {}),
        ...(data.assigneeId !== undefined ? { assigneeId: data.assigneeId } : {}),
        ...(data.scheduledAt !== undefined ? { scheduledAt: data.scheduledAt === null ? null : new Date(data.scheduledAt) } : {}),
        ...(data.charge !== undefined ? { charge: data.charge } : {}),
      },
      { kind: 'team_member', id: viewer.memberId },
    );
    // A status or a visit the customer cares about is emailed to them a minute later (the job
    // decides which statuses matter); a priority, an assignee or a charge is the team's business.
    if (changed.includes('status_changed') || changed.includes('scheduled_changed')) {
      await queueCustomerUpdates(scope, ctx.clock, ticket.id, { kind: 'team_member', id: viewer.memberId });
    }
    return changed;
  });
}
