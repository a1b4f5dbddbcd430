import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config/config.js';
import { onCustomDomainsChanged } from '../features/domains/custom-domain-changes.js';
import { isServable } from '../features/domains/custom-domain.domain.js';
import { listServableDomains } from '../features/domains/host-lookup.repository.js';
import type { AppContext } from '../platform/context.js';
import { fromDbTime } from '../platform/db/time.js';
import { AppError } from '../platform/errors.js';

/**
 * Host routing (issue 14 "Routing", SECURITY.md §7), decided in ONE place for every request,
 * before Fastify's router runs: Fastify's `rewriteUrl` hands each request to `HostRouter.rewrite`.
 *
 * - platform host (exact match in PLATFORM_HOSTS / PUBLIC_URL's host): the URL is left alone —
 *   `/portal/{slug}`, `/app`, `/operator`, `/api`, assets, everything as before;
 * - a portal host (a servable custom domain of an active tenant, or `<slug>.<PORTAL_SUBDOMAIN_BASE>`):
 *   the URL is PREFIXED with `/portal/{that slug}`, so the request can only ever reach the routes
 *   of that one tenant's portal surface (which then runs with the base path ''). Safe by
 *   construction: no path a visitor can write reaches `/app`, `/api/team`, `/operator`, another
 *   slug's portal or the dev mailbox on such a host, because every path lands under this prefix;
 *   `/app`, `/operator`, `/portal/…` and `/_dev/…` are additionally answered with the neutral 404
 *   rather than the portal's own "page not found" page. Assets (`/assets/…`) pass unchanged;
 * - any other host: the neutral 404 of an unknown organisation, whatever the path.
 *
 * Exempt on every host: the paths in ANY_HOST_PATHS / ANY_HOST_PREFIXES (health checks, which load
 * balancers call by IP; `/internal/…`, guarded by the peer address; ACME HTTP-01 challenges, which
 * answer only for a host with a claim — their route does that lookup itself).
 *
 * Why not register the portal a second time at prefix '' guarded by a hook: it would put a
 * catch-all `/*` next to every platform route and rely on a guard to keep each route on its side.
 * Rewriting keeps one registration of every route and makes the wrong side unreachable.
 *
 * Which host: the `Host` header (`:authority` in HTTP/2) only, lower-cased, port and trailing dot
 * stripped. X-Forwarded-Host and Forwarded are NEVER read, even with TRUST_PROXY set (Fastify's
 * `request.hostname` would read X-Forwarded-Host then): a proxy in front (Caddy) passes the
 * original Host on, and a forged header must not pick the tenant.
 *
 * `rewriteUrl` is synchronous, so the router keeps an in-process table of the servable custom
 * domains (few rows), loaded when the app starts and reloaded in the background when older than
 * `HOST_TABLE_TTL_MS` or when `customDomainsChanged()` is signalled. Whether a lapsed domain is
 * still within its grace period is judged at request time. Subdomains need no table: the portal
 * surface resolves the slug (unknown or suspended → the same neutral 404), as it does for
 * `/portal/{slug}`.
 */

export type ServedHost =
  | { readonly kind: 'platform' }
  | { readonly kind: 'portal'; readonly host: string; readonly slug: string; readonly via: 'custom_domain' | 'subdomain' }
  | { readonly kind: 'unknown'; readonly host: string };

/** Paths answered on every host (exact). Load balancers call health checks by IP. */
export const ANY_HOST_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);
/**
 * Path prefixes answered on every host: `/internal/…` (each route checks the TCP peer) and the ACME
 * HTTP-01 challenge route (the certificates code answers only for a host with a claim).
 */
export const ANY_HOST_PREFIXES: readonly string[] = ['/internal/', '/.well-known/acme-challenge/'];
/** Path prefixes a portal host serves unchanged besides its portal: the web app's built assets. */
const PORTAL_HOST_SHARED_PREFIXES: readonly string[] = ['/assets/'];
/** First path segments of the platform's own apps: on a portal host, the neutral 404 (not the portal's not-found page). */
const PLATFORM_SEGMENTS: ReadonlySet<string> = new Set(['app', 'operator', 'portal', '_dev', 'admin', 'internal']);

/** Where a request that no host serves is sent: one route answering the neutral 404 of an unknown organisation. */
export const NOT_SERVED_PATH = '/__servelo/not-served';
/** How long the table of custom domains is used before it is reloaded (in the background). */
export const HOST_TABLE_TTL_MS = 5_000;

interface DomainEntry {
  readonly status: 'active' | 'lapsed';
  readonly lapsedAt: Date | null;
  readonly slug: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's host router: tests reload its table after writing custom domains. */
    hostRouter: HostRouter;
  }
}

const servedHosts = new WeakMap<IncomingMessage, ServedHost>();

/** What the host router decided for this request (set before routing); undefined outside a request. */
export function servedHostOf(request: FastifyRequest): ServedHost | undefined {
  return servedHosts.get(request.raw);
}

/** The Host the client asked for (not X-Forwarded-Host), lower-case, without port or trailing dot; '' when unusable. */
export function requestHostOf(raw: IncomingMessage): string {
  const header = raw.headers.host ?? raw.headers[':authority'];
  return typeof header === 'string' ? normaliseHost(header) : '';
}

export function normaliseHost(value: string): string {
  const text = value.trim().toLowerCase();
  let host: string;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return '';
    host = text.slice(1, end);
    return /^[0-9a-f:.]+$/.test(host) ? host : '';
  }
  host = text.replace(/:\d{1,5}$/, '').replace(/\.$/, '');
  return /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/.test(host) && !host.includes('..') ? host : '';
}

const SLUG_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class HostRouter {
  private table = new Map<string, DomainEntry>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private readonly platformHosts: ReadonlySet<string>;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: AppContext,
    private readonly domains: Config['domains'],
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.platformHosts = new Set(domains.platformHosts.map((h) => h.toLowerCase()));
    this.unsubscribe = onCustomDomainsChanged(() => this.invalidate());
  }

  /** Which site a host is. Never waits: a stale table is used while a fresh one loads. */
  classify(host: string): ServedHost {
    if (this.platformHosts.has(host)) return { kind: 'platform' };
    if (performance.now() - this.loadedAt > HOST_TABLE_TTL_MS) this.reloadInBackground();
    const domain = this.table.get(host);
    if (domain && isServable(domain, this.ctx.clock.now(), this.domains.lapseGraceMs)) {
      return { kind: 'portal', host, slug: domain.slug, via: 'custom_domain' };
    }
    const base = this.domains.subdomainBase;
    if (base && host.endsWith(`.${base}`)) {
      const label = host.slice(0, -(base.length + 1));
      if (SLUG_LABEL.test(label)) return { kind: 'portal', host, slug: label, via: 'subdomain' };
    }
    return { kind: 'unknown', host };
  }

  /** Fastify's `rewriteUrl`: the URL the router sees for this request (see the module comment). */
  rewrite(raw: IncomingMessage): string {
    const url = raw.url ?? '/';
    const served = this.classify(requestHostOf(raw));
    servedHosts.set(raw, served);
    if (served.kind === 'platform') return url;
    // Only origin-form targets (`/path?query`); absolute-form and `*` serve nothing off the platform host.
    if (!url.startsWith('/')) return NOT_SERVED_PATH;
    const path = url.split('?', 1)[0] ?? '/';
    if (ANY_HOST_PATHS.has(path) || ANY_HOST_PREFIXES.some((prefix) => path.startsWith(prefix))) return url;
    if (served.kind === 'unknown') return NOT_SERVED_PATH;
    if (PORTAL_HOST_SHARED_PREFIXES.some((prefix) => path.startsWith(prefix))) return url;
    const firstSegment = path.split('/')[1] ?? '';
    if (PLATFORM_SEGMENTS.has(decodeSafely(firstSegment).toLowerCase())) return NOT_SERVED_PATH;
    return `/portal/${served.slug}${url}`;
  }

  /** Loads the table now (the app's onReady, tests after writing rows). */
  async refresh(): Promise<void> {
    this.loading ??= (async () => {
      const startedAt = performance.now();
      try {
        const rows = await listServableDomains(this.ctx.db);
        this.table = new Map(
          rows.map((r) => [
            r.host,
            { status: r.status, lapsedAt: r.lapsedAt === null ? null : fromDbTime(r.lapsedAt), slug: r.tenantSlug },
          ]),
        );
        this.loadedAt = startedAt;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** Forget the table: the next request starts a reload (a claim, an activation, a suspension changed). */
  invalidate(): void {
    this.loadedAt = Number.NEGATIVE_INFINITY;
    this.reloadInBackground();
  }

  close(): void {
    this.unsubscribe();
  }

  private reloadInBackground(): void {
    if (this.loading) return;
    // A database outage keeps the last table (fail closed for hosts never seen); the portal's own
    // reads then answer 503.
    this.refresh().catch(this.onError);
  }
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The router's side in the app: the route answering NOT_SERVED_PATH (the same neutral 404 as an
 * unknown slug, no tenant data), the first table load when the app is ready, and the unsubscribe on close.
 */
export function registerHostRouting(app: FastifyInstance, router: HostRouter): void {
  app.all(NOT_SERVED_PATH, { schema: { hide: true } }, async () => {
    throw new AppError('TENANT_NOT_FOUND');
  });
  app.addHook('onReady', async () => {
    await router
      .refresh()
      .catch((error: unknown) => app.log.error({ err: error }, 'custom domains could not be loaded; retrying on the next request'));
  });
  app.addHook('onClose', async () => router.close());
}

/**
 * The origins a write to a portal host may come from (security.ts `hostOrigins`): on a portal
 * host, that host's own origin, and on that host only. The scheme is the request's (honest behind
 * a trusted proxy) or PUBLIC_URL's (Caddy terminating TLS without TRUST_PROXY).
 */
export function portalHostOriginsOf(request: FastifyRequest, publicOrigin: string): readonly string[] {
  const served = servedHostOf(request);
  if (served?.kind !== 'portal') return [];
  const header = request.raw.headers.host;
  if (typeof header !== 'string') return [];
  const authority = header.trim().toLowerCase();
  const schemes = new Set([request.protocol, new URL(publicOrigin).protocol.replace(':', '')]);
  return [...schemes].map((scheme) => `${scheme}://${authority}`);
}
