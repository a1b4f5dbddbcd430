import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { fromDbTime, toDbTime } from '../../platform/db/time.js';
import { newId } from '../../platform/ids.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { attachmentsOfMessages } from '../attachments/file.service.js';
import { issueDeepLink } from '../auth/portal-deep-link.service.js';
import { portalUrlOf } from '../auth/portal-sign-in-link.service.js';
import { findContactById, getClient, type Contact } from '../clients/client.service.js';
import { listTeamRepliesBetween, type Message } from '../messages/message.service.js';
import { findTeamMembersByIds } from '../team/team.service.js';
import { findTenantById } from '../tenants/tenant.service.js';
import { findTicket, listTicketEventsBetween, type Ticket, type TicketEvent } from '../tickets/ticket.service.js';
import { COMBINE_WINDOW_MS } from './customer-activity.job.js';
import { ticketThreadId } from './customer-activity-email.js';
import { CUSTOMER_STATUS_NEWS, renderCustomerUpdateEmail, type CustomerUpdateNews } from './customer-update-email.js';
import { deriveUnsubscribeToken, unsubscribeUrlOf } from './customer-unsubscribe.service.js';
import { ensureReplyAddress, findNotifiedUntil, moveNotifiedUntil, type ReplyRecipient } from './reply-address.service.js';

/** The outbox job that emails one contact what happened on one ticket (customer-update.service.ts queues it). */
export const CUSTOMER_UPDATE_JOB = 'notify.customer_update';

export const ZCustomerUpdateJob = z.object({
  tenantId: z.string(),
  ticketId: z.string(),
  contactId: z.string(),
  /** When the change that queued the job happened (ISO); the job looks back a minute from it. */
  at: z.string(),
});
export type TCustomerUpdateJob = z.infer<typeof ZCustomerUpdateJob>;

export interface CustomerUpdateDeps extends AppContext {
  readonly mailer: Mailer;
  readonly appSecret: string;
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly inboundDomain: string;
  readonly fromAddress: string;
}

/**
 * Whether mail to the contact's address can arrive: an active contact whose address has not
 * bounced (inbound mail marks it; changing the address clears the mark). Such a contact is mailed
 * no updates; the team sees the "Emails bounce" badge.
 */
function isDeliverable(contact: Contact): boolean {
  return contact.status === 'active' && contact.emailUndeliverable === null;
}

interface Claimed {
  readonly replies: readonly Message[];
  readonly events: readonly TicketEvent[];
  readonly from: string | null;
  readonly to: string;
}

/**
 * The team replies and ticket events the contact has not been emailed about, claimed by moving the
 * (ticket, contact) mark over them, compare-and-set: of two jobs racing for the same changes, one
 * sends them and the other nothing. Changes older than a minute before the job's own change are not
 * looked for: they had jobs of their own.
 */
async function claimNews(deps: CustomerUpdateDeps, scope: TenantScope, pair: { ticketId: string; recipient: ReplyRecipient }, at: Date) {
  const floor = toDbTime(new Date(at.getTime() - COMBINE_WINDOW_MS));
  for (let attempt = 0; attempt < 3; attempt++) {
    const from = await findNotifiedUntil(scope, pair);
    const range = { after: from !== null && from > floor ? from : floor, until: toDbTime(deps.clock.now()) };
    const replies = await listTeamRepliesBetween(scope, pair.ticketId, range);
    const events = await listTicketEventsBetween(scope, pair.ticketId, range);
    const times = [...replies.map((m) => m.createdAt), ...events.map((e) => e.at)].map((d) => d.getTime());
    if (times.length === 0) return undefined;
    const to = toDbTime(new Date(Math.max(...times)));
    if (await moveNotifiedUntil(scope, pair, from, to)) return { replies, events, from, to } satisfies Claimed;
  }
  return undefined;
}

/**
 * What the contact is told, from the claimed changes: the confirmation of their own portal request;
 * the team's replies; the status the team moved the ticket to (the last move, only if the ticket is
 * still there and the customer cares: scheduled, in progress, waiting on you, closed); a visit
 * scheduled, moved or cancelled by the team. A contact who stopped updates gets the replies only.
 */
function newsOf(
  ticket: Ticket,
  contact: Contact,
  claimed: Claimed,
  names: ReadonlyMap<string, string>,
  files: ReadonlyMap<string, unknown[]>,
) {
  const byTeam = claimed.events.filter((e) => e.actor.kind !== 'contact');
  const received =
    ticket.source === 'portal' &&
    claimed.events.some((e) => e.kind === 'created' && e.actor.kind === 'contact' && e.actor.id === contact.id);
  const lastStatus = byTeam.filter((e) => e.kind === 'status_changed').at(-1);
  const status =
    lastStatus?.status && lastStatus.status === ticket.status && CUSTOMER_STATUS_NEWS[lastStatus.status] ? lastStatus.status : null;
  const visits = byTeam.filter((e) => e.kind === 'scheduled_changed');
  const firstVisit = visits[0];
  const visitFrom = firstVisit?.from ? fromDbTime(firstVisit.from) : null;
  const visit = firstVisit && visitFrom?.getTime() !== ticket.scheduledAt?.getTime() ? { from: visitFrom, to: ticket.scheduledAt } : null;
  const updatesOn = contact.emailUpdatesOffAt === null;
  const news: CustomerUpdateNews = {
    received: updatesOn && received,
    replies: claimed.replies.map((m) => ({
      authorName: (m.author.id && names.get(m.author.id)) ?? '',
      body: m.body,
      fileCount: files.get(m.id)?.length ?? 0,
    })),
    status: updatesOn ? status : null,
    visit: updatesOn ? visit : null,
  };
  const isEmpty = !news.received && news.replies.length === 0 && !news.status && !news.visit;
  return isEmpty ? undefined : news;
}

/**
 * The worker's handler for `notify.customer_update`. It reads everything fresh and sends nothing —
 * without failing — when the tenant is suspended, the ticket is gone, the contact is disabled,
 * undeliverable, no longer the ticket's client's or no longer allowed to see the ticket, or nothing
 * worth telling is new: a retry would not change that. If sending fails, the mark moves back and
 * the outbox retries.
 */
export function createCustomerUpdateHandler(deps: CustomerUpdateDeps): JobHandler {
  return async (rawPayload) => {
    const payload = ZCustomerUpdateJob.parse(rawPayload);
    const tenant = await findTenantById(deps.db, payload.tenantId);
    if (!tenant || tenant.status !== 'active') return;
    const scope = forTenant(deps.db, tenant.id);
    const ticket = await findTicket(scope, payload.ticketId);
    if (!ticket) return;
    const contact = await findContactById(scope, payload.contactId);
    if (!contact || !isDeliverable(contact) || contact.clientId !== ticket.clientId) return;
    const client = await getClient(scope, ticket.clientId);
    if (ticket.requesterContactId !== contact.id && client.ticketVisibility !== 'all') return;

    const pair = { ticketId: ticket.id, recipient: { kind: 'contact' as const, id: contact.id } };
    const replyTo = await ensureReplyAddress(scope, deps.clock, deps.appSecret, deps.inboundDomain, {
      ticketId: ticket.id,
      contactId: contact.id,
    });
    const claimed = await claimNews(deps, scope, pair, new Date(payload.at));
    if (!claimed) return;
    const memberIds = [...new Set(claimed.replies.map((m) => m.author.id).filter((id): id is string => id !== null))];
    const names = new Map((await findTeamMembersByIds(scope, memberIds)).map((m) => [m.id, m.name]));
    const files = await attachmentsOfMessages(
      scope,
      claimed.replies.map((m) => m.id),
    );
    const news = newsOf(ticket, contact, claimed, names, files);
    if (!news) {
      // Nothing worth an email: the mark goes back, so it still says "no email sent yet" when that
      // is so (the first email of a ticket starts the contact's thread, see threadingOf).
      await moveNotifiedUntil(scope, pair, claimed.to, claimed.from);
      return;
    }

    try {
      const portalUrl = portalUrlOf(deps, tenant);
      // Issued here, never where the change happened: the token exists only in this email.
      const link = await issueDeepLink(scope, deps.clock, {
        contact,
        portalUrl,
        landingPath: `/tickets/${ticket.id}`,
        purpose: 'ticket_update',
      });
      await deps.mailer.send(
        renderCustomerUpdateEmail({
          tenant,
          portalUrl,
          fromAddress: deps.fromAddress,
          to: contact.email,
          recipientName: contact.name,
          ticket,
          news,
          link: link.url,
          replyTo,
          unsubscribeUrl: unsubscribeUrlOf(portalUrl, deriveUnsubscribeToken(deps.appSecret, tenant.id, contact.id)),
          threading: threadingOf(ticket.id, contact.id, deps.inboundDomain, claimed.from === null),
          isFirst: claimed.from === null,
        }),
      );
    } catch (error) {
      await moveNotifiedUntil(scope, pair, claimed.to, claimed.from);
      throw error;
    }
  };
}

/**
 * Threading per ticket: every email references the ticket's root id (the one the team's
 * notifications use). The first email of a ticket to a contact is `<ticket-{id}.c-{contact}@…>`;
 * every later one replies to it, so the message Gmail and Apple Mail chain to is in the contact's
 * own mailbox. Each Message-ID is unique; the domain is INBOUND_DOMAIN (ours).
 */
export function threadingOf(ticketId: string, contactId: string, domain: string, isFirst: boolean) {
  const root = ticketThreadId(ticketId, domain);
  const first = `<ticket-${ticketId}.c-${contactId}@${domain}>`;
  if (isFirst) return { messageId: first, inReplyTo: root, references: root };
  return { messageId: `<ticket-${ticketId}.c-${contactId}.${newId()}@${domain}>`, inReplyTo: first, references: `${root} ${first}` };
}
