import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { findActiveTenantBySlug, type Tenant } from './tenant.service.js';

/**
 * Resolves the tenant of a portal request, once, before any handler runs. Handlers read
 * `request.portal.tenant` and never take a tenant from a body or query (ARCHITECTURE.md §4.3).
 *
 * Today the tenant comes from the `/portal/{slug}` path on the platform host. Custom domains add
 * host-based resolution here: `resolveFromHost` runs first and, when the Host is an active custom
 * domain, gives the tenant with an empty base path; every other host falls back to the slug.
 */
export interface PortalContext {
  readonly tenant: Tenant;
  /** Where the portal lives on this host: `/portal/{slug}`, or '' on a custom domain. */
  readonly basePath: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    portalContext: PortalContext | null;
  }
}

export interface PortalContextOptions {
  readonly db: Db;
  readonly resolveFromHost?: (host: string) => Promise<Tenant | undefined>;
}

/** Registers the resolver on an encapsulated portal plugin (prefix `/portal/:slug`). */
export function registerPortalContext(app: FastifyInstance, options: PortalContextOptions): void {
  app.decorateRequest('portalContext', null);
  app.addHook('onRequest', async (request) => {
    request.portalContext = await resolvePortalContext(request, options);
  });
}

async function resolvePortalContext(request: FastifyRequest, options: PortalContextOptions): Promise<PortalContext> {
  const byHost = options.resolveFromHost ? await options.resolveFromHost(request.host) : undefined;
  if (byHost) return { tenant: byHost, basePath: '' };
  const slug = (request.params as { slug?: string }).slug;
  const tenant = slug ? await findActiveTenantBySlug(options.db, slug) : undefined;
  // Unknown, suspended and malformed slugs look exactly alike: a neutral 404 with no tenant data.
  if (!tenant) throw new AppError('TENANT_NOT_FOUND');
  return { tenant, basePath: `/portal/${tenant.slug}` };
}

/** The resolved portal context; only valid inside the portal plugin. */
export function portalOf(request: FastifyRequest): PortalContext {
  if (!request.portalContext) throw new AppError('TENANT_NOT_FOUND');
  return request.portalContext;
}
