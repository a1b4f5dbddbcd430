import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { parseInput } from '../../platform/validation.js';
import { attachUploads, type StoredFile } from '../attachments/file.service.js';
import { appendMessage, listMessagesOfTicket, type Message } from '../messages/message.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { createTicket, recordTicketMessage, type Ticket } from '../tickets/ticket.service.js';
import type { InboxRow } from './team-inbox.repository.js';
import {
  type TCreateTeamTicketRequest,
  type TTeamMessageRequest,
  ZCreateTeamTicketRequest,
  ZTeamMessageRequest,
} from './team-ticket.schemas.js';
import { getInboxRow, markReadByViewer } from './team-ticket.service.js';

/** The organisation's limit on files per ticket (config `files.ticketQuotaBytes`). */
export interface TicketFileLimits {
  readonly ticketQuotaBytes: number;
}

/**
 * Adds the member's reply (`public`: the customer sees it in the portal; it is new activity and
 * answers the customer) or internal note (`internal`: never shown to a customer, changes nothing
 * they could notice), with the member's own uploads attached, in one transaction. The member has
 * evidently read the ticket. Any role.
 * @throws VALIDATION_FAILED, TICKET_NOT_FOUND, FILE_NOT_FOUND, TICKET_QUOTA_EXCEEDED
 */
export async function addTeamMessage(
  ctx: AppContext,
  viewer: TeamViewer,
  ticketId: string,
  input: TTeamMessageRequest,
  limits: TicketFileLimits,
): Promise<{ message: Message; attachments: StoredFile[]; ticket: InboxRow }> {
  const data = parseInput(ZTeamMessageRequest, input);
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    await getInboxRow(scope, viewer, ticketId);
    const now = ctx.clock.now();
    const author = { kind: 'team_member' as const, id: viewer.memberId };
    const message = await appendMessage(scope, ctx.clock, {
      ticketId,
      author,
      body: data.body,
      visibility: data.visibility,
      via: 'app',
      at: now,
    });
    const attachments = await attachUploads(scope, ctx.clock, data.fileIds, {
      uploader: author,
      ticketId,
      messageId: message.id,
      ticketQuotaBytes: limits.ticketQuotaBytes,
    });
    await recordTicketMessage(scope, message);
    await markReadByViewer(scope, viewer, ticketId, now);
    return { message, attachments, ticket: await getInboxRow(scope, viewer, ticketId) };
  });
}

/**
 * Opens a ticket on behalf of a contact of a client (a phone call, a visit): status open, source
 * app, the description as its first public message by the member, with the member's uploads
 * attached — in one transaction. Any role.
 * @throws VALIDATION_FAILED, CLIENT_NOT_FOUND, CONTACT_NOT_FOUND (also a contact of another client),
 *   FILE_NOT_FOUND, TICKET_QUOTA_EXCEEDED
 */
export async function createTeamTicket(
  ctx: AppContext,
  viewer: TeamViewer,
  input: TCreateTeamTicketRequest,
  limits: TicketFileLimits,
): Promise<Ticket> {
  const data = parseInput(ZCreateTeamTicketRequest, input);
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const author = { kind: 'team_member' as const, id: viewer.memberId };
    const ticket = await createTicket(
      { db: scope.db, clock: ctx.clock },
      viewer.tenant.id,
      {
        clientId: data.clientId,
        requesterContactId: data.contactId,
        title: data.title,
        body: data.description,
        priority: data.priority ?? 'normal',
        status: 'open',
        source: 'app',
      },
      author,
    );
    const [first] = await listMessagesOfTicket(scope, ticket.id, { publicOnly: true });
    if (!first) throw new Error(`ticket ${ticket.id} was created without its first message`);
    await attachUploads(scope, ctx.clock, data.fileIds, {
      uploader: author,
      ticketId: ticket.id,
      messageId: first.id,
      ticketQuotaBytes: limits.ticketQuotaBytes,
    });
    return ticket;
  });
}
