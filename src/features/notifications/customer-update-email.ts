import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { safeLocale } from '../quotes/pdf/money.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import type { Tenant } from '../tenants/tenant.service.js';
import type { TicketStatus } from '../tickets/ticket.domain.js';

/** The statuses a customer is told about when the team moves a ticket to them, in the customer's words. */
export const CUSTOMER_STATUS_NEWS: Partial<Readonly<Record<TicketStatus, string>>> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  waiting_on_customer: 'Waiting on you',
  closed: 'Closed',
};

/** What happened on a ticket since the contact's last email, already filtered to what they get. */
export interface CustomerUpdateNews {
  /** The "we received your request" confirmation of a portal submission. */
  readonly received: boolean;
  readonly replies: readonly { readonly authorName: string; readonly body: string; readonly fileCount: number }[];
  /** The status the team moved the ticket to, when it is one of CUSTOMER_STATUS_NEWS. */
  readonly status: TicketStatus | null;
  /** A visit scheduled (from null), moved, or cancelled (to null). */
  readonly visit: { readonly from: Date | null; readonly to: Date | null } | null;
}

export interface CustomerUpdateEmailInput {
  readonly tenant: Tenant;
  readonly portalUrl: string;
  readonly fromAddress: string;
  readonly to: string;
  readonly recipientName: string;
  readonly ticket: { readonly id: string; readonly number: number; readonly title: string };
  readonly news: CustomerUpdateNews;
  /** The deep link that signs the contact in and lands on the ticket. */
  readonly link: string;
  readonly replyTo: string;
  readonly unsubscribeUrl: string;
  readonly threading: { readonly messageId: string; readonly inReplyTo: string; readonly references: string };
  /** The first email of the ticket to this contact: its subject has no "Re:". */
  readonly isFirst: boolean;
}

/** A visit time in the organisation's time zone, with the zone's name: "Thursday, 10 December 2026 at 09:30 (Europe/Berlin)". */
export function formatVisitTime(at: Date, tenant: Pick<Tenant, 'locale' | 'timeZone'>): string {
  const text = new Intl.DateTimeFormat(safeLocale(tenant.locale), {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: tenant.timeZone,
  }).format(at);
  return `${text} (${tenant.timeZone})`;
}

function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? '';
}

function visitSentence(visit: NonNullable<CustomerUpdateNews['visit']>, tenant: Tenant): string {
  if (visit.to === null)
    return visit.from ? `The visit planned for ${formatVisitTime(visit.from, tenant)} is cancelled.` : 'The visit is cancelled.';
  if (visit.from === null) return `A visit is scheduled for ${formatVisitTime(visit.to, tenant)}.`;
  return `The visit is moved to ${formatVisitTime(visit.to, tenant)} (it was ${formatVisitTime(visit.from, tenant)}).`;
}

function headingOf(news: CustomerUpdateNews, ticketNumber: number): string {
  const kinds = [news.received, news.replies.length > 0, news.status !== null, news.visit !== null].filter(Boolean).length;
  if (kinds > 1) return `Updates on your request #${ticketNumber}`;
  if (news.received) return 'We received your request';
  if (news.replies.length > 1) return `${news.replies.length} new replies to your request`;
  if (news.replies.length === 1) return 'New reply to your request';
  if (news.status) return `Your request is now: ${CUSTOMER_STATUS_NEWS[news.status] ?? news.status}`;
  if (news.visit?.to === null) return 'Visit cancelled';
  return news.visit?.from ? 'Visit moved' : 'Visit scheduled';
}

/**
 * One email to one contact about one ticket, carrying everything that happened since their last
 * email: the confirmation of their request, the team's replies (whole, escaped by the layout), the
 * new status, the visit. Branded as the organisation; the contact's own Reply-To (answering by email
 * posts to the ticket as them), a deep link that signs them in on the ticket, threading headers per
 * ticket, `Auto-Submitted`, and RFC 8058 one-click unsubscribe headers.
 */
export function renderCustomerUpdateEmail(input: CustomerUpdateEmailInput): OutgoingMail {
  const { tenant, ticket, news } = input;
  const paragraphs: string[] = [`Hello ${input.recipientName},`];
  if (news.received) {
    paragraphs.push(`Thank you — we received your request #${ticket.number}, "${ticket.title}". ${tenant.name} will get back to you.`);
  }
  for (const reply of news.replies) {
    const author = firstName(reply.authorName);
    paragraphs.push(author ? `${author} from ${tenant.name} wrote:` : `${tenant.name} wrote:`);
    if (reply.body.trim()) paragraphs.push(reply.body);
    if (reply.fileCount > 0)
      paragraphs.push(
        reply.fileCount === 1 ? 'One file is attached in the portal.' : `${reply.fileCount} files are attached in the portal.`,
      );
  }
  if (news.status) {
    paragraphs.push(
      news.status === 'closed'
        ? `${tenant.name} closed your request #${ticket.number}. If something is still not right, reply to this email.`
        : `The status of your request #${ticket.number} is now: ${CUSTOMER_STATUS_NEWS[news.status] ?? news.status}.`,
    );
  }
  if (news.visit) paragraphs.push(visitSentence(news.visit, tenant));
  const heading = headingOf(news, ticket.number);
  const rendered = renderBrandedEmail({
    brand: emailBrandOf(tenant, input.portalUrl),
    preheader: `#${ticket.number} ${ticket.title}: ${heading}`,
    heading,
    paragraphs,
    button: { label: 'View your request', url: input.link },
    footer: [
      `Reply to this email to answer ${tenant.name} on request #${ticket.number}.`,
      'The button signs you in to the portal on this request; it works once, for 7 days.',
      `To stop emails about status changes and visits (replies and quotes still come): ${input.unsubscribeUrl}`,
    ],
  });
  return {
    from: { name: tenant.name, address: input.fromAddress },
    to: input.to,
    replyTo: input.replyTo,
    // Bounces come back to the same address: the inbound pipeline marks the contact's address undeliverable.
    returnPath: input.replyTo,
    // The same words in every email of the ticket, so Gmail keeps them in one conversation.
    subject: `${input.isFirst ? '' : 'Re: '}[#${ticket.number}] ${ticket.title}`,
    text: rendered.text,
    html: rendered.html,
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'Message-ID': input.threading.messageId,
      'In-Reply-To': input.threading.inReplyTo,
      References: input.threading.references,
      'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
