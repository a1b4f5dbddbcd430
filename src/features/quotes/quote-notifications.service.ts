import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { AppContext } from '../../platform/context.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { enqueueMail } from '../../platform/mail/send-mail.job.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { issueDeepLink } from '../auth/portal-deep-link.service.js';
import { portalUrlOf } from '../auth/portal-sign-in-link.service.js';
import { findContactById, getClient } from '../clients/client.service.js';
import { listNotificationRecipients } from '../notifications/notification-recipients.service.js';
import { ensureReplyAddress } from '../notifications/reply-address.service.js';
import { findTenantById, type Tenant } from '../tenants/tenant.service.js';
import { quoteFileName, renderQuoteDocument } from './quote-document.service.js';
import {
  renderQuoteAcceptedEmail,
  renderQuoteSentEmail,
  renderQuoteTeamEmail,
  type QuoteMailFacts,
  type QuoteTeamNews,
} from './quote-email.js';
import { QUOTE_OPEN_FOR_CUSTOMER } from './quote.domain.js';
import * as repo from './quote.repository.js';
import { expireLapsedQuotesEverywhere, QUOTE_ACCEPTED_EMAIL_JOB } from './quote.service.js';

/**
 * The quote emails' outbox side. Customer emails are jobs of their own, because what they carry
 * is made when they are sent: a deep link's token exists only in the email (never in the outbox),
 * and the signed PDF is rendered by the worker. Team emails are rendered in the transaction of the
 * change and go through the plain mail job.
 */

export interface QuoteMailDeps extends AppContext {
  readonly mailer: Mailer;
  readonly files: FileStore;
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly fromAddress: string;
}

export interface QuoteNoticeContext {
  readonly clock: Clock;
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly fromAddress: string;
}

const ZQuoteEmailJob = z.object({ tenantId: z.string(), quoteId: z.string(), version: z.number().int(), contactId: z.string() });

function factsOf(quote: repo.Quote): QuoteMailFacts {
  return {
    number: quote.number,
    version: quote.currentVersion,
    title: quote.title,
    total: quote.total,
    currency: quote.currency,
    validUntil: quote.validUntil,
  };
}

async function activeTenant(ctx: AppContext, tenantId: string): Promise<Tenant | undefined> {
  const tenant = await findTenantById(ctx.db, tenantId);
  return tenant?.status === 'active' ? tenant : undefined;
}

/**
 * `quotes.send_email`: one recipient of a sent version. Nothing is sent, without failing, when the
 * version is no longer current or open (the newer version has its own email), or the contact is
 * gone, disabled or no longer the client's: a retry would not change that.
 */
export function createQuoteSendEmailHandler(
  deps: QuoteMailDeps & { readonly appSecret: string; readonly inboundDomain: string },
): JobHandler {
  return async (rawPayload) => {
    const payload = ZQuoteEmailJob.parse(rawPayload);
    const tenant = await activeTenant(deps, payload.tenantId);
    if (!tenant) return;
    const scope = forTenant(deps.db, tenant.id);
    const quote = await repo.findQuote(scope, payload.quoteId);
    if (!quote || quote.currentVersion !== payload.version || !QUOTE_OPEN_FOR_CUSTOMER.includes(quote.status)) return;
    const contact = await findContactById(scope, payload.contactId);
    if (!contact || contact.status !== 'active' || contact.clientId !== quote.clientId) return;
    const portalUrl = portalUrlOf(deps, tenant);
    const link = await issueDeepLink(scope, deps.clock, {
      contact,
      portalUrl,
      landingPath: `/quotes/${quote.id}`,
      purpose: 'quote',
    });
    // A quote on a ticket: answering the email reaches that ticket as the contact (their own reply address).
    const replyTo = quote.ticketId
      ? await ensureReplyAddress(scope, deps.clock, deps.appSecret, deps.inboundDomain, { ticketId: quote.ticketId, contactId: contact.id })
      : undefined;
    const mail = renderQuoteSentEmail({
      tenant,
      portalUrl,
      fromAddress: deps.fromAddress,
      to: contact.email,
      recipientName: contact.name,
      quote: factsOf(quote),
      link: link.url,
      linkExpiresAt: link.expiresAt,
    });
    await deps.mailer.send(replyTo ? { ...mail, replyTo } : mail);
  };
}

/** Queues the acceptance confirmation (with the signed PDF) to the contact who accepted; in the acceptance's transaction. */
export async function queueQuoteAcceptedEmail(scope: TenantScope, clock: Clock, quote: repo.Quote, contactId: string): Promise<void> {
  await enqueueJob(scope, clock, {
    kind: QUOTE_ACCEPTED_EMAIL_JOB,
    tenantId: scope.tenantId,
    payload: { tenantId: scope.tenantId, quoteId: quote.id, version: quote.currentVersion, contactId },
    dedupeKey: `quote-accepted:${quote.id}`,
  });
}

/** `quotes.accepted_email`: renders the signed PDF and mails it to the contact who accepted. */
export function createQuoteAcceptedEmailHandler(deps: QuoteMailDeps): JobHandler {
  return async (rawPayload) => {
    const payload = ZQuoteEmailJob.parse(rawPayload);
    const tenant = await activeTenant(deps, payload.tenantId);
    if (!tenant) return;
    const scope = forTenant(deps.db, tenant.id);
    const quote = await repo.findQuote(scope, payload.quoteId);
    const acceptance = await repo.findQuoteAcceptance(scope, payload.quoteId);
    if (!quote || !acceptance) return;
    const version = await repo.findQuoteVersion(scope, quote.id, acceptance.version);
    const contact = await findContactById(scope, acceptance.contactId);
    if (!version || !contact || contact.status !== 'active') return;
    const pdf = await renderQuoteDocument(scope, deps.files, { tenant, quote, version, acceptance });
    await deps.mailer.send(
      renderQuoteAcceptedEmail({
        tenant,
        portalUrl: portalUrlOf(deps, tenant),
        fromAddress: deps.fromAddress,
        to: contact.email,
        signerName: acceptance.signerName,
        quote: { ...factsOf(quote), version: acceptance.version, title: version.title, total: version.total },
        acceptedAt: acceptance.acceptedAt,
        pdf: { fileName: quoteFileName(quote, acceptance.version), content: pdf },
      }),
    );
  };
}

/**
 * Tells the organisation's notification recipients that a customer opened, accepted or declined
 * a quote: one email each, queued in the caller's transaction.
 */
export async function queueQuoteTeamEmails(
  scope: TenantScope,
  ctx: QuoteNoticeContext,
  tenant: Tenant,
  quote: repo.Quote,
  news: QuoteTeamNews,
  contactId: string,
  detail: string | null = null,
): Promise<void> {
  const contact = await findContactById(scope, contactId);
  const client = await getClient(scope, quote.clientId);
  const customer = contact ? `${contact.name} <${contact.email}>` : 'A customer';
  for (const member of await listNotificationRecipients(scope)) {
    const mail = renderQuoteTeamEmail({
      tenant,
      portalUrl: portalUrlOf(ctx, tenant),
      publicUrl: ctx.publicUrl,
      fromAddress: ctx.fromAddress,
      to: member.email,
      quoteId: quote.id,
      quote: factsOf(quote),
      news,
      customer,
      clientName: client.name,
      detail,
    });
    await enqueueMail(scope, ctx.clock, mail, {
      tenantId: tenant.id,
      dedupeKey: `quote-${news}:${quote.id}:v${quote.currentVersion}:${member.id}`,
    });
  }
}

/** The worker's recurring sweep: quotes past the end of their valid-until day become expired, in every organisation. */
export function createExpireQuotesHandler(ctx: AppContext): JobHandler {
  return async () => {
    await expireLapsedQuotesEverywhere(ctx);
  };
}
