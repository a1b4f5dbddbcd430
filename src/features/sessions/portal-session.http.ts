import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { resolvePortalSession, type PortalIdentity, type RequestMeta, type SessionLifetimes } from './portal-session.service.js';

/**
 * The portal session cookie (SECURITY.md §2): HttpOnly, SameSite=Lax, Path=/, no Domain, and the
 * `__Host-` prefix with Secure over HTTPS. It carries an opaque 256-bit secret; the server keeps
 * only its hash. Ids are never read from a query string or body.
 */
export function sessionCookieName(config: Config): string {
  return config.http.publicOrigin.startsWith('https:') ? '__Host-sid' : 'sid';
}

export function portalLifetimes(config: Config): SessionLifetimes {
  return { idleMs: config.sessions.portalIdleMs, absoluteMs: config.sessions.portalAbsoluteMs };
}

export function readSessionCookie(request: FastifyRequest, config: Config): string | undefined {
  const value = request.cookies[sessionCookieName(config)];
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string, expiresAt: Date): void {
  reply.setCookie(sessionCookieName(config), token, {
    httpOnly: true,
    secure: config.http.publicOrigin.startsWith('https:'),
    sameSite: 'lax',
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(sessionCookieName(config), {
    httpOnly: true,
    secure: config.http.publicOrigin.startsWith('https:'),
    sameSite: 'lax',
    path: '/',
  });
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 500) ?? null };
}

/**
 * The signed-in customer of this request's portal, or 401 UNAUTHENTICATED. A cookie of another
 * tenant's portal, a revoked or expired session, or a disabled contact all end here.
 */
export async function requirePortalIdentity(
  request: FastifyRequest,
  ctx: AppContext,
  config: Config,
  tenantId: string,
): Promise<PortalIdentity> {
  const token = readSessionCookie(request, config);
  const identity = token ? await resolvePortalSession(ctx, tenantId, token, portalLifetimes(config)) : undefined;
  if (!identity) throw new AppError('UNAUTHENTICATED');
  return identity;
}
