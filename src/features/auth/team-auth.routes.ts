import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { acceptTeamInvitation } from '../team/invitation.service.js';
import { requestTeamPasswordReset, resetTeamPassword } from './team-password-reset.service.js';
import { disableTotp, enableTotp, startTotpSetup } from './team-second-factor.service.js';
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
import { requestMetaOf } from '../../http/request-meta.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../../http/session-cookie.js';
import { endSession } from '../sessions/session.service.js';
import { createTeamSignInLimits } from './team-sign-in-limits.http.js';
import { describeTeamSession, signInTeamMember, switchTeamTenant, type TeamSignedIn } from './team-sign-in.service.js';

const TAGS = ['team auth'];

/** Sets the team session cookie of a sign-in and answers who is signed in where. */
function sendSignedIn(reply: FastifyReply, config: Config, signedIn: TeamSignedIn) {
  setSessionCookie(reply, config, 'team', signedIn.sessionToken, signedIn.expiresAt);
  return presentTeamSession(signedIn.member, signedIn.tenant, signedIn.memberships);
}

/**
 * The team app's public sign-in API under `/api/team/…` (not under a portal prefix: one team app
 * serves every organisation; the session names the tenant): sign-in, sign-out, password reset,
 * accepting an invitation. Registered inside the team surface's public routes.
 */
export function registerTeamAuthRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const limits = createTeamSignInLimits(app);
  const ctx = teamAuthContextOf(deps, config);
  typed.post(
    '/api/team/auth/sign-in',
    { schema: { tags: TAGS, body: ZTeamSignInRequest, response: { 200: ZTeamSession } } },
    async (request, reply) => {
      await limits.checkSignIn(request);
      const signedIn = await signInTeamMember(ctx, request.body, requestMetaOf(request), readSessionCookie(request, config, 'team'));
      return sendSignedIn(reply, config, signedIn);
    },
  );

  typed.post('/api/team/auth/sign-out', { schema: { tags: TAGS } }, async (request, reply) => {
    const token = readSessionCookie(request, config, 'team');
    if (token) await endSession(deps, { audience: 'team', token });
    clearSessionCookie(reply, config, 'team');
    return reply.code(204).send();
  });

  typed.post(
    '/api/team/auth/reset-request',
    { schema: { tags: TAGS, body: ZTeamResetRequest, response: { 202: ZAccepted } } },
    async (request, reply) => {
      // Whatever happens next, the answer is the same: limited, unknown and known addresses alike.
      if (await limits.allowResetRequest(request, request.body.email.trim().toLowerCase())) {
        await requestTeamPasswordReset(deps, request.body.email, requestMetaOf(request));
        deps.wakeWorker();
      }
      return reply.code(202).send({ message: 'If this address belongs to a team account, a link to choose a new password is on its way.' });
    },
  );

  typed.post('/api/team/auth/reset', { schema: { tags: TAGS, body: ZTeamResetPasswordRequest } }, async (request, reply) => {
    await limits.checkTokenAttempt(request);
    await resetTeamPassword(ctx, request.body.token, request.body.password, requestMetaOf(request));
    clearSessionCookie(reply, config, 'team');
    return reply.code(204).send();
  });

  typed.post(
    '/api/team/auth/accept-invite',
    { schema: { tags: TAGS, body: ZAcceptInvitationRequest, response: { 200: ZTeamSession } } },
    async (request, reply) => {
      await limits.checkTokenAttempt(request);
      const signedIn = await acceptTeamInvitation(ctx, request.body, requestMetaOf(request), readSessionCookie(request, config, 'team'));
      return sendSignedIn(reply, config, signedIn);
    },
  );
}

/** The signed-in member's own session: switch organisation, `me`, two-factor setup. Inside the team surface's signed-in routes. */
export function registerTeamAccountRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const ctx = teamAuthContextOf(deps, config);

  typed.post(
    '/api/team/auth/switch',
    { schema: { tags: TAGS, body: ZTeamSwitchRequest, response: { 200: ZTeamSession } } },
    async (request, reply) => {
      const identity = request.teamIdentity;
      const signedIn = await switchTeamTenant(
        ctx,
        identity.accountId,
        request.body.tenantId,
        requestMetaOf(request),
        readSessionCookie(request, config, 'team'),
      );
      return sendSignedIn(reply, config, signedIn);
    },
  );

  typed.get('/api/team/me', { schema: { tags: TAGS, response: { 200: ZTeamMeResponse } } }, async (request) => {
    const identity = request.teamIdentity;
    const me = await describeTeamSession(ctx, identity);
    return { ...presentTeamSession(me.member, identity.viewer.tenant, me.memberships), account: { totpEnabled: me.totpEnabled } };
  });

  typed.post('/api/team/me/totp/setup', { schema: { tags: TAGS, response: { 200: ZTotpSetupResponse } } }, async (request) => {
    return startTotpSetup(ctx, request.teamIdentity);
  });

  typed.post(
    '/api/team/me/totp/enable',
    { schema: { tags: TAGS, body: ZTotpEnableRequest, response: { 200: ZTotpEnableResponse } } },
    async (request) => enableTotp(ctx, request.teamIdentity, request.body.code),
  );

  typed.post('/api/team/me/totp/disable', { schema: { tags: TAGS, body: ZTotpDisableRequest } }, async (request, reply) => {
    await disableTotp(ctx, request.teamIdentity, request.body);
    return reply.code(204).send();
  });
}
