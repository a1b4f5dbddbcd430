import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import type { Tenant } from '../tenants/tenant.service.js';
import type { CustomerActivity } from './customer-activity.job.js';

export interface CustomerActivityEmailInput {
  readonly tenant: Tenant;
  /** The tenant's portal base URL, where its logo is served (tenant configuration only). */
  readonly portalUrl: string;
  /** The platform's public URL; the team app lives under it. */
  readonly publicUrl: string;
  readonly inboundDomain: string;
  readonly fromAddress: string;
  readonly activity: CustomerActivity;
  readonly ticket: { readonly id: string; readonly number: number; readonly title: string };
  readonly message: { readonly id: string; readonly body: string };
  /** Files on the message: named in the email, fetched from the ticket (never attached to mail). */
  readonly attachments?: readonly { readonly name: string; readonly size: number }[];
  readonly customer: { readonly name: string; readonly email: string };
  readonly clientName: string | null;
  readonly recipient: { readonly id: string; readonly email: string };
  readonly replyTo: string;
}

const PREHEADER_LENGTH = 140;

/** The Message-ID every notification of a ticket refers to, so mail clients group them in one thread. */
export function ticketThreadId(ticketId: string, inboundDomain: string): string {
  return `<ticket-${ticketId}@${inboundDomain}>`;
}

/** The subject line: number, title and who did what, short enough to read in an inbox list. */
export function customerActivitySubject(
  activity: CustomerActivity,
  ticket: { number: number; title: string },
  customerName: string,
): string {
  switch (activity) {
    case 'submitted':
      return `New request #${ticket.number}: ${ticket.title}`;
    case 'replied':
      return `[#${ticket.number}] ${ticket.title} — new reply from ${customerName}`;
    case 'closed':
      return `#${ticket.number} closed by ${customerName}: ${ticket.title}`;
  }
}

const HEADINGS: Record<CustomerActivity, (name: string) => string> = {
  submitted: (name) => `New request from ${name}`,
  replied: (name) => `New reply from ${name}`,
  closed: (name) => `${name} closed the ticket`,
};

const LEADS: Record<CustomerActivity, (name: string) => string> = {
  submitted: (name) => `${name} wrote:`,
  replied: (name) => `${name} wrote:`,
  closed: (name) => `${name} closed it with this message:`,
};

/**
 * The email that tells a team member about a customer's new ticket, reply or closing: branded as
 * the organisation, with the whole message (escaped by the layout), a link to the ticket in the
 * team app, the recipient's own Reply-To address and threading headers per ticket.
 */
export function renderCustomerActivityEmail(input: CustomerActivityEmailInput): OutgoingMail {
  const { tenant, ticket, customer, activity } = input;
  const attachments = input.attachments ?? [];
  const paragraphs = [
    ...(input.message.body.trim() === '' && attachments.length > 0 ? [] : paragraphsOf(input.message.body)),
    ...(attachments.length > 0
      ? [
          `${attachments.length === 1 ? 'Attached file' : `${attachments.length} attached files`}: ${attachments.map((a) => `${a.name} (${sizeOf(a.size)})`).join(', ')}`,
        ]
      : []),
  ];
  const customerLine = input.clientName
    ? `Customer: ${customer.name} (${customer.email}), ${input.clientName}`
    : `Customer: ${customer.name} (${customer.email})`;
  const { html, text } = renderBrandedEmail({
    brand: emailBrandOf(tenant, input.portalUrl),
    preheader: preheaderOf(input.message.body),
    heading: HEADINGS[activity](customer.name),
    paragraphs: [`Ticket #${ticket.number}: ${ticket.title}`, customerLine, LEADS[activity](customer.name), ...paragraphs],
    button: { label: 'Open in the team app', url: `${input.publicUrl}/app/tickets/${ticket.id}` },
    footer: [
      `Reply to this email to add your reply to ticket #${ticket.number}.`,
      `You get these emails as a member of the ${tenant.name} team.`,
    ],
  });
  const thread = ticketThreadId(ticket.id, input.inboundDomain);
  return {
    from: { name: tenant.name, address: input.fromAddress },
    // The member's stored address only: never one taken from the message or the request.
    to: input.recipient.email,
    replyTo: input.replyTo,
    subject: customerActivitySubject(activity, ticket, customer.name),
    text,
    html,
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      // One id per (message, recipient), all under the ticket's root, so a thread per ticket forms.
      'Message-ID': `<ticket-${ticket.id}.${input.message.id}.${input.recipient.id}@${input.inboundDomain}>`,
      'In-Reply-To': thread,
      References: thread,
    },
  };
}

function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The message split at blank lines, every paragraph kept; single line breaks stay inside a paragraph. */
function paragraphsOf(body: string): string[] {
  const paragraphs = body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.trim() !== '');
  return paragraphs.length > 0 ? paragraphs : ['(no message)'];
}

function preheaderOf(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= PREHEADER_LENGTH ? line : `${chars.slice(0, PREHEADER_LENGTH - 1).join('')}…`;
}
