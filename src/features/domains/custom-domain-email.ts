import type { Clock } from '../../platform/clock.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { enqueueMail } from '../../platform/mail/send-mail.job.js';
import { listTeamMembers } from '../team/team.service.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import { findTenantById, type Tenant } from '../tenants/tenant.service.js';
import type { CustomDomain } from './custom-domain.domain.js';
import { listOperatorEmails } from './custom-domain.repository.js';

export interface DomainMailContext {
  readonly clock: Clock;
  readonly publicUrl: string;
  readonly fromAddress: string;
}

export type DomainNews = { readonly news: 'active' } | { readonly news: 'lapsed'; readonly reason: string; readonly servedUntil: Date };

/**
 * Tells the organisation's active owners and admins, and every operator of the installation, that
 * a custom domain became active or lapsed: one email each, queued in the transition's transaction.
 */
export async function queueDomainNoticeEmails(
  scope: TenantScope,
  ctx: DomainMailContext,
  domain: CustomDomain,
  news: DomainNews,
): Promise<void> {
  const tenant = await findTenantById(scope, scope.tenantId);
  if (!tenant) return;
  const members = (await listTeamMembers(scope)).filter((m) => m.status === 'active' && (m.role === 'owner' || m.role === 'admin'));
  const operators = await listOperatorEmails(scope);
  const recipients = [
    ...members.map((m) => ({ to: m.email, audience: 'team' as const })),
    ...operators.map((to) => ({ to, audience: 'operator' as const })),
  ];
  const seen = new Set<string>();
  const stamp = domain.updatedAt.getTime();
  for (const r of recipients) {
    if (seen.has(r.to)) continue;
    seen.add(r.to);
    const mail = renderDomainNoticeEmail({ tenant, domain, news, ...r, ...ctx });
    await enqueueMail(scope, ctx.clock, mail, { tenantId: tenant.id, dedupeKey: `domain-${news.news}:${domain.id}:${stamp}:${r.to}` });
  }
}

export function renderDomainNoticeEmail(input: {
  tenant: Tenant;
  domain: Pick<CustomDomain, 'host'>;
  news: DomainNews;
  audience: 'team' | 'operator';
  to: string;
  publicUrl: string;
  fromAddress: string;
}): OutgoingMail {
  const { tenant, domain, news } = input;
  // The default address, which keeps working whatever happens to the custom domain.
  const portalUrl = `${input.publicUrl}/portal/${tenant.slug}`;
  const who = input.audience === 'operator' ? `${tenant.name}’s custom domain` : 'Your custom domain';
  const subject = news.news === 'active' ? `${domain.host} is active` : `${domain.host} no longer points to the portal`;
  const paragraphs =
    news.news === 'active'
      ? [
          `${who} ${domain.host} is active: customers can use the portal at https://${domain.host}.`,
          `The default address ${portalUrl} keeps working.`,
        ]
      : [
          `${who} ${domain.host} no longer points to the portal. ${news.reason}`,
          `Customers can still use it until ${news.servedUntil.toISOString().slice(0, 10)}; after that it stops working until DNS is fixed. The default address ${portalUrl} keeps working.`,
          'Fix the DNS records shown in Settings → Portal → Custom domain; the domain comes back by itself at the next check.',
        ];
  const button =
    input.audience === 'team'
      ? { label: 'Open the domain settings', url: `${input.publicUrl}/app/settings/portal` }
      : { label: 'Open the operator console', url: `${input.publicUrl}/operator` };
  const { html, text } = renderBrandedEmail({
    brand: emailBrandOf(tenant, portalUrl),
    preheader: subject,
    heading: news.news === 'active' ? 'Custom domain active' : 'Custom domain lapsed',
    paragraphs,
    button,
    footer: [
      input.audience === 'team'
        ? 'You receive this because you are an owner or admin of this organisation.'
        : 'You receive this because you are an operator of this installation.',
    ],
  });
  return { from: { name: tenant.name, address: input.fromAddress }, to: input.to, subject, text, html };
}
