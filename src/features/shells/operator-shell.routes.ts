import type { FastifyInstance, FastifyReply } from 'fastify';
import type { WebAssets } from '../../platform/http/web-assets.js';
import { renderOperatorShell } from './operator-shell.html.js';

/**
 * The operator console's HTML shell for `/operator` and every page below it; the console's router
 * decides what the page shows. Never cached, never leaking a Referer (it names organisations).
 */
export function registerOperatorShellRoutes(app: FastifyInstance, options: { web: WebAssets }): void {
  const { web } = options;
  const sendShell = async (_request: unknown, reply: FastifyReply) => {
    const html = renderOperatorShell({ nonce: reply.cspNonce, assets: web.tagsFor('operator') });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(html);
  };
  app.get('/operator', { schema: { hide: true } }, sendShell);
  app.get('/operator/*', { schema: { hide: true } }, sendShell);
}
