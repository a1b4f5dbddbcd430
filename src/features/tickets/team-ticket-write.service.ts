import type { AppContext, ScopeContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { parseInput } from '../../platform/validation.js';
import { attachUploads, type StoredFile } from '../attachments/file.service.js';
import { appendMessage, type Message } from '../messages/message.service.js';
import { queueCustomerUpdates } from '../notifications/customer-update.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { createTicketWithFiles, recordTicketMessage, type Ticket, type TicketFileLimits } from './ticket.service.js';
import type { InboxRow } from './inbox.repository.js';
import {
  type TCreateTeamTicketRequest,
  type TTeamMessageRequest,
  ZCreateTeamTicketRequest,
  ZTeamMessageRequest,
} from './team-ticket.schemas.js';
import { getInboxRow, markReadByViewer } from './team-ticket.service.js';

/** What a reply needs beyond the database: where the portal lives and who mail comes from. */
export interface TeamReplyContext extends ScopeContext {
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly fromAddress: string;
}

/**
 * Adds the member's reply (`public`: the customer sees it in the portal; it is new activity,
 * answers the customer, and an email with it goes to the ticket's customers a minute later) or
 * internal note (`internal`: never shown to a customer, changes nothing they could notice), with
 * the member's own uploads attached, in one transaction (the caller's, when `ctx.db` is a scope).
 * The member has evidently read the ticket. Any role. `origin` says whether it was written in the
 * app or came as an email to the member's reply address. `publicUrl`/`fromAddress` are no longer
 * read here (the customer's email is rendered by its job) but stay in the context the routes pass.
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
    // A public reply answers the customer: their email (and their followers') goes a minute later,
    // with whatever else changed meanwhile (customer-update.service.ts). An internal note tells nobody.
    if (message.visibility === 'public') await queueCustomerUpdates(scope, ctx.clock, ticketId, author);
    const ticket = await getInboxRow(scope, viewer, ticketId);
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
