import { performance } from 'node:perf_hooks';
import type { Config } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import { findClaimByHost, isActiveTenantSlugTaken } from './host-lookup.repository.js';
import { onCustomDomainsChanged } from './custom-domain-changes.js';
import { mayHoldCertificate } from './custom-domain.domain.js';

/** How long an answer is reused: Caddy asks once per handshake for a name it has no certificate for. */
export const TLS_ASK_TTL_MS = 5_000;
const MAX_REMEMBERED = 10_000;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const SLUG_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The on-demand TLS question (Caddy's `ask`): may a certificate be obtained for this name?
 * Yes only for a claim that `mayHoldCertificate` (active, lapsed within grace, or verified/issuing
 * and approved) of an active tenant, or for `<slug>.<PORTAL_SUBDOMAIN_BASE>` of an active tenant;
 * no for everything else, malformed names included. Answers are remembered for a few seconds
 * (and forgotten on `customDomainsChanged()`); a database error propagates (the route answers 503,
 * so Caddy refuses the certificate: fail closed).
 */
export class CertificateAsk {
  private readonly answers = new Map<string, { readonly allowed: boolean; readonly at: number }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: AppContext,
    private readonly domains: Config['domains'],
  ) {
    this.unsubscribe = onCustomDomainsChanged(() => this.answers.clear());
  }

  async mayIssueFor(name: unknown): Promise<boolean> {
    if (typeof name !== 'string') return false;
    const host = name.toLowerCase().replace(/\.$/, '');
    if (!HOST_NAME.test(host)) return false;
    const remembered = this.answers.get(host);
    if (remembered && performance.now() - remembered.at < TLS_ASK_TTL_MS) return remembered.allowed;
    const at = performance.now();
    const allowed = await this.lookUp(host);
    if (this.answers.size >= MAX_REMEMBERED) this.answers.clear();
    this.answers.set(host, { allowed, at });
    return allowed;
  }

  close(): void {
    this.unsubscribe();
  }

  private async lookUp(host: string): Promise<boolean> {
    if (this.domains.platformHosts.includes(host)) return false;
    const claim = await findClaimByHost(this.ctx.db, host);
    if (claim) return claim.tenantActive && mayHoldCertificate(claim.domain, this.ctx.clock.now(), this.domains.lapseGraceMs);
    const base = this.domains.subdomainBase;
    if (!base || !host.endsWith(`.${base}`)) return false;
    const label = host.slice(0, -(base.length + 1));
    return SLUG_LABEL.test(label) && (await isActiveTenantSlugTaken(this.ctx.db, label));
  }
}
