import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import type { Tenant } from '../tenants/tenant.service.js';
import { formatMoney, safeLocale } from './pdf/money.js';
import { quoteNumberText } from './quote.domain.js';

/**
 * The quote emails: to a customer when a quote is sent (or a new version of it), to a customer
 * who accepted (with the signed PDF), and to the team when a customer looks at, accepts or
 * declines one. All in the organisation's name, colours, locale and time zone; never ours.
 */

export interface QuoteMailFacts {
  readonly number: number;
  readonly version: number;
  readonly title: string;
  readonly total: number;
  readonly currency: string;
  readonly validUntil: string | null;
}

const AUTOMATED = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };

function label(quote: QuoteMailFacts): string {
  return `${quoteNumberText(quote.number)}${quote.version > 1 ? ` (v${quote.version})` : ''}`;
}

/** "12 May 2027" for a YYYY-MM-DD date, in the organisation's locale. */
export function formatQuoteDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(safeLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

export function quoteTotalText(tenant: Tenant, quote: QuoteMailFacts): string {
  return formatMoney(quote.total, quote.currency, tenant.locale);
}

/** To one recipient of a sent quote: the total, the validity and a deep link straight to it. */
export function renderQuoteSentEmail(input: {
  tenant: Tenant;
  portalUrl: string;
  fromAddress: string;
  to: string;
  recipientName: string;
  quote: QuoteMailFacts;
  link: string;
  linkExpiresAt: Date;
}): OutgoingMail {
  const { tenant, quote } = input;
  const total = quoteTotalText(tenant, quote);
  const revised = quote.version > 1;
  const expires = new Intl.DateTimeFormat(safeLocale(tenant.locale), { dateStyle: 'long', timeZone: tenant.timeZone }).format(
    input.linkExpiresAt,
  );
  const subject = revised
    ? `Updated quote ${label(quote)} from ${tenant.name}: ${quote.title}`
    : `Quote ${label(quote)} from ${tenant.name}: ${quote.title}`;
  const { html, text } = renderBrandedEmail({
    brand: emailBrandOf(tenant, input.portalUrl),
    preheader: `${quote.title} · ${total}`,
    heading: revised ? `An updated quote for you: ${quote.title}` : `A quote for you: ${quote.title}`,
    paragraphs: [
      `Hello ${input.recipientName},`,
      revised
        ? `${tenant.name} has updated quote ${quoteNumberText(quote.number)}. This version (v${quote.version}) replaces the earlier one. The total is ${total}.`
        : `${tenant.name} has sent you quote ${quoteNumberText(quote.number)} for ${total}.`,
      quote.validUntil ? `It is valid until ${formatQuoteDate(quote.validUntil, tenant.locale)}.` : 'It has no end date.',
      'Open it to read the details and terms, and to accept it, decline it or ask for changes.',
    ],
    button: { label: `View quote ${quoteNumberText(quote.number)}`, url: input.link },
    footer: [
      `The button signs you in once, until ${expires}. After that, sign in at ${input.portalUrl} to find this quote.`,
      `${tenant.name} · ${input.portalUrl}`,
    ],
  });
  return { from: { name: tenant.name, address: input.fromAddress }, to: input.to, subject, text, html, headers: AUTOMATED };
}

/** To the customer who accepted: the confirmation, with the signed PDF attached. */
export function renderQuoteAcceptedEmail(input: {
  tenant: Tenant;
  portalUrl: string;
  fromAddress: string;
  to: string;
  signerName: string;
  quote: QuoteMailFacts;
  acceptedAt: Date;
  pdf: { readonly fileName: string; readonly content: Buffer };
}): OutgoingMail {
  const { tenant, quote } = input;
  const at = new Intl.DateTimeFormat(safeLocale(tenant.locale), {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: tenant.timeZone,
  }).format(input.acceptedAt);
  const { html, text } = renderBrandedEmail({
    brand: emailBrandOf(tenant, input.portalUrl),
    preheader: `You accepted ${label(quote)} for ${quoteTotalText(tenant, quote)}`,
    heading: `You accepted quote ${label(quote)}`,
    paragraphs: [
      `Hello ${input.signerName},`,
      `Thank you. You accepted quote ${label(quote)}, “${quote.title}”, for ${quoteTotalText(tenant, quote)} on ${at}.`,
      `The signed quote is attached as a PDF for your records. ${tenant.name} has been told and will be in touch.`,
    ],
    button: { label: 'Open your portal', url: input.portalUrl },
    footer: [`${tenant.name} · ${input.portalUrl}`],
  });
  return {
    from: { name: tenant.name, address: input.fromAddress },
    to: input.to,
    subject: `You accepted quote ${label(quote)} from ${tenant.name}`,
    text,
    html,
    headers: AUTOMATED,
    attachments: [{ filename: input.pdf.fileName, contentType: 'application/pdf', content: input.pdf.content }],
  };
}

export type QuoteTeamNews = 'viewed' | 'accepted' | 'declined';

/** To a member told about customer activity: a customer looked at, accepted or declined a quote. */
export function renderQuoteTeamEmail(input: {
  tenant: Tenant;
  portalUrl: string;
  publicUrl: string;
  fromAddress: string;
  to: string;
  quoteId: string;
  quote: QuoteMailFacts;
  news: QuoteTeamNews;
  customer: string;
  clientName: string;
  detail: string | null;
}): OutgoingMail {
  const { tenant, quote } = input;
  const what = { viewed: 'opened', accepted: 'accepted', declined: 'declined' }[input.news];
  const subject = `[${quoteNumberText(quote.number)}] ${input.customer} ${what} “${quote.title}”`;
  const paragraphs = [
    `${input.customer} (${input.clientName}) ${what} quote ${label(quote)}, “${quote.title}”, for ${quoteTotalText(tenant, quote)}.`,
  ];
  if (input.news === 'accepted') paragraphs.push('The signed PDF and the audit trail are on the quote’s page.');
  if (input.news === 'declined') paragraphs.push(input.detail ? `Their reason: “${input.detail}”` : 'They gave no reason.');
  if (input.news === 'viewed') paragraphs.push('This is the first time a customer opened it.');
  const { html, text } = renderBrandedEmail({
    brand: emailBrandOf(tenant, input.portalUrl),
    preheader: subject,
    heading: `Quote ${label(quote)} ${what}`,
    paragraphs,
    button: { label: 'Open the quote', url: `${input.publicUrl}/app/quotes/${encodeURIComponent(input.quoteId)}` },
    footer: ['You receive this because you are told about customer activity in this organisation.'],
  });
  return { from: { name: tenant.name, address: input.fromAddress }, to: input.to, subject, text, html, headers: AUTOMATED };
}
