import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import { maskEmail } from '../auth/portal-auth.presenter.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import type { Tenant } from '../tenants/tenant.service.js';

export interface EmailChangeEmailInput {
  readonly tenant: Tenant;
  /** The portal's public base URL (tenant configuration only, never request headers). */
  readonly portalUrl: string;
  readonly recipientName: string;
  readonly oldEmail: string;
  readonly newEmail: string;
  readonly fromAddress: string;
}

function brandOf(input: EmailChangeEmailInput) {
  return emailBrandOf(input.tenant, input.portalUrl);
}

function mailOf(input: EmailChangeEmailInput, to: string, subject: string, rendered: { html: string; text: string }): OutgoingMail {
  return {
    from: { name: input.tenant.name, address: input.fromAddress },
    to,
    subject,
    text: rendered.text,
    html: rendered.html,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
}

/**
 * The two notices of an email change (SECURITY.md D4). The old address learns that the change
 * happened and where the account went (masked), with no link at all: whoever reads that inbox
 * may no longer be the customer. The new address learns it is now the one to sign in with, and
 * gets the portal's address — never a sign-in link: signing in still needs a fresh link, asked
 * for from the portal and sent to this address.
 */
export function renderEmailChangeEmails(input: EmailChangeEmailInput): { toOld: OutgoingMail; toNew: OutgoingMail } {
  const { tenant } = input;
  const brand = brandOf(input);
  const subject = `Your email address with ${tenant.name} was changed`;
  const toOld = renderBrandedEmail({
    brand,
    preheader: `Your sign-in address with ${tenant.name} is now ${maskEmail(input.newEmail)}`,
    heading: 'Your email address was changed',
    paragraphs: [
      `Hello ${input.recipientName},`,
      `${tenant.name} changed the email address of your account from ${input.oldEmail} to ${maskEmail(input.newEmail)}. Sign-in links are now sent to the new address only, and every device that was signed in has been signed out.`,
      `If you did not expect this, please contact ${tenant.name} directly.`,
    ],
    footer: [`${tenant.name}`],
  });
  const toNew = renderBrandedEmail({
    brand,
    preheader: `This address is now your sign-in address with ${tenant.name}`,
    heading: 'Your email address was changed',
    paragraphs: [
      `Hello ${input.recipientName},`,
      `${tenant.name} changed the email address of your account to ${input.newEmail}. From now on, ask for sign-in links on the portal with this address.`,
      `If you did not expect this, please contact ${tenant.name} directly.`,
    ],
    button: { label: 'Open the portal', url: input.portalUrl },
    footer: [`${tenant.name} · ${input.portalUrl}`],
  });
  return { toOld: mailOf(input, input.oldEmail, subject, toOld), toNew: mailOf(input, input.newEmail, subject, toNew) };
}
