import { X509Certificate } from 'node:crypto';
import acme from 'acme-client';
import type { Config } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { acmeClientFor, type AcmeSettings, describeAcmeError } from './acme.service.js';
import { ISSUE_CERTIFICATE_JOB } from './certificate-jobs.js';
import { certificateKeyFrom, decryptSecretText, encryptSecretText } from './certificate-crypto.js';
import { customDomainsChanged } from './custom-domain-changes.js';
import { certificateChanged } from './certificate-events.js';
import { queueCertificateProblemEmails } from './certificate-email.js';
import {
  certificateBackoffMs,
  checkUploadedCertificate,
  type DomainCertificate,
  factsOf,
  parseCertificateChain,
  RENEW_BEFORE_MS,
  toDomainCertificate,
} from './certificate.domain.js';
import {
  countActiveCertificates,
  findTenantOfCertificate,
  findTenantOfDomain,
  deleteChallenge,
  findActiveCertificateRow,
  findCertificateRow,
  findDomainRow,
  insertActiveCertificate,
  insertChallenge,
  listCertificateRows,
  markCertificateRevoked,
  updateDomainRow,
} from './certificate.repository.js';
import { type CustomDomain, toCustomDomain } from './custom-domain.domain.js';

/** Who acts, for the audit log. */
export type CertificateActor = { readonly kind: 'operator'; readonly id: string } | { readonly kind: 'system' };

export interface CertificateContext extends AppContext {
  /** ACME issuance; null: a proxy (Caddy on-demand TLS) issues, Servelo only approves. */
  readonly acme: AcmeSettings | null;
  /** The at-rest key (certificate-crypto.ts). */
  readonly certificateKey: Buffer;
  readonly publicUrl: string;
  /** PORTAL_SUBDOMAIN_BASE, for links to the organisation's portal. */
  readonly portalSubdomainBase?: string | null;
  readonly fromAddress: string;
  /** Nudges the in-process worker after a commit that queued a job. */
  readonly wakeWorker?: () => void;
}

/** The service context from the process's config and deps. */
export function certificateContextOf(
  config: Config,
  deps: AppContext & { readonly appSecret: string; readonly wakeWorker: () => void },
): CertificateContext {
  return {
    db: deps.db,
    clock: deps.clock,
    acme: config.domains.acme,
    certificateKey: certificateKeyFrom({ keySecret: config.domains.keySecret, appSecret: deps.appSecret }),
    publicUrl: config.http.publicUrl,
    portalSubdomainBase: config.domains.subdomainBase,
    fromAddress: config.mail.fromAddress,
    wakeWorker: () => deps.wakeWorker(),
  };
}

export const certificatePurpose = (certificateId: string, part: 'cert' | 'key') => `domain_certificate:${certificateId}:${part}`;

const auditActor = (by: CertificateActor) =>
  by.kind === 'operator' ? { kind: 'operator' as const, id: by.id } : { kind: 'system' as const };

async function scopeOfDomain(ctx: AppContext, domainId: string): Promise<string> {
  const tenantId = await findTenantOfDomain(ctx.db, domainId);
  if (!tenantId) throw new AppError('DOMAIN_NOT_FOUND');
  return tenantId;
}

async function loadDomain(scope: TenantScope, domainId: string): Promise<CustomDomain> {
  const row = await findDomainRow(scope, domainId);
  if (!row) throw new AppError('DOMAIN_NOT_FOUND');
  return toCustomDomain(row);
}

/**
 * The operator approves a verified domain: with ACME configured it goes `issuing` and the worker
 * obtains the certificate; without (a proxy issues on demand) it is `active` at once.
 */
export async function approveAndIssue(ctx: CertificateContext, domainId: string, by: CertificateActor): Promise<CustomDomain> {
  const tenantId = await scopeOfDomain(ctx, domainId);
  const domain = await inTransaction(ctx.db, async (trx) => {
    const scope = forTenant(trx, tenantId);
    const current = await loadDomain(scope, domainId);
    if (current.status !== 'verified') throw new AppError('DOMAIN_NOT_VERIFIED');
    const now = ctx.clock.now();
    const at = toDbTime(now);
    await updateDomainRow(scope, domainId, {
      status: ctx.acme ? 'issuing' : 'active',
      approved_at: at,
      ...(ctx.acme ? {} : { activated_at: at }),
      certificate_error: null,
      certificate_attempts: 0,
      certificate_next_attempt_at: null,
      updated_at: at,
    });
    if (ctx.acme) {
      await enqueueJob(scope, ctx.clock, {
        kind: ISSUE_CERTIFICATE_JOB,
        payload: { domainId },
        tenantId,
        dedupeKey: `${ISSUE_CERTIFICATE_JOB}:approve:${domainId}:${at}`,
      });
    }
    await recordAuditEvent(scope, ctx.clock, {
      tenantId,
      actor: auditActor(by),
      action: 'domain.approved',
      subject: { kind: 'custom_domain', id: domainId },
      data: { host: current.host, issuer: ctx.acme ? 'acme' : 'proxy' },
    });
    return loadDomain(scope, domainId);
  });
  ctx.wakeWorker?.();
  // Approved: the TLS ask endpoint and (without ACME, now active) the host router learn it at once.
  customDomainsChanged();
  return domain;
}

/** The operator asks for a new ACME certificate now, whatever the expiry (queued for the worker). */
export async function renewCertificate(ctx: CertificateContext, domainId: string, by: CertificateActor): Promise<void> {
  const tenantId = await scopeOfDomain(ctx, domainId);
  await inTransaction(ctx.db, async (trx) => {
    const scope = forTenant(trx, tenantId);
    const domain = await loadDomain(scope, domainId);
    if (!ctx.acme || (domain.status !== 'active' && domain.status !== 'issuing' && domain.status !== 'lapsed')) {
      throw new AppError(
        'DOMAIN_NOT_VERIFIED',
        'Only a domain with a certificate (or one being issued) can be renewed, and only with ACME configured.',
      );
    }
    await enqueueJob(scope, ctx.clock, {
      kind: ISSUE_CERTIFICATE_JOB,
      payload: { domainId, force: true },
      tenantId,
      dedupeKey: `${ISSUE_CERTIFICATE_JOB}:renew:${domainId}:${toDbTime(ctx.clock.now())}`,
    });
    await recordAuditEvent(scope, ctx.clock, {
      tenantId,
      actor: auditActor(by),
      action: 'domain.certificate_renewal_requested',
      subject: { kind: 'custom_domain', id: domainId },
      data: { host: domain.host },
    });
  });
  ctx.wakeWorker?.();
}

/** Every certificate of a domain, newest first (no PEM, no key). */
export async function listCertificates(ctx: AppContext, domainId: string): Promise<DomainCertificate[]> {
  const tenantId = await scopeOfDomain(ctx, domainId);
  return (await listCertificateRows(forTenant(ctx.db, tenantId), domainId)).map(toDomainCertificate);
}

/**
 * An operator uploads a PEM chain and key for the domain: validated (codes per problem), stored
 * encrypted, served at once; the domain becomes active (approved).
 */
export async function uploadCertificate(
  ctx: CertificateContext,
  domainId: string,
  input: { certPem: string; keyPem: string },
  by: CertificateActor,
): Promise<DomainCertificate> {
  const tenantId = await scopeOfDomain(ctx, domainId);
  const result = await inTransaction(ctx.db, async (trx) => {
    const scope = forTenant(trx, tenantId);
    const domain = await loadDomain(scope, domainId);
    if (domain.status === 'pending_dns' || domain.status === 'failed') throw new AppError('DOMAIN_NOT_VERIFIED');
    const now = ctx.clock.now();
    const check = checkUploadedCertificate(input, domain.host, now);
    if (!check.ok) throw new AppError(check.problem, check.message);
    const at = toDbTime(now);
    const id = newId();
    await storeCertificate(ctx, scope, { id, domain, source: 'upload', chainPem: check.chainPem, keyPem: check.keyPem, at });
    await updateDomainRow(scope, domainId, {
      status: domain.status === 'lapsed' ? 'lapsed' : 'active',
      approved_at: domain.approvedAt ? toDbTime(domain.approvedAt) : at,
      activated_at: domain.activatedAt ? toDbTime(domain.activatedAt) : at,
      certificate_error: null,
      certificate_attempts: 0,
      certificate_next_attempt_at: null,
      updated_at: at,
    });
    await recordAuditEvent(scope, ctx.clock, {
      tenantId,
      actor: auditActor(by),
      action: 'domain.certificate_uploaded',
      subject: { kind: 'domain_certificate', id },
      data: { host: domain.host, serial: check.facts.serial, notAfter: check.facts.notAfter.toISOString() },
    });
    const row = await findCertificateRow(scope, id);
    return { host: domain.host, certificate: toDomainCertificate(row!) };
  });
  certificateChanged(result.host);
  return result.certificate;
}

/**
 * Revokes a certificate: at the CA for an ACME one, then it is no longer served. The domain goes
 * back to `verified` (approval cleared) unless another active certificate remains.
 */
export async function revokeCertificate(
  ctx: CertificateContext,
  certificateId: string,
  reason: string,
  by: CertificateActor,
): Promise<DomainCertificate> {
  const tenantId = await findTenantOfCertificate(ctx.db, certificateId);
  if (!tenantId) throw new AppError('CERTIFICATE_NOT_FOUND');
  const row = await findCertificateRow(forTenant(ctx.db, tenantId), certificateId);
  if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
  if (row.status === 'revoked') return toDomainCertificate(row);
  if (row.source === 'acme' && ctx.acme) {
    const chainPem = decryptSecretText(ctx.certificateKey, certificatePurpose(row.id, 'cert'), row.cert_ciphertext);
    try {
      const client = await acmeClientFor({ ...ctx, acme: ctx.acme });
      await client.revokeCertificate(chainPem, { reason: 0 });
    } catch (cause) {
      throw new AppError('SERVICE_UNAVAILABLE', `The certificate authority did not revoke the certificate: ${describeAcmeError(cause)}`, {
        cause,
        headers: { 'Retry-After': '60' },
      });
    }
  }
  const revoked = await inTransaction(ctx.db, async (trx) => {
    const scope = forTenant(trx, tenantId);
    const at = toDbTime(ctx.clock.now());
    await markCertificateRevoked(scope, certificateId, reason.slice(0, 500), at);
    if ((await countActiveCertificates(scope, row.domain_id)) === 0) {
      const domain = await loadDomain(scope, row.domain_id);
      if (domain.status === 'active' || domain.status === 'issuing' || domain.status === 'lapsed') {
        await updateDomainRow(scope, row.domain_id, { status: 'verified', approved_at: null, activated_at: null, updated_at: at });
      }
    }
    await recordAuditEvent(scope, ctx.clock, {
      tenantId,
      actor: auditActor(by),
      action: 'domain.certificate_revoked',
      subject: { kind: 'domain_certificate', id: certificateId },
      data: { host: row.host, serial: row.serial, source: row.source, reason: reason.slice(0, 500) },
    });
    return toDomainCertificate((await findCertificateRow(scope, certificateId))!);
  });
  certificateChanged(row.host);
  return revoked;
}

async function storeCertificate(
  ctx: CertificateContext,
  scope: TenantScope,
  input: { id: string; domain: CustomDomain; source: 'acme' | 'upload'; chainPem: string; keyPem: string; at: string },
): Promise<void> {
  const leaf = parseCertificateChain(input.chainPem)[0];
  if (!leaf) throw new Error('the certificate authority returned no certificate');
  const facts = factsOf(leaf);
  await insertActiveCertificate(scope, {
    id: input.id,
    domain_id: input.domain.id,
    host: input.domain.host,
    source: input.source,
    cert_ciphertext: encryptSecretText(ctx.certificateKey, certificatePurpose(input.id, 'cert'), input.chainPem),
    key_ciphertext: encryptSecretText(ctx.certificateKey, certificatePurpose(input.id, 'key'), input.keyPem),
    issuer: facts.issuer,
    serial: facts.serial,
    fingerprint: facts.fingerprint,
    not_before: toDbTime(facts.notBefore),
    not_after: toDbTime(facts.notAfter),
    created_at: input.at,
  });
}

/** How long a stored key authorisation is answered. */
const CHALLENGE_TTL_MS = 60 * 60_000;

/**
 * The `domains.issue_certificate` job: obtains a certificate for the domain over ACME (HTTP-01,
 * answered by the challenge route) when it is approved and waiting (`issuing`), or due for renewal
 * (or `force`d by the operator). A failure is recorded on the domain with a backoff and a retry
 * job; the job itself succeeds, so a CA that is down never makes it dead.
 */
export async function issueCertificateForDomain(
  ctx: CertificateContext,
  tenantId: string,
  domainId: string,
  options: { force?: boolean } = {},
): Promise<'issued' | 'failed' | 'skipped'> {
  if (!ctx.acme) return 'skipped';
  const settings = ctx.acme;
  const scope = forTenant(ctx.db, tenantId);
  const row = await findDomainRow(scope, domainId);
  if (!row) return 'skipped';
  const domain = toCustomDomain(row);
  const now = ctx.clock.now();
  const current = await findActiveCertificateRow(scope, domainId);
  const firstIssue = domain.status === 'issuing' || (domain.status === 'verified' && domain.approvedAt !== null);
  const renewal =
    (domain.status === 'active' || domain.status === 'lapsed') &&
    (options.force === true || !current || new Date(current.not_after).getTime() - RENEW_BEFORE_MS <= now.getTime());
  if (!firstIssue && !renewal) return 'skipped';
  if (!options.force && domain.certificateNextAttemptAt && domain.certificateNextAttemptAt.getTime() > now.getTime()) return 'skipped';
  if (domain.status === 'verified') {
    await updateDomainRow(scope, domainId, { status: 'issuing', updated_at: toDbTime(now) });
  }

  let chainPem: string;
  let keyPem: string;
  try {
    ({ chainPem, keyPem } = await orderCertificate({ ...ctx, acme: settings }, scope, domain.host));
  } catch (error) {
    await recordFailure(ctx, tenantId, domain, describeAcmeError(error), renewal);
    return 'failed';
  }
  await inTransaction(ctx.db, async (trx) => {
    const txScope = forTenant(trx, tenantId);
    const at = toDbTime(ctx.clock.now());
    const id = newId();
    await storeCertificate(ctx, txScope, { id, domain, source: 'acme', chainPem, keyPem, at });
    const fresh = toCustomDomain((await findDomainRow(txScope, domainId))!);
    await updateDomainRow(txScope, domainId, {
      status: fresh.status === 'lapsed' ? 'lapsed' : 'active',
      activated_at: fresh.activatedAt ? toDbTime(fresh.activatedAt) : at,
      certificate_error: null,
      certificate_attempts: 0,
      certificate_next_attempt_at: null,
      updated_at: at,
    });
    const leaf = new X509Certificate(chainPem);
    await recordAuditEvent(txScope, ctx.clock, {
      tenantId,
      actor: { kind: 'system' },
      action: renewal ? 'domain.certificate_renewed' : 'domain.certificate_issued',
      subject: { kind: 'domain_certificate', id },
      data: { host: domain.host, serial: leaf.serialNumber.toLowerCase(), notAfter: new Date(leaf.validTo).toISOString() },
    });
  });
  certificateChanged(domain.host);
  return 'issued';
}

/** One ACME order for the host: HTTP-01 answered from the database, a fresh P-256 key and CSR. */
async function orderCertificate(
  ctx: CertificateContext & { acme: AcmeSettings },
  scope: TenantScope,
  host: string,
): Promise<{ chainPem: string; keyPem: string }> {
  const client = await acmeClientFor(ctx);
  const order = await client.createOrder({ identifiers: [{ type: 'dns', value: host }] });
  for (const authz of await client.getAuthorizations(order)) {
    if (authz.status === 'valid') continue;
    const challenge = authz.challenges.find((c) => c.type === 'http-01');
    if (!challenge) throw new Error('the certificate authority offered no HTTP-01 challenge');
    const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
    const challengeId = newId();
    const now = ctx.clock.now();
    await insertChallenge(scope, {
      id: challengeId,
      host,
      token: challenge.token,
      keyAuthorization,
      now: toDbTime(now),
      expiresAt: toDbTime(new Date(now.getTime() + CHALLENGE_TTL_MS)),
    });
    try {
      await client.completeChallenge(challenge);
      await client.waitForValidStatus(challenge);
    } finally {
      await deleteChallenge(scope, challengeId);
    }
  }
  const [key, csr] = await acme.crypto.createCsr({ commonName: host, altNames: [host] }, await acme.crypto.createPrivateEcdsaKey('P-256'));
  const finalized = await client.finalizeOrder(order, csr);
  const chainPem = await client.getCertificate(finalized);
  return { chainPem, keyPem: key.toString() };
}

async function recordFailure(
  ctx: CertificateContext,
  tenantId: string,
  domain: CustomDomain,
  reason: string,
  renewal: boolean,
): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const scope = forTenant(trx, tenantId);
    const fresh = toCustomDomain((await findDomainRow(scope, domain.id))!);
    const attempts = fresh.certificateAttempts + 1;
    const now = ctx.clock.now();
    const nextAt = new Date(now.getTime() + certificateBackoffMs(attempts));
    await updateDomainRow(scope, domain.id, {
      certificate_error: reason,
      certificate_attempts: attempts,
      certificate_next_attempt_at: toDbTime(nextAt),
      updated_at: toDbTime(now),
    });
    await enqueueJob(scope, ctx.clock, {
      kind: ISSUE_CERTIFICATE_JOB,
      payload: { domainId: domain.id },
      tenantId,
      runAt: nextAt,
      dedupeKey: `${ISSUE_CERTIFICATE_JOB}:retry:${domain.id}:${toDbTime(nextAt)}`,
    });
    await recordAuditEvent(scope, ctx.clock, {
      tenantId,
      actor: { kind: 'system' },
      action: 'domain.certificate_failed',
      subject: { kind: 'custom_domain', id: domain.id },
      data: { host: domain.host, attempts, reason, nextAttemptAt: nextAt.toISOString() },
    });
    // Once per failure streak: the first failure after a success (or the first ever).
    if (attempts === 1) {
      await queueCertificateProblemEmails(scope, ctx, {
        host: domain.host,
        subject: renewal ? 'The certificate could not be renewed' : 'The certificate could not be issued',
        paragraphs: [
          `Servelo could not obtain a certificate for ${domain.host}: ${reason}`,
          `It will try again automatically (next attempt ${nextAt.toISOString()}).${renewal ? ' The current certificate keeps working until it expires.' : ''}`,
        ],
        dedupeKey: `certificate-failed:${domain.id}:${toDbTime(now)}`,
      });
    }
  });
}

export function createIssueCertificateHandler(ctx: CertificateContext): JobHandler {
  return async (payload, job) => {
    const p = payload as { domainId?: unknown; force?: unknown } | null;
    if (!job.tenantId || typeof p?.domainId !== 'string') throw new Error('domains.issue_certificate needs a tenant and { domainId }');
    await issueCertificateForDomain(ctx, job.tenantId, p.domainId, { force: p.force === true });
  };
}
