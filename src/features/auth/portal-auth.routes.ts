import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { requireEmail } from '../../platform/email-address.js';
import { updateContactProfile } from '../clients/client.service.js';
import { portalOf } from '../../http/portal-surface.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../../http/session-cookie.js';
import { presentMe } from './portal-auth.presenter.js';
import {
  ZCodeRequest,
  ZConfirmRequest,
  ZLinkInfoRequest,
  ZLinkInfoResponse,
  ZMeResponse,
  ZRequestLinkRequest,
  ZRequestLinkResponse,
  ZResendRequest,
  ZSignedIn,
  ZUpdateProfileRequest,
} from './portal-auth.schemas.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { endAllSessions, endSession, sessionLifetimesOf } from '../sessions/session.service.js';
import { emailOfSignInLink, requestSignInLink, resendSignInLink } from './portal-sign-in-link.service.js';
import { confirmSignIn, describeLink, signInWithCode, type SignedIn, type SignInContext } from './portal-sign-in.service.js';
import { createSignInLimits } from './portal-sign-in-limits.http.js';
import { createConfirmBinding } from './portal-confirm-binding.http.js';

const ZSlugParams = z.object({ slug: z.string() });

/** Auth answers are about one browser: never cached, never leaking the page in a Referer. */
function privateReply(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
}

/** Portal sign-in (public): request a link, read and spend it, the one-time code, sign-out. */
export function registerPortalAuthRoutes(portal: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = portal.withTypeProvider<ZodTypeProvider>();
  const limits = createSignInLimits(portal);
  const binding = createConfirmBinding({ config, appSecret: deps.appSecret, clock: deps.clock });

  const signInContext = (request: FastifyRequest, tenantId: string): SignInContext => ({
    tenantId,
    ...requestMetaOf(request),
    previousSessionToken: readSessionCookie(request, config, 'portal'),
    lifetimes: sessionLifetimesOf(config, 'portal'),
  });
  const genericAnswer = (tenantName: string) => ({
    message: `If this address belongs to a customer of ${tenantName}, a sign-in link is on its way. It can take a minute to arrive.`,
  });
  const sendSignedIn = (reply: FastifyReply, signedIn: SignedIn, locale: string) => {
    setSessionCookie(reply, config, 'portal', signedIn.sessionToken, signedIn.expiresAt);
    return { landingPath: signedIn.landingPath, me: presentMe(signedIn.identity, locale) };
  };

  typed.post(
    '/api/auth/request-link',
    { schema: { tags: ['portal auth'], params: ZSlugParams, body: ZRequestLinkRequest, response: { 202: ZRequestLinkResponse } } },
    async (request, reply) => {
      const { tenant } = portalOf(request);
      privateReply(reply);
      const email = requireEmail(request.body.email);
      // Whatever happens next, the answer is the same: limited, unknown and known addresses alike.
      if (await limits.allowLinkRequest(request, tenant.id, email)) {
        await requestSignInLink(deps, tenant.id, { email }, requestMetaOf(request));
        deps.wakeWorker();
      }
      return reply.code(202).send(genericAnswer(tenant.name));
    },
  );

  typed.post(
    '/api/auth/resend',
    { schema: { tags: ['portal auth'], params: ZSlugParams, body: ZResendRequest, response: { 202: ZRequestLinkResponse } } },
    async (request, reply) => {
      const { tenant } = portalOf(request);
      privateReply(reply);
      // A resend counts against the address it goes to, like a link request: old links cannot multiply the emails.
      const email = await emailOfSignInLink(deps, tenant.id, request.body.token);
      if (email !== undefined && (await limits.allowLinkRequest(request, tenant.id, email))) {
        if (await resendSignInLink(deps, tenant.id, request.body.token, requestMetaOf(request))) deps.wakeWorker();
      }
      return reply.code(202).send(genericAnswer(tenant.name));
    },
  );

  typed.post(
    '/api/auth/link-info',
    { schema: { tags: ['portal auth'], params: ZSlugParams, body: ZLinkInfoRequest, response: { 200: ZLinkInfoResponse } } },
    async (request, reply) => {
      const { tenant, basePath } = portalOf(request);
      privateReply(reply);
      await limits.checkAttempt(request);
      // The confirmation page reads its link here first: from now on this browser may confirm it.
      binding.bind(reply, { tenantId: tenant.id, basePath, token: request.body.token });
      return describeLink(deps, signInContext(request, tenant.id), request.body.token);
    },
  );

  typed.post(
    '/api/auth/confirm',
    { schema: { tags: ['portal auth'], params: ZSlugParams, body: ZConfirmRequest, response: { 200: ZSignedIn } } },
    async (request, reply) => {
      const { tenant } = portalOf(request);
      privateReply(reply);
      await limits.checkAttempt(request);
      binding.requireBound(request, { tenantId: tenant.id, token: request.body.token });
      return sendSignedIn(reply, await confirmSignIn(deps, signInContext(request, tenant.id), request.body.token), tenant.locale);
    },
  );

  typed.post(
    '/api/auth/code',
    { schema: { tags: ['portal auth'], params: ZSlugParams, body: ZCodeRequest, response: { 200: ZSignedIn } } },
    async (request, reply) => {
      const { tenant } = portalOf(request);
      privateReply(reply);
      await limits.checkAttempt(request);
      return sendSignedIn(
        reply,
        await signInWithCode(deps, signInContext(request, tenant.id), request.body.email, request.body.code),
        tenant.locale,
      );
    },
  );

  typed.post('/api/auth/logout', { schema: { tags: ['portal auth'], params: ZSlugParams } }, async (request, reply) => {
    const { tenant } = portalOf(request);
    privateReply(reply);
    const token = readSessionCookie(request, config, 'portal');
    if (token) await endSession(deps, { audience: 'portal', token, tenantId: tenant.id });
    clearSessionCookie(reply, config, 'portal');
    return reply.code(204).send();
  });
}

/** The signed-in customer's account (inside the portal surface's signed-in routes): `me` and sign-out everywhere. */
export function registerPortalAccountRoutes(portal: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = portal.withTypeProvider<ZodTypeProvider>();

  typed.post('/api/auth/logout-all', { schema: { tags: ['portal auth'], params: ZSlugParams } }, async (request, reply) => {
    const { tenant } = portalOf(request);
    privateReply(reply);
    await endAllSessions(forTenant(deps.db, tenant.id), deps.clock, 'portal', request.portalIdentity.contact.id);
    clearSessionCookie(reply, config, 'portal');
    return reply.code(204).send();
  });

  typed.patch(
    '/api/me',
    { schema: { tags: ['portal'], params: ZSlugParams, body: ZUpdateProfileRequest, response: { 200: ZMeResponse } } },
    async (request, reply) => {
      const { tenant } = portalOf(request);
      privateReply(reply);
      const identity = request.portalIdentity;
      const contact = await updateContactProfile(deps, tenant.id, identity.contact.id, request.body, tenant.locale);
      return presentMe({ ...identity, contact }, tenant.locale);
    },
  );

  typed.get('/api/me', { schema: { tags: ['portal'], params: ZSlugParams, response: { 200: ZMeResponse } } }, async (request, reply) => {
    const { tenant } = portalOf(request);
    privateReply(reply);
    return presentMe(request.portalIdentity, tenant.locale);
  });
}
