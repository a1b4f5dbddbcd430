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
  /**
   * The customer messages this email is about, oldest first (one, or a burst combined). Files are
   * named in the email and fetched from the ticket (never attached to mail).
   */
  readonly messages: readonly CombinedMessage[];
  readonly customer: { readonly name: string; readonly email: string };
  readonly clientName: string | null;
  readonly recipient: { readonly id: string; readonly email: string };
  readonly replyTo: string;
}

export interface CombinedMessage {
  readonly id: string;
  readonly body: string;
  /** Who wrote it: the customer, or another contact of the same client. */
  readonly authorName: string;
  readonly attachments?: readonly { readonly name: string; readonly size: number }[];
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
  count = 1,
): string {
  switch (activity) {
    case 'submitted':
      return `New request #${ticket.number}: ${ticket.title}`;
    case 'replied':
      return count > 1
        ? `[#${ticket.number}] ${ticket.title} — ${count} new replies from ${customerName}`
        : `[#${ticket.number}] ${ticket.title} — new reply from ${customerName}`;
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
 * The email that tells a team member about a customer's new ticket, reply or closing — or about
 * several, combined: branded as the organisation, with every message whole (escaped by the
 * layout) in the order written, a link to the ticket in the team app, the recipient's own
 * Reply-To address and threading headers per ticket.
 */
export function renderCustomerActivityEmail(input: CustomerActivityEmailInput): OutgoingMail {
  const { tenant, ticket, customer, activity, messages } = input;
  const first = messages[0];
  if (!first) throw new RangeError('a customer activity email needs a message');
  const body = messages.flatMap((message, index) => {
    const attachments = message.attachments ?? [];
    // The closing message is the last one; every other message is something the customer wrote.
    const lead = activity === 'closed' && index === messages.length - 1 ? LEADS.closed : LEADS.replied;
    return [
      lead(message.authorName),
      ...(message.body.trim() === '' && attachments.length > 0 ? [] : paragraphsOf(message.body)),
      ...(attachments.length > 0
        ? [
            `${attachments.length === 1 ? 'Attached file' : `${attachments.length} attached files`}: ${attachments.map((a) => `${a.name} (${sizeOf(a.size)})`).join(', ')}`,
          ]
        : []),
    ];
  });
  const customerLine = input.clientName
    ? `Customer: ${customer.name} (${customer.email}), ${input.clientName}`
    : `Customer: ${customer.name} (${customer.email})`;
  const heading =
    activity === 'replied' && messages.length > 1
      ? `${messages.length} new replies from ${customer.name}`
      : HEADINGS[activity](customer.name);
  const { html, text } = renderBrandedEmail({
    brand: emailBrandOf(tenant, input.portalUrl),
    preheader: preheaderOf(first.body),
    heading,
    paragraphs: [`Ticket #${ticket.number}: ${ticket.title}`, customerLine, ...body],
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
    subject: customerActivitySubject(activity, ticket, customer.name, messages.length),
    text,
    html,
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      // One id per (first message, recipient), all under the ticket's root, so a thread per ticket forms.
      'Message-ID': `<ticket-${ticket.id}.${first.id}.${input.recipient.id}@${input.inboundDomain}>`,
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
