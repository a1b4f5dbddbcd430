import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import type { WebAssets } from '../../platform/http/web-assets.js';
import { findTeamIdentity } from '../../http/team-surface.js';
import { renderTeamShell, type TeamAppOrganisation } from './team-shell.html.js';

export interface TeamShellRoutesOptions {
  readonly deps: Deps;
  readonly config: Config;
  readonly web: WebAssets;
}

/** Pages whose URL fragment carries a single-use token (`#token=…`): the URL must never leave in a Referer. */
const TOKEN_PAGES = new Set(['/app/reset', '/app/accept-invite']);

/**
 * The team app's HTML shell for `/app` and every page below it (`/app/tickets/123` deep links):
 * the web app's router decides what the page shows and asks the team API who is signed in.
 */
export function registerTeamShellRoutes(app: FastifyInstance, options: TeamShellRoutesOptions): void {
  const { deps, config, web } = options;
  /** The open organisation's formats, or null when nobody is signed in (the page then shows the sign-in form). */
  const organisationOf = async (request: FastifyRequest): Promise<TeamAppOrganisation | null> => {
    const identity = await findTeamIdentity(request, deps, config);
    if (!identity) return null;
    const { tenant } = identity.viewer;
    return { tenantId: tenant.id, timeZone: tenant.timeZone, locale: tenant.locale, currency: tenant.currency };
  };
  const sendShell = async (request: FastifyRequest, reply: FastifyReply) => {
    const html = renderTeamShell({ organisation: await organisationOf(request), nonce: reply.cspNonce, assets: web.tagsFor('team') });
    const path = request.url.split('?')[0]?.replace(/\/+$/, '') ?? '';
    if (TOKEN_PAGES.has(path)) reply.header('referrer-policy', 'no-referrer');
    // Each response carries fresh CSP nonces, so the document itself must never be cached.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  };
  app.get('/app', { schema: { hide: true } }, sendShell);
  app.get('/app/*', { schema: { hide: true } }, sendShell);
}
