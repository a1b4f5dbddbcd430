import type { AppContext, ScopeContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { parseInput } from '../../platform/validation.js';
import { enqueueMail } from '../../platform/mail/send-mail.job.js';
import { attachUploads, type StoredFile } from '../attachments/file.service.js';
import { portalUrlOf } from '../auth/portal-sign-in-link.service.js';
import { findContactById } from '../clients/client.service.js';
import { appendMessage, type Message } from '../messages/message.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { createTicketWithFiles, recordTicketMessage, type Ticket, type TicketFileLimits } from './ticket.service.js';
import type { InboxRow } from './inbox.repository.js';
import {
  type TCreateTeamTicketRequest,
  type TTeamMessageRequest,
  ZCreateTeamTicketRequest,
  ZTeamMessageRequest,
} from './team-ticket.schemas.js';
import { renderTeamReplyEmail } from './team-reply-email.js';
import { getInboxRow, markReadByViewer } from './team-ticket.service.js';

/** What a reply needs beyond the database: where the portal lives and who mail comes from. */
export interface TeamReplyContext extends ScopeContext {
  readonly publicUrl: string;
  readonly fromAddress: string;
}

/**
 * Adds the member's reply (`public`: the customer sees it in the portal; it is new activity,
 * answers the customer, and an email with it goes to the requester through the outbox) or
 * internal note (`internal`: never shown to a customer, changes nothing they could notice), with
 * the member's own uploads attached, in one transaction (the caller's, when `ctx.db` is a scope).
 * The member has evidently read the ticket. Any role. `origin` says whether it was written in the
 * app or came as an email to the member's reply address.
 * @throws VALIDATION_FAILED, TICKET_NOT_FOUND, FILE_NOT_FOUND, TICKET_QUOTA_EXCEEDED
 */
export async function addTeamMessage(
  ctx: TeamReplyContext,
  viewer: TeamViewer,
  ticketId: string,
  input: TTeamMessageRequest,
  limits: TicketFileLimits,
  origin: { readonly via: 'app' } | { readonly via: 'email'; readonly emailMessageId: string } = { via: 'app' },
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
      via: origin.via,
      emailMessageId: origin.via === 'email' ? origin.emailMessageId : null,
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
    const ticket = await getInboxRow(scope, viewer, ticketId);
    const requester = message.visibility === 'public' && ticket.requester ? await findContactById(scope, ticket.requester.id) : undefined;
    // A disabled contact has lost access to the organisation: no more of its tickets by email.
    if (requester?.status === 'active') {
      const mail = renderTeamReplyEmail({
        tenant: viewer.tenant,
        portalUrl: portalUrlOf(ctx.publicUrl, viewer.tenant),
        to: requester.email,
        recipientName: requester.name,
        authorName: viewer.name,
        ticket,
        body: message.body,
        fileCount: attachments.length,
        fromAddress: ctx.fromAddress,
      });
      await enqueueMail(scope, ctx.clock, mail, { tenantId: viewer.tenant.id, dedupeKey: `team-reply:${message.id}` });
    }
    return { message, attachments, ticket };
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
    const { ticket } = await createTicketWithFiles(
      scope,
      ctx.clock,
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
      { fileIds: data.fileIds, ticketQuotaBytes: limits.ticketQuotaBytes },
    );
    return ticket;
  });
}
