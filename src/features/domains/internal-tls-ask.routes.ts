import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { internalPeerCheck } from '../../http/internal-peers.js';
import { AppError } from '../../platform/errors.js';
import { CertificateAsk } from './tls-ask.service.js';

export interface InternalTlsAskRoutesOptions {
  readonly deps: Deps;
  readonly config: Config;
}

/** Anything goes in: a malformed name is a "no" (404), never a 400 that tells a prober more. */
const ZAskQuery = z.object({ domain: z.unknown().optional() });

/**
 * `GET /internal/tls/ask?domain=` for Caddy's on-demand TLS (README "Serving custom domains"):
 * 200 when a certificate may be obtained for the name, 404 otherwise; 404 too for a caller that is
 * not loopback or INTERNAL_ADDRESSES (by TCP peer); 503 with Retry-After when the database is
 * down, so Caddy refuses (fail closed). Served on any Host (http/host-routing.ts exempts `/internal/`).
 */
export function registerInternalTlsAskRoutes(app: FastifyInstance, options: InternalTlsAskRoutesOptions): void {
  const { deps, config } = options;
  const isInternal = internalPeerCheck(config.domains.internalAddresses);
  const ask = new CertificateAsk(deps, config.domains);
  app.addHook('onClose', async () => ask.close());

  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/internal/tls/ask', { schema: { hide: true, querystring: ZAskQuery } }, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (!isInternal(request.socket.remoteAddress)) {
        request.log.warn({ peer: request.socket.remoteAddress }, 'internal route called from outside');
        throw new AppError('NOT_FOUND');
      }
      let allowed: boolean;
      try {
        allowed = await ask.mayIssueFor(request.query.domain);
      } catch (cause) {
        // Whatever failed, no certificate: 503 (with Retry-After) makes Caddy refuse this handshake and ask again later.
        request.log.error({ err: cause }, 'the TLS ask could not be answered');
        throw new AppError('SERVICE_UNAVAILABLE', undefined, { cause });
      }
      if (!allowed) throw new AppError('NOT_FOUND');
      return { status: 'ok' };
    });
}
