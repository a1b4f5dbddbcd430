import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { resolveOperatorSession, type OperatorIdentity } from '../features/operator/operator-auth.service.js';
import { operatorAuthContextOf } from '../features/operator/operator-auth-context.js';
import type { Deps } from '../deps.js';
import { AppError } from '../platform/errors.js';
import { readSessionCookie } from './session-cookie.js';

/**
 * The operator console's API (`/api/operator/…`) as one encapsulated plugin: every answer is
 * `no-store` and `Referrer-Policy: no-referrer`; the operator comes from the `servelo_operator`
 * cookie only, and a request without a session is answered 401 before its body or query is
 * parsed. Cross-site writes are refused by the platform's same-origin check before any of this.
 * Three kinds of route: public (sign-in, sign-out), enrolment (a session opened by the password
 * alone may set up TOTP and nothing else), and signed-in (password and TOTP).
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** The operator of the request; set only on the console's enrolment and signed-in routes. */
    operatorIdentity: OperatorIdentity;
  }
}

export interface OperatorSurfaceOptions {
  readonly deps: Deps;
  readonly config: Config;
  readonly publicRoutes: (operator: FastifyInstance) => void;
  /** Routes of a session with or without TOTP confirmed (set up TOTP, who am I). */
  readonly enrolmentRoutes: (operator: FastifyInstance) => void;
  /** Routes of a fully signed-in operator. */
  readonly signedInRoutes: (operator: FastifyInstance) => void;
}

export const operatorSurface: FastifyPluginAsync<OperatorSurfaceOptions> = async (operator, options) => {
  const { deps, config } = options;
  operator.decorateRequest('operatorIdentity', null as unknown as OperatorIdentity);
  operator.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
  });

  options.publicRoutes(operator);

  await operator.register(async (enrolment) => {
    enrolment.addHook('onRequest', async (request) => {
      const identity = await findOperatorIdentity(request, deps, config);
      if (!identity) throw new AppError('UNAUTHENTICATED');
      request.operatorIdentity = identity;
    });
    options.enrolmentRoutes(enrolment);
  });

  await operator.register(async (signedIn) => {
    signedIn.addHook('onRequest', async (request) => {
      const identity = await findOperatorIdentity(request, deps, config);
      if (!identity) throw new AppError('UNAUTHENTICATED');
      if (identity.stage !== 'signed_in') throw new AppError('TOTP_ENROLMENT_REQUIRED');
      request.operatorIdentity = identity;
    });
    options.signedInRoutes(signedIn);
  });
};

/** The operator of a request (pending or signed in), or undefined; also for the console's HTML shell. */
export async function findOperatorIdentity(request: FastifyRequest, deps: Deps, config: Config): Promise<OperatorIdentity | undefined> {
  const token = readSessionCookie(request, config, 'operator');
  return token ? resolveOperatorSession(operatorAuthContextOf(deps, config), token) : undefined;
}
