import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../../http/session-cookie.js';
import { createKeyedRateLimit } from '../../http/rate-limit.js';
import { AppError } from '../../platform/errors.js';
import { operatorAuthContextOf } from './operator-auth-context.js';
import { presentOperatorSession } from './operator-auth.presenter.js';
import {
  ZOperatorSession,
  ZOperatorSignInRequest,
  ZOperatorTotpConfirmRequest,
  ZOperatorTotpConfirmResponse,
  ZOperatorTotpSetupResponse,
} from './operator-auth.schemas.js';
import {
  confirmOperatorTotp,
  type OperatorSignedIn,
  signInOperator,
  signOutOperator,
  startOperatorTotpSetup,
} from './operator-auth.service.js';

const TAGS = ['operator auth'];

function sendSignedIn(reply: FastifyReply, config: Config, signedIn: OperatorSignedIn) {
  setSessionCookie(reply, config, 'operator', signedIn.sessionToken, signedIn.expiresAt);
  return presentOperatorSession(signedIn.operator, signedIn.stage);
}

/** Sign-in and sign-out of the operator console; inside the operator surface's public routes. */
export function registerOperatorAuthRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  // Per address, beside the per-email lockout: one address cannot spray many operator emails.
  const signInPerIp = createKeyedRateLimit(app, 'operator-sign-in-ip', 20, 15 * 60_000);
  const ctx = operatorAuthContextOf(deps, config);

  typed.post(
    '/api/operator/auth/sign-in',
    { schema: { tags: TAGS, body: ZOperatorSignInRequest, response: { 200: ZOperatorSession } } },
    async (request, reply) => {
      if (!(await signInPerIp(request, request.ip))) throw new AppError('RATE_LIMITED');
      const signedIn = await signInOperator(ctx, request.body, requestMetaOf(request), readSessionCookie(request, config, 'operator'));
      return sendSignedIn(reply, config, signedIn);
    },
  );

  typed.post('/api/operator/auth/sign-out', { schema: { tags: TAGS } }, async (request, reply) => {
    const token = readSessionCookie(request, config, 'operator');
    if (token) await signOutOperator(ctx, token);
    clearSessionCookie(reply, config, 'operator');
    return reply.code(204).send();
  });
}

/** Who is signed in, and TOTP enrolment; reachable by a session opened with the password alone. */
export function registerOperatorEnrolmentRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const ctx = operatorAuthContextOf(deps, config);

  typed.get('/api/operator/me', { schema: { tags: TAGS, response: { 200: ZOperatorSession } } }, async (request) =>
    presentOperatorSession(request.operatorIdentity.operator, request.operatorIdentity.stage),
  );

  typed.post('/api/operator/auth/totp/setup', { schema: { tags: TAGS, response: { 200: ZOperatorTotpSetupResponse } } }, async (request) =>
    startOperatorTotpSetup(ctx, request.operatorIdentity),
  );

  typed.post(
    '/api/operator/auth/totp/confirm',
    { schema: { tags: TAGS, body: ZOperatorTotpConfirmRequest, response: { 200: ZOperatorTotpConfirmResponse } } },
    async (request, reply) => {
      const confirmed = await confirmOperatorTotp(
        ctx,
        request.operatorIdentity,
        request.body.code,
        requestMetaOf(request),
        readSessionCookie(request, config, 'operator'),
      );
      return { ...sendSignedIn(reply, config, confirmed), recoveryCodes: confirmed.recoveryCodes };
    },
  );
}
