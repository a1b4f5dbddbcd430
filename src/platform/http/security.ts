import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Headers and CSRF defences of SECURITY.md §4.
 * - Helmet sets a nonce-based CSP on every response (HTML uses `reply.cspNonce`), nosniff,
 *   frame-ancestors none, no-referrer-when-useful defaults, and HSTS only on HTTPS.
 * - State-changing methods must come from our own origin: `Sec-Fetch-Site: same-origin`, or,
 *   from browsers without fetch metadata, an `Origin` we serve. A request with neither is refused.
 *   The exceptions: routes marked `signedServerToServer` (a provider's signed webhook), and a POST
 *   to one of `crossSiteWriteRoutes` (app.ts names exactly one: RFC 8058 one-click unsubscribe,
 *   which both mail providers and the confirm page's form send).
 * - Only JSON bodies (and, later, multipart uploads) are parsed; anything else is 415.
 */
export interface SecurityOptions {
  readonly publicOrigin: string;
  /** HSTS for every subdomain too (HSTS_INCLUDE_SUBDOMAINS): off by default, as other hosts of the domain may lack HTTPS. */
  readonly hstsIncludeSubDomains?: boolean;
  /**
   * The origins writes to this request's host may come from, when the host is not the platform's
   * (a custom domain or per-organisation subdomain: its own origin, and not PUBLIC_URL's). An empty
   * list: the platform host, whose one origin is PUBLIC_URL's.
   */
  readonly hostOrigins?: (request: FastifyRequest) => readonly string[];
  /**
   * The routes a write may reach from anywhere, by their route pattern (`request.routeOptions.url`).
   * Only for writes authorised by a secret in the URL and nothing ambient (no cookie is read):
   * RFC 8058 one-click unsubscribe, which mail providers POST server to server.
   */
  readonly crossSiteWriteRoutes?: readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route is called by another server, never by a browser, and authenticates every request
     * itself (a mail provider's webhook signed with a shared secret): the same-origin check does not apply.
     */
    signedServerToServer?: boolean;
  }
}

export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const isHttps = options.publicOrigin.startsWith('https:');
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
        ...(isHttps ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: isHttps ? { maxAge: 31_536_000, includeSubDomains: options.hstsIncludeSubDomains ?? false } : false,
    xPoweredBy: true,
  });

  app.removeContentTypeParser('text/plain');

  const crossSiteWriteRoutes = new Set(options.crossSiteWriteRoutes ?? []);
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (request.routeOptions.config.signedServerToServer === true) return;
    if (request.method === 'POST' && request.routeOptions.url !== undefined && crossSiteWriteRoutes.has(request.routeOptions.url)) return;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined) {
      if (site !== 'same-origin') throw new AppError('CROSS_SITE_REQUEST');
      return;
    }
    const origin = request.headers.origin;
    const ofHost = options.hostOrigins?.(request) ?? [];
    const allowed = ofHost.length > 0 ? ofHost : [options.publicOrigin];
    if (!origin || !allowed.includes(origin)) throw new AppError('CROSS_SITE_REQUEST');
  });
}
