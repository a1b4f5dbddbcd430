import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { sessionLifetimesOf } from '../features/sessions/session.service.js';
import { resolveTeamSession, type TeamIdentity } from '../features/sessions/team-session.service.js';
import type { TeamViewer } from '../features/team/team-viewer.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { auditRefusals } from './refusal-audit.js';
import { readSessionCookie } from './session-cookie.js';

/**
 * The team app's API (`/api/team/…`) as one encapsulated plugin, doing the per-request work once:
 * every answer is marked `no-store` and `Referrer-Policy: no-referrer`; on the signed-in routes
 * the member comes from the session cookie (never from input) and a signed-out request is
 * answered 401 before its body or query is even parsed. One team app serves every organisation:
 * the session names the tenant. Tenant status, membership status and role are re-read on every
 * request.
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in member with the account behind it; set only on the team API's signed-in routes. */
    teamIdentity: TeamIdentity;
    /** The contract team routes pass to services; set only on the team API's signed-in routes. */
    teamViewer: TeamViewer;
  }
}

export interface TeamSurfaceOptions {
  readonly ctx: AppContext;
  readonly config: Config;
  /** Routes anyone may call: sign-in, sign-out, password reset, accepting an invitation. */
  readonly publicRoutes: (team: FastifyInstance) => void;
  /** Routes of the signed-in member: `request.teamViewer` is set. */
  readonly signedInRoutes: (team: FastifyInstance) => void;
}

export const teamSurface: FastifyPluginAsync<TeamSurfaceOptions> = async (team, options) => {
  const { ctx, config } = options;
  team.decorateRequest('teamIdentity', null as unknown as TeamIdentity);
  team.decorateRequest('teamViewer', null as unknown as TeamViewer);
  // Every team API answer is about one signed-in person: never cached, never leaking a Referer.
  // On send, so it holds for every answer here, file downloads and errors included.
  team.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
  });

  auditRefusals(team, {
    ctx,
    refusedBy: async (request, reason) => {
      // A cross-site write is refused before the member is resolved: it is looked up here.
      const viewer =
        (request.teamViewer as TeamViewer | null) ??
        (reason === 'cross_site' ? (await findTeamIdentity(request, ctx, config))?.viewer : undefined);
      return viewer ? { tenantId: viewer.tenant.id, actor: { kind: 'team_member', id: viewer.memberId } } : undefined;
    },
  });

  options.publicRoutes(team);

  await team.register(async (signedIn) => {
    signedIn.addHook('onRequest', async (request) => {
      const identity = await findTeamIdentity(request, ctx, config);
      if (!identity) throw new AppError('UNAUTHENTICATED');
      request.teamIdentity = identity;
      request.teamViewer = identity.viewer;
    });
    options.signedInRoutes(signedIn);
  });
};

/**
 * The signed-in team member of a request, or undefined (no cookie, revoked, idle for longer than
 * the idle timeout, past its absolute lifetime, member disabled, tenant suspended). For pages
 * outside the surface that show something else to a signed-out visitor (the team app's shell).
 */
export async function findTeamIdentity(request: FastifyRequest, ctx: AppContext, config: Config): Promise<TeamIdentity | undefined> {
  const token = readSessionCookie(request, config, 'team');
  return token ? resolveTeamSession(ctx, token, sessionLifetimesOf(config, 'team')) : undefined;
}
