import type { Config } from './config/config.js';
import type { Deps } from './deps.js';
import {
  createProcessImageHandler,
  createSweepFilesHandler,
  PROCESS_IMAGE_JOB,
  SWEEP_FILES_JOB,
} from './features/attachments/file-jobs.js';
import { createScanFileHandler, SCAN_FILE_JOB } from './features/attachments/file-scan.job.js';
import { createSignInLinkHandler, SIGN_IN_LINK_JOB } from './features/auth/portal-sign-in-link.service.js';
import { teamAuthJobHandlers } from './features/auth/team-auth-jobs.js';
import { createDomainCheckHandler, DOMAIN_CHECK_JOB } from './features/domains/custom-domain.service.js';
import { createDnsResolver } from './features/domains/dns-resolver.js';
import { createInboundProcessHandler, INBOUND_PROCESS_JOB } from './features/inbound-mail/inbound-process.job.js';
import { DEFAULT_TICKET_RATE } from './features/inbound-mail/inbound-processing.service.js';
import { createCustomerActivityHandler, CUSTOMER_ACTIVITY_JOB } from './features/notifications/customer-activity.job.js';
import { createCustomerUpdateHandler, CUSTOMER_UPDATE_JOB } from './features/notifications/customer-update.job.js';
import {
  createExpireQuotesHandler,
  createQuoteAcceptedEmailHandler,
  createQuoteSendEmailHandler,
} from './features/quotes/quote-notifications.service.js';
import { QUOTE_ACCEPTED_EMAIL_JOB, QUOTE_EXPIRE_JOB, QUOTE_SEND_EMAIL_JOB } from './features/quotes/quote.service.js';
import { ISSUE_CERTIFICATE_JOB } from './features/domains/certificate-jobs.js';
import { createRenewCertificatesHandler, RENEW_CERTIFICATES_JOB } from './features/domains/certificate-renewal.service.js';
import { certificateContextOf, createIssueCertificateHandler } from './features/domains/certificate.service.js';
import type { JobHandler } from './platform/jobs/worker.js';
import { createSendMailHandler, MAIL_SEND_JOB } from './platform/mail/send-mail.job.js';

/**
 * Every kind of outbox job and the function that runs it, wired explicitly like the routes in
 * app.ts.
 */
export function buildJobHandlers(
  config: Config,
  deps: Deps,
  log: { info: (obj: object, msg: string) => void },
): Record<string, JobHandler> {
  const quoteMail = {
    ...deps,
    publicUrl: config.http.publicUrl,
    portalSubdomainBase: config.domains.subdomainBase,
    fromAddress: config.mail.fromAddress,
    inboundDomain: config.inboundDomain,
  };
  const certificates = certificateContextOf(config, deps);
  const devMailbox = deps.mailer.transport === 'dev-mailbox' && config.env !== 'production';
  return {
    [MAIL_SEND_JOB]: createSendMailHandler(deps.mailer),
    [SIGN_IN_LINK_JOB]: createSignInLinkHandler({
      ...deps,
      publicUrl: config.http.publicUrl,
      portalSubdomainBase: config.domains.subdomainBase,
      fromAddress: config.mail.fromAddress,
      // Development only, so a newcomer can sign in from the terminal too; production never logs links.
      ...(devMailbox ? { logLink: (email: string, link: string) => log.info({ email, link }, `Sign-in link for ${email}: ${link}`) } : {}),
    }),
    ...teamAuthJobHandlers({ ...deps, publicUrl: config.http.publicUrl, fromAddress: config.mail.fromAddress }),
    [SCAN_FILE_JOB]: createScanFileHandler({
      ...deps,
      // Read when called: the server wires the worker's wake-up after the handlers are built.
      wakeWorker: () => deps.wakeWorker(),
      publicUrl: config.http.publicUrl,
      portalSubdomainBase: config.domains.subdomainBase,
      fromAddress: config.mail.fromAddress,
    }),
    [PROCESS_IMAGE_JOB]: createProcessImageHandler(deps),
    [SWEEP_FILES_JOB]: createSweepFilesHandler(deps, {
      tenantQuotaBytes: config.files.tenantQuotaBytes,
      abandonedAfterMs: 2 * config.http.requestTimeoutMs,
    }),
    [QUOTE_SEND_EMAIL_JOB]: createQuoteSendEmailHandler(quoteMail),
    [QUOTE_ACCEPTED_EMAIL_JOB]: createQuoteAcceptedEmailHandler(quoteMail),
    [QUOTE_EXPIRE_JOB]: createExpireQuotesHandler(deps),
    [INBOUND_PROCESS_JOB]: createInboundProcessHandler(
      {
        ...deps,
        publicUrl: config.http.publicUrl,
        portalSubdomainBase: config.domains.subdomainBase,
        fromAddress: config.mail.fromAddress,
        inboundDomain: config.inboundDomain,
        limits: {
          maxFileBytes: config.files.maxFileBytes,
          tenantQuotaBytes: config.files.tenantQuotaBytes,
          ticketQuotaBytes: config.files.ticketQuotaBytes,
        },
        ticketRate: DEFAULT_TICKET_RATE,
      },
      log,
    ),
    [CUSTOMER_ACTIVITY_JOB]: createCustomerActivityHandler({
      ...deps,
      publicUrl: config.http.publicUrl,
      portalSubdomainBase: config.domains.subdomainBase,
      inboundDomain: config.inboundDomain,
      fromAddress: config.mail.fromAddress,
    }),
    [DOMAIN_CHECK_JOB]: createDomainCheckHandler({
      ...deps,
      domains: config.domains,
      resolver: createDnsResolver(config.domains.dnsServers),
      publicUrl: config.http.publicUrl,
      fromAddress: config.mail.fromAddress,
      wakeWorker: () => deps.wakeWorker(),
    }),
    [ISSUE_CERTIFICATE_JOB]: createIssueCertificateHandler(certificates),
    [RENEW_CERTIFICATES_JOB]: createRenewCertificatesHandler(certificates),
    [CUSTOMER_UPDATE_JOB]: createCustomerUpdateHandler({
      ...deps,
      publicUrl: config.http.publicUrl,
      portalSubdomainBase: config.domains.subdomainBase,
      inboundDomain: config.inboundDomain,
      fromAddress: config.mail.fromAddress,
    }),
  };
}
