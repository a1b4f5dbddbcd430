import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import type { WebAssets } from '../../platform/http/web-assets.js';
import { portalOf } from '../../http/portal-surface.js';
import { ZPortalInfo } from '../tenants/tenant.schemas.js';
import { toPortalInfo } from '../tenants/branding.service.js';
import { renderPortalShell } from './portal-shell.html.js';

export interface PortalShellRoutesOptions {
  readonly deps: Deps;
  readonly web: WebAssets;
}

const ZSlugParams = z.object({ slug: z.string() });

/**
 * The portal's public branding (`B/api/portal`, `B/logo`) and its HTML shell for every page path.
 * Registered inside the portal surface's public routes (`/portal/:slug`), which resolved the tenant.
 * Unknown `B/api/…` paths answer a JSON 404 so a typo in an API call never receives a web page.
 */
export function registerPortalShellRoutes(portal: FastifyInstance, options: PortalShellRoutesOptions): void {
  const { deps, web } = options;
  const typed = portal.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/portal',
    {
      schema: {
        tags: ['portal'],
        summary: 'Public branding and settings of the portal',
        params: ZSlugParams,
        response: { 200: ZPortalInfo },
      },
    },
    async (request, reply) => {
      const { tenant, basePath } = portalOf(request);
      // Branding changes rarely but must show at once after an edit: revalidate every time.
      reply.header('cache-control', 'no-cache');
      return toPortalInfo(tenant, basePath);
    },
  );

  typed.get(
    '/logo',
    { schema: { tags: ['portal'], summary: "The organisation's logo (PNG)", params: ZSlugParams } },
    async (request, reply) => {
      const { tenant } = portalOf(request);
      const logo = tenant.logoKey ? await deps.files.get(tenant.logoKey) : undefined;
      if (!logo) throw new AppError('NOT_FOUND');
      // Logos are re-encoded to PNG when stored. Short public caching: the URL does not change
      // when the logo does, so a new logo shows within minutes.
      return (
        reply
          .type('image/png')
          .header('content-length', logo.size)
          .header('cache-control', 'public, max-age=300')
          .header('x-content-type-options', 'nosniff')
          // Public branding, also shown by webmail in emails: other origins may embed it.
          .header('cross-origin-resource-policy', 'cross-origin')
          .send(logo.body)
      );
    },
  );

  typed.get('/api/*', { schema: { hide: true } }, async () => {
    throw new AppError('NOT_FOUND');
  });

  const sendShell = async (request: FastifyRequest, reply: FastifyReply) => {
    const { tenant, basePath } = portalOf(request);
    const html = renderPortalShell({
      info: toPortalInfo(tenant, basePath),
      basePath,
      nonce: reply.cspNonce,
      assets: web.tagsFor('portal'),
    });
    // Each response carries fresh CSP nonces, so the document itself must never be cached.
    // Portal pages carry sign-in tokens in their URL fragment: never leak the URL in a Referer.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(html);
  };
  // `/*` serves deep links (`B/tickets/123`): the web app's router decides what the page shows.
  typed.get('/', { schema: { hide: true } }, sendShell);
  typed.get('/*', { schema: { hide: true } }, sendShell);
}
