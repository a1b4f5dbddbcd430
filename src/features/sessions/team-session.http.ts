import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { type RequestMeta, resolveTeamSession, type TeamIdentity, type TeamSessionLifetimes } from './team-session.service.js';

/**
 * The team session cookie (SECURITY.md §2): HttpOnly, SameSite=Lax, Path=/, no Domain, and the
 * `__Host-` prefix with Secure over HTTPS. Separate from the portal's cookie, so a person who is
 * both a customer and staff keeps two independent sessions. Ids are never read from a query
 * string or body.
 */
export function teamCookieName(config: Config): string {
  return isHttps(config) ? '__Host-servelo_team' : 'servelo_team';
}

export function teamLifetimes(config: Config): TeamSessionLifetimes {
  return { idleMs: config.teamAuth.sessionIdleMs, absoluteMs: config.teamAuth.sessionAbsoluteMs };
}

export function readTeamCookie(request: FastifyRequest, config: Config): string | undefined {
  const value = request.cookies[teamCookieName(config)];
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}

export function setTeamCookie(reply: FastifyReply, config: Config, token: string, expiresAt: Date): void {
  reply.setCookie(teamCookieName(config), token, {
    httpOnly: true,
    secure: isHttps(config),
    sameSite: 'lax',
    path: '/',
    expires: expiresAt,
  });
}

export function clearTeamCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(teamCookieName(config), { httpOnly: true, secure: isHttps(config), sameSite: 'lax', path: '/' });
}

export function teamRequestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 500) ?? null };
}

// One resolution per request, however many times a handler asks.
const resolved = new WeakMap<FastifyRequest, Promise<TeamIdentity | undefined>>();

/**
 * The signed-in team member of this request with the account behind it, or 401 UNAUTHENTICATED
 * (no cookie, revoked, idle for longer than the idle timeout, past its absolute lifetime, member
 * disabled, tenant suspended).
 */
export async function teamIdentityOf(request: FastifyRequest, ctx: AppContext, config: Config): Promise<TeamIdentity> {
  let pending = resolved.get(request);
  if (!pending) {
    const token = readTeamCookie(request, config);
    pending = token ? resolveTeamSession(ctx, token, teamLifetimes(config)) : Promise.resolve(undefined);
    resolved.set(request, pending);
  }
  const identity = await pending;
  if (!identity) throw new AppError('UNAUTHENTICATED');
  return identity;
}

/**
 * The contract team routes use: the viewer of this request, established by the session cookie
 * (never from input). Tenant status, membership status and role are re-read on every request.
 * @throws UNAUTHENTICATED
 */
export async function teamViewerOf(request: FastifyRequest, ctx: AppContext, config: Config): Promise<TeamViewer> {
  return (await teamIdentityOf(request, ctx, config)).viewer;
}

function isHttps(config: Config): boolean {
  return config.http.publicOrigin.startsWith('https:');
}
