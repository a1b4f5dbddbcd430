import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import type { Tenant } from '../tenants/tenant.service.js';

const SYSTEM_HEADERS = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } as const;

/** The team app's own emails are about the person's account, not one organisation: a neutral brand. */
const TEAM_APP_BRAND = { name: 'Servelo', logoUrl: null, accentColor: '#1f2937', accentTextColor: '#ffffff' } as const;

export function renderPasswordResetEmail(input: {
  to: string;
  recipientName: string;
  link: string;
  validMinutes: number;
  fromAddress: string;
  appUrl: string;
}): OutgoingMail {
  const { html, text } = renderBrandedEmail({
    brand: TEAM_APP_BRAND,
    preheader: 'Reset your password',
    heading: 'Reset your password',
    paragraphs: [
      `Hello ${input.recipientName},`,
      `Use the button below to choose a new password. The link works once and expires in ${input.validMinutes} minutes. Setting a new password signs you out everywhere.`,
    ],
    button: { label: 'Choose a new password', url: input.link },
    footer: ['If you did not ask for this, ignore this email: your password stays as it is.', input.appUrl],
  });
  return {
    from: { name: TEAM_APP_BRAND.name, address: input.fromAddress },
    to: input.to,
    subject: 'Reset your password',
    text,
    html,
    headers: SYSTEM_HEADERS,
  };
}

export function renderInvitationEmail(input: {
  tenant: Tenant;
  to: string;
  recipientName: string;
  inviterName: string | null;
  role: string;
  link: string;
  expiresAt: Date;
  fromAddress: string;
  /** PUBLIC_URL: the app and the organisation's logo are linked from it, never from request headers. */
  publicUrl: string;
}): OutgoingMail {
  const { tenant } = input;
  const expires = new Intl.DateTimeFormat(tenant.locale, { dateStyle: 'full', timeStyle: 'short', timeZone: tenant.timeZone }).format(
    input.expiresAt,
  );
  const who = input.inviterName ? `${input.inviterName} invited you` : 'You are invited';
  const { html, text } = renderBrandedEmail({
    brand: emailBrandOf(tenant, `${input.publicUrl}/portal/${tenant.slug}`),
    preheader: `Join ${tenant.name} on the team app`,
    heading: `Join ${tenant.name}`,
    paragraphs: [
      `Hello ${input.recipientName},`,
      `${who} to answer customers of ${tenant.name} as ${input.role === 'agent' ? 'an agent' : `an ${input.role}`}. The invitation works once and expires on ${expires}.`,
    ],
    button: { label: 'Accept the invitation', url: input.link },
    footer: ['If you did not expect this, ignore this email: nothing happens unless you accept.', `${input.publicUrl}/app`],
  });
  return {
    from: { name: tenant.name, address: input.fromAddress },
    to: input.to,
    subject: `You are invited to join ${tenant.name}`,
    text,
    html,
    headers: SYSTEM_HEADERS,
  };
}
