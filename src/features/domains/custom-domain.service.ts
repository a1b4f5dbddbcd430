import type { Config } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { customDomainsChanged } from './custom-domain-changes.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { generateToken } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
import { getPlatformSettings } from '../operator/platform-settings.service.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { ISSUE_CERTIFICATE_JOB } from './certificate-jobs.js';
import type { CustomDomain } from './custom-domain.domain.js';
import { queueDomainNoticeEmails } from './custom-domain-email.js';
import * as repo from './custom-domain.repository.js';
import type { DnsResolver } from './dns-resolver.js';
import { bareName, type DnsFindings, lookUp, pointingProblem, proofProblem } from './dns-check.js';
import { normaliseClaimedHost } from './hostname.js';

/** The recurring worker job that re-checks custom domains' DNS (every 5 minutes; each domain on its own schedule). */
export const DOMAIN_CHECK_JOB = 'domains.check';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How long a claim waits for its DNS proof before it is marked failed. */
export const PENDING_WINDOW_MS = 7 * DAY;
/** Re-checks of a claim still waiting for DNS, by how many checks failed so far (then hourly). */
const PENDING_BACKOFF_MS = [1 * MINUTE, 5 * MINUTE, 15 * MINUTE, 60 * MINUTE];
/** Re-checks of a proven domain (verified, issuing, active, lapsed). */
const SETTLED_CHECK_MS = DAY;
/** After DNS could not be asked at all, a proven domain is tried again sooner than the daily check. */
const UNREACHABLE_RETRY_MS = 60 * MINUTE;
/** "Check now" at most once per this interval per organisation. */
export const CHECK_NOW_INTERVAL_MS = 10_000;
const SWEEP_BATCH = 50;
const SWEEP_MAX_BATCHES = 20;

export const DNS_UNREACHABLE_REASON = 'We could not reach DNS; we will try again.';
const WAITING_FOR_OPERATOR_REASON = 'DNS is verified; waiting for the operator to issue a certificate.';
const ISSUING_REASON = 'DNS is verified; a certificate is being issued.';

/** What a domain check needs beyond the database: the installation's names, DNS, and what mail needs. */
export interface DomainContext extends AppContext {
  readonly domains: Config['domains'];
  readonly resolver: DnsResolver;
  readonly publicUrl: string;
  readonly fromAddress: string;
  readonly wakeWorker?: () => void;
}

/** The organisation's claim as the team sees it, with its newest certificate. */
export interface CustomDomainView {
  readonly domain: CustomDomain;
  readonly certificate: repo.CertificateSummary | null;
}

async function viewOf(scope: TenantScope, domain: CustomDomain | undefined): Promise<CustomDomainView | null> {
  if (!domain) return null;
  return { domain, certificate: (await repo.findCertificateSummary(scope, domain.id)) ?? null };
}

/**
 * The organisation's custom domain, or null when it has none.
 * @throws FORBIDDEN for agents
 */
export async function getCustomDomain(ctx: AppContext, viewer: TeamViewer): Promise<CustomDomainView | null> {
  requireTeamRole(viewer, 'admin');
  const scope = forTenant(ctx.db, viewer.tenant.id);
  return viewOf(scope, await repo.findDomainOfTenant(scope));
}

/**
 * Claims a host for the organisation, replacing its current claim (whose certificates and
 * challenges go with it). The claim waits for DNS (`pending_dns`) with a fresh random token for
 * the TXT record, and is checked at once by the worker's sweep (next check: now).
 * @throws FORBIDDEN for agents, DOMAIN_INVALID, DOMAIN_TAKEN when another organisation holds the
 *   host (verified or not: the answer does not tell which)
 */
export async function claimCustomDomain(
  ctx: DomainContext,
  viewer: TeamViewer,
  input: string,
  meta: RequestMeta,
): Promise<CustomDomainView> {
  requireTeamRole(viewer, 'admin');
  const host = normaliseClaimedHost(input, ctx.domains);
  const tenantId = viewer.tenant.id;
  try {
    const view = await inTransaction(ctx.db, async (trx) => {
      const holder = await repo.findClaimOfHost(trx, host);
      if (holder && holder.tenantId !== tenantId) throw new AppError('DOMAIN_TAKEN');
      const scope = forTenant(trx, tenantId);
      const current = await repo.findDomainOfTenant(scope);
      if (current?.host === host) return viewOf(scope, current);
      if (current) await repo.deleteDomain(scope, current);
      const now = toDbTime(ctx.clock.now());
      const domain = await repo.insertDomain(scope, {
        id: newId(),
        host,
        verificationToken: generateToken(24),
        createdById: viewer.memberId,
        now,
      });
      await recordAuditEvent(scope, ctx.clock, {
        tenantId,
        ...teamAuditActor(viewer, meta),
        action: current ? 'domain.replaced' : 'domain.claimed',
        subject: { kind: 'custom_domain', id: domain.id },
        data: current ? { host, replaced: current.host } : { host },
      });
      return viewOf(scope, domain);
    });
    ctx.wakeWorker?.();
    customDomainsChanged();
    if (!view) throw new Error('a claim was saved without a view');
    return view;
  } catch (error) {
    // Two organisations claiming one host at once: the UNIQUE(host) constraint lets one of them in.
    if (isUniqueViolation(error)) throw new AppError('DOMAIN_TAKEN', undefined, { cause: error });
    throw error;
  }
}

/**
 * Releases the organisation's domain: the claim, its certificates and challenges are deleted, so
 * whoever claims the host next needs a fresh TXT proof of their own.
 * @throws FORBIDDEN for agents, DOMAIN_NOT_FOUND
 */
export async function removeCustomDomain(ctx: AppContext, viewer: TeamViewer, meta: RequestMeta): Promise<void> {
  requireTeamRole(viewer, 'admin');
  await inTransaction(ctx.db, async (trx) => {
    const scope = forTenant(trx, viewer.tenant.id);
    const domain = await repo.findDomainOfTenant(scope);
    if (!domain) throw new AppError('DOMAIN_NOT_FOUND');
    await repo.deleteDomain(scope, domain);
    await recordAuditEvent(scope, ctx.clock, {
      tenantId: viewer.tenant.id,
      ...teamAuditActor(viewer, meta),
      action: 'domain.removed',
      subject: { kind: 'custom_domain', id: domain.id },
      data: { host: domain.host, status: domain.status },
    });
  });
  // The host router and the TLS ask cache forget the domain now, not after their TTL.
  customDomainsChanged();
}

/**
 * "Check now": asks DNS for the organisation's domain at once and applies what it finds. Once per
 * 10 seconds per organisation (any check counts, the worker's too: its answer is that fresh).
 * @throws FORBIDDEN for agents, DOMAIN_NOT_FOUND, RATE_LIMITED (with Retry-After)
 */
export async function checkCustomDomainNow(ctx: DomainContext, viewer: TeamViewer): Promise<CustomDomainView> {
  requireTeamRole(viewer, 'admin');
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const domain = await repo.findDomainOfTenant(scope);
  if (!domain) throw new AppError('DOMAIN_NOT_FOUND');
  if (domain.lastCheckedAt) {
    const waitMs = domain.lastCheckedAt.getTime() + CHECK_NOW_INTERVAL_MS - ctx.clock.now().getTime();
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new AppError('RATE_LIMITED', `DNS was checked a moment ago. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, {
        headers: { 'retry-after': String(seconds) },
      });
    }
  }
  await checkCustomDomain(ctx, viewer.tenant.id, domain.id);
  return (await viewOf(scope, await repo.findDomainOfTenant(scope))) ?? (await Promise.reject(new AppError('DOMAIN_NOT_FOUND')));
}

function pendingBackoff(failures: number): number {
  return PENDING_BACKOFF_MS[Math.min(failures, PENDING_BACKOFF_MS.length) - 1] ?? PENDING_BACKOFF_MS[0] ?? MINUTE;
}

/**
 * Asks DNS about one domain and moves it along its states (custom-domain.domain.ts):
 * - pending_dns (or failed, on "Check now") → verified once the CNAME (or, for an apex, the
 *   addresses) points at us and the TXT holds the token; then approved and issuing/active when
 *   the installation issues automatically. No proof within 7 days → failed.
 * - verified / issuing / active whose name no longer points at us → lapsed (served for the grace
 *   period); the TXT record may be gone by then. Lapsed and fixed → back to active (approved, and
 *   in ACME mode with an active certificate) or verified.
 * DNS that cannot be asked changes no state. The organisation's owners and admins and every
 * operator are emailed when a domain lapses or becomes active; each transition is audited.
 * Returns the domain after the check, or undefined when the claim is gone.
 */
export async function checkCustomDomain(ctx: DomainContext, tenantId: string, domainId: string): Promise<CustomDomain | undefined> {
  const before = await repo.findDomainById(forTenant(ctx.db, tenantId), domainId);
  if (!before) return undefined;
  const target = bareName(ctx.domains.cnameTarget);
  const found = await lookUp(ctx.resolver, before.host, target);
  let queued = false;
  const after = await inTransaction(ctx.db, async (trx) => {
    const scope = forTenant(trx, tenantId);
    const domain = await repo.findDomainById(scope, domainId);
    // Removed or replaced while DNS was asked: nothing to apply.
    if (!domain || domain.verificationToken !== before.verificationToken) return undefined;
    const transition = await decide(ctx, trx, scope, domain, found, target);
    queued = transition.queued;
    return transition.domain;
  });
  if (queued) ctx.wakeWorker?.();
  if (after && after.status !== before.status) customDomainsChanged();
  return after;
}

async function decide(
  ctx: DomainContext,
  trx: AppContext['db'],
  scope: TenantScope,
  domain: CustomDomain,
  found: DnsFindings,
  target: string,
): Promise<{ domain: CustomDomain; queued: boolean }> {
  const now = ctx.clock.now();
  const at = (ms: number) => toDbTime(new Date(now.getTime() + ms));
  const base = { dns_observed: JSON.stringify(found.observation), last_checked_at: toDbTime(now), updated_at: toDbTime(now) };
  const audit = (action: string, data: Record<string, unknown>) =>
    recordAuditEvent(scope, ctx.clock, {
      tenantId: domain.tenantId,
      actor: { kind: 'system', id: null },
      action,
      subject: { kind: 'custom_domain', id: domain.id },
      data: { host: domain.host, ...data },
    });
  const update = (changes: repo.DomainChanges) => repo.updateDomain(scope, domain.id, { ...base, ...changes });

  if (found.unreachable) {
    const failures = domain.status === 'pending_dns' ? domain.checkFailures + 1 : domain.checkFailures;
    const next =
      domain.status === 'failed' ? null : domain.status === 'pending_dns' ? at(pendingBackoff(failures)) : at(UNREACHABLE_RETRY_MS);
    return {
      domain: await update({
        status_reason: DNS_UNREACHABLE_REASON,
        check_failures: failures,
        next_check_at: next,
        dns_observed: undefined,
      }),
      queued: false,
    };
  }

  const pointing = pointingProblem(domain.host, found, target);
  switch (domain.status) {
    case 'pending_dns':
    case 'failed': {
      const proof = proofProblem(domain.host, found.observation, domain.verificationToken);
      if (pointing === null && proof === null) return verify(ctx, trx, scope, domain, update, audit);
      const reason = [pointing, proof].filter((r) => r !== null).join(' ');
      if (domain.status === 'failed') {
        // "Check now" on a failed claim starts a new wait.
        return {
          domain: await update({
            status: 'pending_dns',
            status_reason: reason,
            pending_since: toDbTime(now),
            check_failures: 1,
            next_check_at: at(pendingBackoff(1)),
          }),
          queued: false,
        };
      }
      const since = (domain.pendingSince ?? domain.createdAt).getTime();
      if (now.getTime() - since >= PENDING_WINDOW_MS) {
        await audit('domain.failed', { reason });
        return {
          domain: await update({
            status: 'failed',
            status_reason: `We found no proof within 7 days. ${reason} Fix the records and press Check now to try again.`,
            pending_since: null,
            check_failures: domain.checkFailures + 1,
            next_check_at: null,
          }),
          queued: false,
        };
      }
      const failures = domain.checkFailures + 1;
      return {
        domain: await update({ status_reason: reason, check_failures: failures, next_check_at: at(pendingBackoff(failures)) }),
        queued: false,
      };
    }
    case 'verified':
    case 'issuing':
    case 'active': {
      if (pointing !== null) {
        const servedUntil = new Date(now.getTime() + ctx.domains.lapseGraceMs);
        const reason = `${pointing} Customers can use it until ${servedUntil.toISOString().slice(0, 10)}; after that it stops working.`;
        await audit('domain.lapsed', { from: domain.status, reason: pointing });
        const lapsed = await update({
          status: 'lapsed',
          status_reason: reason,
          lapsed_at: toDbTime(now),
          check_failures: 0,
          next_check_at: at(SETTLED_CHECK_MS),
        });
        await queueDomainNoticeEmails(scope, ctx, lapsed, { news: 'lapsed', reason: pointing, servedUntil });
        return { domain: lapsed, queued: true };
      }
      // An approval given by the operator while verified, with a proxy issuing on demand: active now.
      if (domain.status === 'verified' && domain.approvedAt !== null && ctx.domains.acme === null) {
        return activate(ctx, scope, domain, update, audit);
      }
      return {
        domain: await update({
          status_reason: domain.status === 'verified' ? WAITING_FOR_OPERATOR_REASON : domain.statusReason,
          check_failures: 0,
          next_check_at: at(SETTLED_CHECK_MS),
        }),
        queued: false,
      };
    }
    case 'lapsed': {
      if (pointing !== null) {
        const servedUntil = new Date((domain.lapsedAt ?? now).getTime() + ctx.domains.lapseGraceMs);
        const stillServed = now.getTime() < servedUntil.getTime();
        const reason = stillServed
          ? `${pointing} Customers can use it until ${servedUntil.toISOString().slice(0, 10)}; after that it stops working.`
          : `${pointing} It no longer works for customers; the default portal address still does.`;
        return { domain: await update({ status_reason: reason, next_check_at: at(SETTLED_CHECK_MS) }), queued: false };
      }
      const hasCertificate = ctx.domains.acme === null || (await repo.findCertificateSummary(scope, domain.id))?.status === 'active';
      const backTo = domain.approvedAt !== null && hasCertificate ? 'active' : 'verified';
      await audit('domain.restored', { to: backTo });
      const restored = await update({
        status: backTo,
        status_reason: backTo === 'active' ? null : WAITING_FOR_OPERATOR_REASON,
        lapsed_at: null,
        check_failures: 0,
        next_check_at: at(SETTLED_CHECK_MS),
        ...(backTo === 'active' && domain.activatedAt === null ? { activated_at: toDbTime(now) } : {}),
      });
      if (backTo === 'active') await queueDomainNoticeEmails(scope, ctx, restored, { news: 'active' });
      return { domain: restored, queued: backTo === 'active' };
    }
  }
}

type Update = (changes: repo.DomainChanges) => Promise<CustomDomain>;
type Audit = (action: string, data: Record<string, unknown>) => Promise<void>;

async function verify(
  ctx: DomainContext,
  trx: AppContext['db'],
  scope: TenantScope,
  domain: CustomDomain,
  update: Update,
  audit: Audit,
): Promise<{ domain: CustomDomain; queued: boolean }> {
  const now = toDbTime(ctx.clock.now());
  const next = toDbTime(new Date(ctx.clock.now().getTime() + SETTLED_CHECK_MS));
  await audit('domain.verified', {});
  const { autoIssueCertificates } = await getPlatformSettings(trx);
  const verified = { verified_at: now, pending_since: null, check_failures: 0, next_check_at: next };
  if (!autoIssueCertificates) {
    return { domain: await update({ ...verified, status: 'verified', status_reason: WAITING_FOR_OPERATOR_REASON }), queued: false };
  }
  if (ctx.domains.acme !== null) {
    const issuing = await update({ ...verified, status: 'issuing', status_reason: ISSUING_REASON, approved_at: now });
    await enqueueJob(scope, ctx.clock, {
      kind: ISSUE_CERTIFICATE_JOB,
      tenantId: domain.tenantId,
      payload: { domainId: domain.id },
      dedupeKey: `domain-issue:${domain.id}:${now}`,
    });
    return { domain: issuing, queued: true };
  }
  const approved = await update({ ...verified, approved_at: now });
  return activate(ctx, scope, approved, update, audit);
}

async function activate(
  ctx: DomainContext,
  scope: TenantScope,
  domain: CustomDomain,
  update: Update,
  audit: Audit,
): Promise<{ domain: CustomDomain; queued: boolean }> {
  const now = toDbTime(ctx.clock.now());
  await audit('domain.activated', {});
  const active = await update({ status: 'active', status_reason: null, activated_at: now });
  await queueDomainNoticeEmails(scope, ctx, active, { news: 'active' });
  return { domain: active, queued: true };
}

/**
 * The worker's recurring sweep (`domains.check`): every claim whose next check is due, in batches;
 * one domain's failure does not stop the others.
 */
export async function checkDueDomains(ctx: DomainContext, log?: { warn: (obj: object, msg: string) => void }): Promise<number> {
  let checked = 0;
  const failed = new Set<string>();
  for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
    const due = (await repo.listDueDomains(ctx.db, toDbTime(ctx.clock.now()), SWEEP_BATCH)).filter((d) => !failed.has(d.domainId));
    if (due.length === 0) break;
    for (const { tenantId, domainId } of due) {
      try {
        await checkCustomDomain(ctx, tenantId, domainId);
        checked++;
      } catch (error) {
        failed.add(domainId);
        log?.warn({ err: error, tenantId, domainId }, 'custom domain check failed');
      }
    }
    if (due.length < SWEEP_BATCH) break;
  }
  return checked;
}

export function createDomainCheckHandler(ctx: DomainContext, log?: { warn: (obj: object, msg: string) => void }): JobHandler {
  return async () => {
    await checkDueDomains(ctx, log);
  };
}
