import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { portalOf } from '../../http/portal-surface.js';
import { AppError } from '../../platform/errors.js';
import { toPortalInfo } from '../tenants/branding.service.js';
import { checkUnsubscribeLink, unsubscribeByToken } from './customer-unsubscribe.service.js';
import { renderUnsubscribePage, type UnsubscribePageState } from './unsubscribe-page.html.js';

const ZSlugParams = z.object({ slug: z.string() });
const ZUnsubscribeQuery = z.object({ token: z.string().max(200).optional() });

/** The path the cross-site check lets a POST through on (app.ts): RFC 8058 one-click, nothing else. */
export const ONE_CLICK_UNSUBSCRIBE_ROUTE = '/portal/:slug/unsubscribe';

/**
 * `B/unsubscribe?token=…`, public (the token is the authority, no session):
 * - GET shows the confirm page, with a button that POSTs to the same address;
 * - POST with the form body `List-Unsubscribe=One-Click` (RFC 8058) stops the contact's
 *   non-essential ticket emails at once. Mail providers send it server to server, without cookies,
 *   Origin or fetch metadata, so this one route is exempt from the cross-site check (app.ts).
 * A malformed, forged or other organisation's token gets the same "not valid" page.
 */
export function registerPortalUnsubscribeRoutes(portal: FastifyInstance, options: { deps: Deps }): void {
  const { deps } = options;
  void portal.register(async (scoped) => {
    // The one form body the portal reads, and only here: the RFC's `List-Unsubscribe=One-Click`.
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const typed = scoped.withTypeProvider<ZodTypeProvider>();

    const page = (request: FastifyRequest, reply: FastifyReply, state: UnsubscribePageState, status = 200) => {
      const { tenant, basePath } = portalOf(request);
      return reply
        .code(status)
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .type('text/html; charset=utf-8')
        .send(
          renderUnsubscribePage({
            info: toPortalInfo(tenant, basePath),
            basePath,
            state,
            action: `${basePath}/unsubscribe?token=${encodeURIComponent((request.query as { token?: string }).token ?? '')}`,
            styleNonce: reply.cspNonce.style,
          }),
        );
    };

    typed.get(
      '/unsubscribe',
      {
        schema: {
          tags: ['portal'],
          summary: 'Confirm page of the one-click unsubscribe link',
          params: ZSlugParams,
          querystring: ZUnsubscribeQuery,
        },
      },
      async (request, reply) => {
        const { tenant } = portalOf(request);
        try {
          const { alreadyOff } = await checkUnsubscribeLink(deps, tenant.id, request.query.token ?? '');
          return await page(request, reply, alreadyOff ? 'already-off' : 'confirm');
        } catch (error) {
          if (error instanceof AppError && error.code === 'UNSUBSCRIBE_LINK_INVALID') return page(request, reply, 'invalid', 400);
          throw error;
        }
      },
    );

    typed.post(
      '/unsubscribe',
      {
        schema: {
          tags: ['portal'],
          summary: 'RFC 8058 one-click unsubscribe (form body List-Unsubscribe=One-Click)',
          params: ZSlugParams,
          querystring: ZUnsubscribeQuery,
          body: z.object({ 'List-Unsubscribe': z.literal('One-Click') }),
        },
      },
      async (request, reply) => {
        const { tenant } = portalOf(request);
        try {
          await unsubscribeByToken(deps, tenant.id, request.query.token ?? '');
          return await page(request, reply, 'done');
        } catch (error) {
          if (error instanceof AppError && error.code === 'UNSUBSCRIBE_LINK_INVALID') return page(request, reply, 'invalid', 400);
          throw error;
        }
      },
    );
  });
}
