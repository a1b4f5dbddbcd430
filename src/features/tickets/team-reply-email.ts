import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import type { Tenant } from '../tenants/tenant.service.js';

export interface TeamReplyEmailInput {
  readonly tenant: Tenant;
  /** The portal's public base URL (tenant configuration only, never request headers). */
  readonly portalUrl: string;
  readonly to: string;
  readonly recipientName: string;
  readonly authorName: string;
  readonly ticket: { readonly id: string; readonly number: number; readonly title: string };
  readonly body: string;
  readonly fileCount: number;
  readonly fromAddress: string;
}

/** The first name of a team member, as the portal shows them ("Sam · Acme Plumbing"). */
function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? '';
}

/**
 * Tells the customer that the team answered their request, with the answer itself and a plain
 * link to the ticket in the portal. The link carries no token: opening it asks the customer to
 * sign in when they have no session (single-use sign-in deep links are the auth feature's, once
 * it issues them). The layout escapes every user-written text; the subject is cleaned of CR/LF by
 * the mail preparation.
 */
export function renderTeamReplyEmail(input: TeamReplyEmailInput): OutgoingMail {
  const { tenant, ticket } = input;
  const url = `${input.portalUrl}/tickets/${ticket.id}`;
  const author = firstName(input.authorName);
  const who = author ? `${author} from ${tenant.name}` : tenant.name;
  const files = input.fileCount === 0 ? [] : [input.fileCount === 1 ? 'One file is attached.' : `${input.fileCount} files are attached.`];
  const rendered = renderBrandedEmail({
    brand: emailBrandOf(tenant, input.portalUrl),
    preheader: `${who} replied to your request #${ticket.number}`,
    heading: `New reply to #${ticket.number}: ${ticket.title}`,
    paragraphs: [`Hello ${input.recipientName},`, `${who} wrote:`, ...(input.body.trim() ? [input.body] : []), ...files],
    button: { label: 'View the request', url },
    footer: [`${tenant.name} · ${input.portalUrl}`, 'Reply in the portal; replies to this email are not received.'],
  });
  return {
    from: { name: tenant.name, address: input.fromAddress },
    to: input.to,
    subject: `Re: [#${ticket.number}] ${ticket.title}`,
    text: rendered.text,
    html: rendered.html,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
}
