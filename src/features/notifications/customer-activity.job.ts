import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { portalUrlOf } from '../auth/portal-sign-in-link.service.js';
import { attachmentsOfMessages } from '../attachments/file.service.js';
import { findContactById, getClient } from '../clients/client.service.js';
import { findMessageOfTicket } from '../messages/message.service.js';
import { findTenantById } from '../tenants/tenant.service.js';
import { findTicket } from '../tickets/ticket.service.js';
import { renderCustomerActivityEmail } from './customer-activity-email.js';
import { findNotificationRecipient } from './notification-recipients.service.js';
import { ensureReplyAddress } from './reply-address.service.js';

/** The outbox job that emails one team member about one customer message. */
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
  readonly inboundDomain: string;
  readonly fromAddress: string;
}

/**
 * The worker's handler for `notify.customer_activity`. It reads everything fresh through the
 * payload's tenant scope and sends nothing — without failing — when the tenant is suspended, the
 * member is no longer a recipient, or the ticket, message or contact is gone: a retry would not
 * change that. Delivery is at least once (a repeat after a crash re-sends the same Message-ID).
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
    const attachments = (await attachmentsOfMessages(scope, [message.id])).get(message.id) ?? [];
    const replyTo = await ensureReplyAddress(scope, deps.clock, deps.appSecret, deps.inboundDomain, {
      ticketId: ticket.id,
      memberId: member.id,
    });
    await deps.mailer.send(
      renderCustomerActivityEmail({
        tenant,
        portalUrl: portalUrlOf(deps.publicUrl, tenant),
        publicUrl: deps.publicUrl,
        inboundDomain: deps.inboundDomain,
        fromAddress: deps.fromAddress,
        activity: payload.activity,
        ticket,
        message,
        attachments,
        customer: { name: contact.name, email: contact.email },
        clientName: client.name,
        recipient: member,
        replyTo,
      }),
    );
  };
}
