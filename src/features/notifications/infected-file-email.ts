import type { Clock } from '../../platform/clock.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { enqueueMail } from '../../platform/mail/send-mail.job.js';
import { portalUrlOf } from '../auth/portal-sign-in-link.service.js';
import { findContactById } from '../clients/client.service.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import { findTenantById, type Tenant } from '../tenants/tenant.service.js';
import { findTicket } from '../tickets/ticket.service.js';
import { listNotificationRecipients } from './notification-recipients.service.js';

export interface InfectedFile {
  readonly id: string;
  readonly name: string;
  readonly signature: string;
  readonly uploadedBy: { readonly kind: 'contact' | 'team_member'; readonly id: string };
  readonly ticketId: string | null;
}

export interface InfectedFileMailContext {
  readonly clock: Clock;
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly fromAddress: string;
}

/**
 * Tells the organisation's notification recipients (the people told about customer activity)
 * that a file failed the virus scan and was removed: one email each, queued in the caller's
 * transaction, so they are sent exactly when the file is marked infected.
 */
export async function queueInfectedFileEmails(scope: TenantScope, ctx: InfectedFileMailContext, file: InfectedFile): Promise<void> {
  const tenant = await findTenantById(scope, scope.tenantId);
  if (!tenant || tenant.status !== 'active') return;
  const ticket = file.ticketId ? await findTicket(scope, file.ticketId) : undefined;
  const contact = file.uploadedBy.kind === 'contact' ? await findContactById(scope, file.uploadedBy.id) : undefined;
  for (const member of await listNotificationRecipients(scope)) {
    const mail = renderInfectedFileEmail({
      tenant,
      portalUrl: portalUrlOf(ctx, tenant),
      publicUrl: ctx.publicUrl,
      fromAddress: ctx.fromAddress,
      to: member.email,
      file,
      ticket: ticket ? { id: ticket.id, number: ticket.number, title: ticket.title } : null,
      uploader: contact ? `${contact.name} (${contact.email})` : file.uploadedBy.kind === 'contact' ? 'a customer' : 'a team member',
    });
    await enqueueMail(scope, ctx.clock, mail, { tenantId: tenant.id, dedupeKey: `file-infected:${file.id}:${member.id}` });
  }
}

export function renderInfectedFileEmail(input: {
  tenant: Tenant;
  portalUrl: string;
  publicUrl: string;
  fromAddress: string;
  to: string;
  file: InfectedFile;
  ticket: { id: string; number: number; title: string } | null;
  uploader: string;
}): OutgoingMail {
  const where = input.ticket ? ` on ticket #${input.ticket.number} “${input.ticket.title}”` : ' (not attached to a message yet)';
  const subject = input.ticket
    ? `[#${input.ticket.number}] A file failed the virus scan and was removed`
    : 'An upload failed the virus scan and was removed';
  const { html, text } = renderBrandedEmail({
    brand: emailBrandOf(input.tenant, input.portalUrl),
    preheader: `“${input.file.name}” was removed`,
    heading: 'A file failed the virus scan',
    paragraphs: [
      `“${input.file.name}”, uploaded by ${input.uploader}${where}, matched the virus signature ${input.file.signature}.`,
      'Its contents were deleted, and nobody can download it. The message still lists the file as removed. If the sender needs to share it, ask them to check their device and send a clean copy.',
    ],
    ...(input.ticket ? { button: { label: 'Open in the team app', url: `${input.publicUrl}/app/tickets/${input.ticket.id}` } } : {}),
    footer: ['You receive this because you are told about customer activity in this organisation.'],
  });
  return {
    from: { name: input.tenant.name, address: input.fromAddress },
    to: input.to,
    subject,
    text,
    html,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
}
