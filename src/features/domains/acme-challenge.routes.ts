import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { findAcmeChallengeAnswer } from './acme-challenge.service.js';

const ZParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/) });

/**
 * `GET /.well-known/acme-challenge/:token` (RFC 8555 §8.3): the key authorisation, as text/plain,
 * only on the host the challenge is for; anything else is the neutral 404. Host routing lets this
 * path through on any claimed host (`anyHost`).
 */
export function registerAcmeChallengeRoutes(app: FastifyInstance, opts: { deps: AppContext }): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/.well-known/acme-challenge/:token',
      { config: { anyHost: true }, schema: { hide: true, params: ZParams } },
      async (request, reply) => {
        const answer = await findAcmeChallengeAnswer(opts.deps, request.headers.host ?? '', request.params.token);
        if (answer === undefined) throw new AppError('NOT_FOUND');
        return reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(answer);
      },
    );
}
