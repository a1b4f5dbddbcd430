import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { isAppError } from '../../platform/errors.js';
import { registerTeamMemberRoutes } from '../team/team.routes.js';
import { acceptTeamInvitation } from '../team/invitation.service.js';
import { requestTeamPasswordReset, resetTeamPassword } from './team-password-reset.service.js';
import { disableTotp, enableTotp, startTotpSetup } from './team-second-factor.service.js';
import { AccountLockedError } from './sign-in-throttle.service.js';
import { presentTeamSession } from './team-auth.presenter.js';
import {
  ZAcceptInvitationRequest,
  ZAccepted,
  ZTeamMeResponse,
  ZTeamResetPasswordRequest,
  ZTeamResetRequest,
  ZTeamSession,
  ZTeamSignInRequest,
  ZTeamSwitchRequest,
  ZTotpDisableRequest,
  ZTotpEnableRequest,
  ZTotpEnableResponse,
  ZTotpSetupResponse,
} from './team-auth.schemas.js';
import { teamAuthContextOf } from './team-auth-context.js';
import { clearTeamCookie, readTeamCookie, setTeamCookie, teamIdentityOf, teamRequestMeta } from '../sessions/team-session.http.js';
import { endTeamSession } from '../sessions/team-session.service.js';
import { createTeamSignInLimits } from './team-sign-in-limits.http.js';
import { describeTeamSession, signInTeamMember, switchTeamTenant, type TeamSignedIn } from './team-sign-in.service.js';

const TAGS = ['team auth'];

/**
 * The team app's sign-in API under `/api/team/…` (not under a portal prefix: one team app serves
 * every organisation; the session names the tenant). Also registers the team member routes.
 */
export function registerTeamAuthRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const limits = createTeamSignInLimits(app);
  const ctx = teamAuthContextOf(deps, config);

  // Every team API answer is about one signed-in person: never cached, never leaking a Referer.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/team/')) reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
  });

  const sendSignedIn = (reply: FastifyReply, signedIn: TeamSignedIn) => {
    setTeamCookie(reply, config, signedIn.sessionToken, signedIn.expiresAt);
    return presentTeamSession(signedIn.member, signedIn.tenant, signedIn.memberships);
  };
  /** A lock answers 429 with Retry-After; everything else passes through to the error handler. */
  const withRetryAfter = async <T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (isAppError(error) && error instanceof AccountLockedError) reply.header('retry-after', String(error.retryAfterSeconds));
      throw error;
    }
  };

  typed.post(
    '/api/team/auth/sign-in',
    { schema: { tags: TAGS, body: ZTeamSignInRequest, response: { 200: ZTeamSession } } },
    async (request, reply) => {
      await limits.checkSignIn(request);
      const signedIn = await withRetryAfter(reply, () =>
        signInTeamMember(ctx, request.body, teamRequestMeta(request), readTeamCookie(request, config)),
      );
      return sendSignedIn(reply, signedIn);
    },
  );

  typed.post('/api/team/auth/sign-out', { schema: { tags: TAGS } }, async (request, reply) => {
    const token = readTeamCookie(request, config);
    if (token) await endTeamSession(deps, token);
    clearTeamCookie(reply, config);
    return reply.code(204).send();
  });

  typed.post(
    '/api/team/auth/switch',
    { schema: { tags: TAGS, body: ZTeamSwitchRequest, response: { 200: ZTeamSession } } },
    async (request, reply) => {
      const identity = await teamIdentityOf(request, deps, config);
      const signedIn = await switchTeamTenant(
        ctx,
        identity.accountId,
        request.body.tenantId,
        teamRequestMeta(request),
        readTeamCookie(request, config),
      );
      return sendSignedIn(reply, signedIn);
    },
  );

  typed.get('/api/team/me', { schema: { tags: TAGS, response: { 200: ZTeamMeResponse } } }, async (request) => {
    const identity = await teamIdentityOf(request, deps, config);
    const me = await describeTeamSession(ctx, identity);
    return { ...presentTeamSession(me.member, identity.viewer.tenant, me.memberships), account: { totpEnabled: me.totpEnabled } };
  });

  typed.post(
    '/api/team/auth/reset-request',
    { schema: { tags: TAGS, body: ZTeamResetRequest, response: { 202: ZAccepted } } },
    async (request, reply) => {
      // Whatever happens next, the answer is the same: limited, unknown and known addresses alike.
      if (await limits.allowResetRequest(request, request.body.email.trim().toLowerCase())) {
        await requestTeamPasswordReset(deps, request.body.email, teamRequestMeta(request));
        deps.wakeWorker();
      }
      return reply.code(202).send({ message: 'If this address belongs to a team account, a link to choose a new password is on its way.' });
    },
  );

  typed.post('/api/team/auth/reset', { schema: { tags: TAGS, body: ZTeamResetPasswordRequest } }, async (request, reply) => {
    await limits.checkTokenAttempt(request);
    await resetTeamPassword(ctx, request.body.token, request.body.password, teamRequestMeta(request));
    clearTeamCookie(reply, config);
    return reply.code(204).send();
  });

  typed.post(
    '/api/team/auth/accept-invite',
    { schema: { tags: TAGS, body: ZAcceptInvitationRequest, response: { 200: ZTeamSession } } },
    async (request, reply) => {
      await limits.checkTokenAttempt(request);
      const signedIn = await withRetryAfter(reply, () =>
        acceptTeamInvitation(ctx, request.body, teamRequestMeta(request), readTeamCookie(request, config)),
      );
      return sendSignedIn(reply, signedIn);
    },
  );

  typed.post('/api/team/me/totp/setup', { schema: { tags: TAGS, response: { 200: ZTotpSetupResponse } } }, async (request) => {
    return startTotpSetup(ctx, await teamIdentityOf(request, deps, config));
  });

  typed.post(
    '/api/team/me/totp/enable',
    { schema: { tags: TAGS, body: ZTotpEnableRequest, response: { 200: ZTotpEnableResponse } } },
    async (request) => enableTotp(ctx, await teamIdentityOf(request, deps, config), request.body.code),
  );

  typed.post('/api/team/me/totp/disable', { schema: { tags: TAGS, body: ZTotpDisableRequest } }, async (request, reply) => {
    await disableTotp(ctx, await teamIdentityOf(request, deps, config), request.body);
    return reply.code(204).send();
  });

  registerTeamMemberRoutes(app, { deps, config });
}
