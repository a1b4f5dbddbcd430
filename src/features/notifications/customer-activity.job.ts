import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { portalUrlOf } from '../auth/portal-sign-in-link.service.js';
import { attachmentsOfMessages } from '../attachments/file.service.js';
import { findContactById, findContactsByIds, getClient } from '../clients/client.service.js';
import { toDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { findMessageOfTicket, listCustomerMessagesBetween, type Message } from '../messages/message.service.js';
import { findTenantById } from '../tenants/tenant.service.js';
import { findTicket } from '../tickets/ticket.service.js';
import { renderCustomerActivityEmail } from './customer-activity-email.js';
import { findNotificationRecipient } from './notification-recipients.service.js';
import { ensureReplyAddress, findNotifiedUntil, moveNotifiedUntil, type ReplyRecipient } from './reply-address.service.js';

/** How long an email about a customer's message waits for more to join it (customer-activity.service.ts). */
export const COMBINE_WINDOW_MS = 60_000;

/** The outbox job that emails one team member about a customer's messages on one ticket. */
export const CUSTOMER_ACTIVITY_JOB = 'notify.customer_activity';

export const ZCustomerActivity = z.enum(['submitted', 'replied', 'closed']);
export type CustomerActivity = z.infer<typeof ZCustomerActivity>;

export const ZCustomerActivityJob = z.object({
  tenantId: z.string(),
  ticketId: z.string(),
  messageId: z.string(),
  contactId: z.string(),
  activity: ZCustomerActivity,
  memberId: z.string(),
});
export type TCustomerActivityJob = z.infer<typeof ZCustomerActivityJob>;

export interface CustomerActivityDeps extends AppContext {
  readonly mailer: Mailer;
  readonly appSecret: string;
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly inboundDomain: string;
  readonly fromAddress: string;
}

/**
 * The worker's handler for `notify.customer_activity`. It reads everything fresh through the
 * payload's tenant scope and sends nothing — without failing — when the tenant is suspended, the
 * member is no longer a recipient, or the ticket, message or contact is gone: a retry would not
 * change that.
 *
 * One email carries every customer message of the ticket the member has not been emailed about
 * yet (issue 11: bursts combine). The pair's mark (`notified_until`) moves over them before the
 * email goes, compare-and-set, so of two jobs racing for the same messages one sends them and the
 * other nothing; if sending fails the mark moves back and the outbox retries.
 */
export function createCustomerActivityHandler(deps: CustomerActivityDeps): JobHandler {
  return async (rawPayload) => {
    const payload = ZCustomerActivityJob.parse(rawPayload);
    const tenant = await findTenantById(deps.db, payload.tenantId);
    if (!tenant || tenant.status !== 'active') return;
    const scope = forTenant(deps.db, tenant.id);
    const member = await findNotificationRecipient(scope, payload.memberId);
    if (!member) return;
    const ticket = await findTicket(scope, payload.ticketId);
    if (!ticket) return;
    // Customer activity is public by nature; an internal note is never mailed as one.
    const message = await findMessageOfTicket(scope, ticket.id, payload.messageId);
    if (!message || message.visibility !== 'public') return;
    const contact = await findContactById(scope, payload.contactId);
    if (!contact) return;
    const client = await getClient(scope, ticket.clientId);
    const replyTo = await ensureReplyAddress(scope, deps.clock, deps.appSecret, deps.inboundDomain, {
      ticketId: ticket.id,
      memberId: member.id,
    });
    const pair = { ticketId: ticket.id, recipient: { kind: 'team_member' as const, id: member.id } };
    const claimed = await claimUnsentMessages(deps, scope, pair, message);
    if (!claimed) return;
    const { messages, from, to } = claimed;
    const attachments = await attachmentsOfMessages(
      scope,
      messages.map((m) => m.id),
    );
    const authorIds = [...new Set(messages.map((m) => m.author.id).filter((id): id is string => id !== null))];
    const authors = new Map((await findContactsByIds(scope, authorIds)).map((c) => [c.id, c.name]));
    // A closing joins the email of earlier messages; the email then says the ticket was closed.
    const closedHere = ticket.closedBy?.kind === 'contact' && ticket.closedAt !== null && ticket.closedAt >= messages[0]!.createdAt;
    const activity = payload.activity === 'submitted' ? 'submitted' : closedHere ? 'closed' : payload.activity;
    try {
      await deps.mailer.send(
        renderCustomerActivityEmail({
          tenant,
          portalUrl: portalUrlOf(deps, tenant),
          publicUrl: deps.publicUrl,
          inboundDomain: deps.inboundDomain,
          fromAddress: deps.fromAddress,
          activity,
          ticket,
          messages: messages.map((m) => ({
            id: m.id,
            body: m.body,
            authorName: (m.author.id && authors.get(m.author.id)) ?? contact.name,
            attachments: attachments.get(m.id) ?? [],
          })),
          customer: { name: contact.name, email: contact.email },
          clientName: client.name,
          recipient: member,
          replyTo,
        }),
      );
    } catch (error) {
      await moveNotifiedUntil(scope, pair, to, from);
      throw error;
    }
  };
}

/**
 * The customer messages of the ticket this member has not been emailed about, claimed by moving
 * the pair's mark over them; undefined when there are none (another job sent them). Messages older
 * than a minute before the job's own message are not looked for: they had jobs of their own, and a
 * member who was not a recipient then is not mailed the history.
 */
async function claimUnsentMessages(
  deps: CustomerActivityDeps,
  scope: TenantScope,
  pair: { readonly ticketId: string; readonly recipient: ReplyRecipient },
  message: Message,
): Promise<{ messages: Message[]; from: string | null; to: string } | undefined> {
  const floor = toDbTime(new Date(message.createdAt.getTime() - COMBINE_WINDOW_MS));
  for (let attempt = 0; attempt < 3; attempt++) {
    const from = await findNotifiedUntil(scope, pair);
    const after = from !== null && from > floor ? from : floor;
    const messages = await listCustomerMessagesBetween(scope, pair.ticketId, { after, until: toDbTime(deps.clock.now()) });
    const last = messages.at(-1);
    if (!last) return undefined;
    const to = toDbTime(last.createdAt);
    if (await moveNotifiedUntil(scope, pair, from, to)) return { messages, from, to };
  }
  return undefined;
}
