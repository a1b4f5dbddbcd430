import type { Clock } from '../../platform/clock.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { renderBrandedEmail } from '../../platform/mail/email-layout.js';
import { enqueueMail } from '../../platform/mail/send-mail.job.js';
import { portalUrlOf } from '../auth/portal-sign-in-link.service.js';
import { listTeamMembers } from '../team/team.service.js';
import { emailBrandOf } from '../tenants/branding.service.js';
import { findTenantById } from '../tenants/tenant.service.js';
import { listOperatorAddresses } from './certificate.repository.js';

export interface CertificateMailContext {
  readonly clock: Clock;
  readonly publicUrl: string;
  readonly fromAddress: string;
}

/**
 * Tells the organisation's active owners and admins and every operator about a certificate
 * problem (a failed issuance or renewal, an uploaded certificate about to expire), queued in the
 * caller's transaction; `dedupeKey` makes it once per occasion (a failure streak, a warning).
 */
export async function queueCertificateProblemEmails(
  scope: TenantScope,
  ctx: CertificateMailContext,
  input: { host: string; subject: string; paragraphs: readonly string[]; dedupeKey: string },
): Promise<void> {
  const tenant = await findTenantById(scope, scope.tenantId);
  if (!tenant) return;
  const members = (await listTeamMembers(scope)).filter((m) => m.status === 'active' && (m.role === 'owner' || m.role === 'admin'));
  const recipients = [
    ...members.map((m) => ({ to: m.email, operator: false })),
    ...(await listOperatorAddresses(scope)).map((to) => ({ to, operator: true })),
  ];
  for (const { to, operator } of recipients) {
    const { html, text } = renderBrandedEmail({
      brand: emailBrandOf(tenant, portalUrlOf(ctx, tenant)),
      preheader: input.subject,
      heading: input.subject,
      paragraphs: operator ? [`Organisation: ${tenant.name}.`, ...input.paragraphs] : input.paragraphs,
      button: operator
        ? { label: 'Open the operator console', url: `${ctx.publicUrl}/operator` }
        : { label: 'Open the team app', url: `${ctx.publicUrl}/app` },
      footer: [
        operator
          ? 'You receive this because you are an operator of this installation.'
          : 'You receive this because you are an owner or admin of this organisation.',
      ],
    });
    await enqueueMail(
      scope,
      ctx.clock,
      {
        from: { name: operator ? 'Servelo' : tenant.name, address: ctx.fromAddress },
        to,
        subject: `${input.subject}: ${input.host}`,
        text,
        html,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      },
      { tenantId: tenant.id, dedupeKey: `${input.dedupeKey}:${to}` },
    );
  }
}
