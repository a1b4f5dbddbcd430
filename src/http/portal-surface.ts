import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { type PortalIdentity, resolvePortalSession } from '../features/sessions/portal-session.service.js';
import { sessionLifetimesOf } from '../features/sessions/session.service.js';
import { findActiveTenantBySlug, type Tenant } from '../features/tenants/tenant.service.js';
import { type PortalViewer, viewerCanSeeMessage } from '../features/tickets/portal-ticket.service.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { servedHostOf } from './host-routing.js';
import { auditRefusals } from './refusal-audit.js';
import { readSessionCookie } from './session-cookie.js';

/**
 * The customer portal as one encapsulated plugin (prefix `/portal/:slug`), doing the per-request
 * work once, like fastify/demo's autohooks: the tenant comes from the slug (ARCHITECTURE.md §4.3:
 * never from a body or query); on the signed-in routes the customer comes from the session
 * cookie, `Cache-Control: no-store` is set, and a signed-out request is answered 401 before its
 * body or query is even parsed.
 *
 * On a portal host (a custom domain or per-organisation subdomain), the host router
 * (http/host-routing.ts) already prefixed the URL with that host's own `/portal/{slug}`, so the
 * slug resolves the same way; the portal then lives at the root of its host (base path '').
 */
export interface PortalContext {
  readonly tenant: Tenant;
  /** Where the portal lives on this host: `/portal/{slug}`, or '' on a custom domain. */
  readonly basePath: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    portalContext: PortalContext | null;
    /** The signed-in customer; set only on the portal's signed-in routes (their hook answers 401 otherwise). */
    portalIdentity: PortalIdentity;
    /** The same customer as the ticket rules take it; set only on the portal's signed-in routes. */
    portalViewer: PortalViewer;
  }
}

export interface PortalSurfaceOptions {
  readonly ctx: AppContext;
  readonly config: Config;
  /** Routes anyone may call (sign-in, branding, the HTML shell): each sets its own cache headers. */
  readonly publicRoutes: (portal: FastifyInstance) => void;
  /** Routes of the signed-in customer: `request.portalViewer` is set, answers are never cached. */
  readonly signedInRoutes: (portal: FastifyInstance) => void;
}

export const portalSurface: FastifyPluginAsync<PortalSurfaceOptions> = async (portal, options) => {
  const { ctx, config } = options;
  const lifetimes = sessionLifetimesOf(config, 'portal');
  portal.decorateRequest('portalContext', null);
  portal.decorateRequest('portalIdentity', null as unknown as PortalIdentity);
  portal.decorateRequest('portalViewer', null as unknown as PortalViewer);
  portal.addHook('onRequest', async (request) => {
    request.portalContext = await resolvePortalContext(request, options);
  });
  auditRefusals(portal, {
    ctx,
    refusedBy: async (request, reason) => {
      const viewer = request.portalViewer as PortalViewer | null;
      if (viewer) return { tenantId: viewer.tenant.id, actor: { kind: 'contact', id: viewer.contactId } };
      if (reason !== 'cross_site') return undefined;
      // Refused before this surface's hooks ran: whose browser sent it, if any, is looked up here.
      const context = request.portalContext ?? (await resolvePortalContext(request, options).catch(() => undefined));
      if (!context) return undefined;
      const token = readSessionCookie(request, config, 'portal');
      const identity = token ? await resolvePortalSession(ctx, context.tenant.id, token, lifetimes) : undefined;
      return { tenantId: context.tenant.id, actor: identity ? { kind: 'contact', id: identity.contact.id } : { kind: 'system', id: null } };
    },
  });

  options.publicRoutes(portal);

  await portal.register(async (signedIn) => {
    signedIn.addHook('onRequest', async (request, reply) => {
      // Everything here is one customer's data. Set first, so a route may still choose its own
      // caching (file downloads revalidate), and so a 401 is not cached either.
      reply.header('cache-control', 'no-store');
      const { tenant } = portalOf(request);
      const token = readSessionCookie(request, config, 'portal');
      // A cookie of another tenant's portal, a revoked or expired session, or a disabled contact all end here.
      const identity = token ? await resolvePortalSession(ctx, tenant.id, token, lifetimes) : undefined;
      if (!identity) throw new AppError('UNAUTHENTICATED');
      request.portalIdentity = identity;
      request.portalViewer = {
        tenant,
        contactId: identity.contact.id,
        contactName: identity.contact.name,
        clientId: identity.client.id,
        visibility: identity.client.ticketVisibility,
      };
    });
    options.signedInRoutes(signedIn);
  });
};

async function resolvePortalContext(request: FastifyRequest, options: PortalSurfaceOptions): Promise<PortalContext> {
  const slug = (request.params as { slug?: string }).slug;
  const served = servedHostOf(request);
  // Only the platform host serves `/portal/{slug}`; a portal host reaches only its own slug (the
  // router put it there; checked again here so no other path can mix the two up).
  const onOwnHost = served?.kind === 'portal';
  if (served?.kind === 'unknown' || (onOwnHost && slug?.toLowerCase() !== served.slug)) throw new AppError('TENANT_NOT_FOUND');
  const tenant = slug ? await findActiveTenantBySlug(options.ctx.db, slug) : undefined;
  // Unknown, suspended and malformed slugs look exactly alike: a neutral 404 with no tenant data.
  if (!tenant) throw new AppError('TENANT_NOT_FOUND');
  return { tenant, basePath: onOwnHost ? '' : `/portal/${tenant.slug}` };
}

/** The resolved portal context; only valid inside the portal surface. */
export function portalOf(request: FastifyRequest): PortalContext {
  if (!request.portalContext) throw new AppError('TENANT_NOT_FOUND');
  return request.portalContext;
}

/**
 * The signed-in customer as the file routes take them: who they are, and whether a message's
 * files are theirs to see (the ticket rules live in tickets; the file routes get them wired in).
 */
export async function portalFileViewerOf(request: FastifyRequest, ctx: AppContext) {
  const viewer = request.portalViewer;
  return {
    tenantId: viewer.tenant.id,
    contactId: viewer.contactId,
    canSeeMessage: (ticketId: string, messageId: string) => viewerCanSeeMessage(ctx, viewer, ticketId, messageId),
  };
}
