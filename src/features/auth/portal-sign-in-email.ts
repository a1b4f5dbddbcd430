import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import type { Tenant } from '../tenants/tenant.service.js';

export interface SignInEmailInput {
  readonly tenant: Tenant;
  /** The portal's public base URL (tenant configuration only, never request headers). */
  readonly portalUrl: string;
  readonly to: string;
  readonly recipientName: string;
  readonly link: string;
  readonly code: string;
  readonly expiresAt: Date;
  readonly fromAddress: string;
}

/** Formats the code as two groups of four for reading aloud or typing (`ABCD-EFGH`). */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The sign-in email: the organisation's name as sender, its logo and colour, a button, the
 * expiry date in the organisation's locale and time zone, and the one-time code for another device.
 */
export function renderSignInEmail(input: SignInEmailInput): OutgoingMail {
  const { tenant } = input;
  const expires = new Intl.DateTimeFormat(tenant.locale, { dateStyle: 'full', timeStyle: 'short', timeZone: tenant.timeZone }).format(
    input.expiresAt,
  );
  const { html, text } = renderBrandedEmail({
    brand: emailBrandOf(tenant, input.portalUrl),
    preheader: `Your sign-in link for ${tenant.name}`,
    heading: `Sign in to ${tenant.name}`,
    paragraphs: [
      `Hello ${input.recipientName},`,
      `Use the button below to sign in and see your requests with ${tenant.name}. The link works once and expires on ${expires}.`,
    ],
    button: { label: 'Sign in', url: input.link },
    code: { label: 'Signing in on another device? Enter this code there', value: formatCode(input.code) },
    footer: [
      `If you did not ask to sign in, you can ignore this email: nobody can sign in without this link or code.`,
      `${tenant.name} · ${input.portalUrl}`,
    ],
  });
  return {
    from: { name: tenant.name, address: input.fromAddress },
    to: input.to,
    subject: `Your sign-in link for ${tenant.name}`,
    text,
    html,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
}
