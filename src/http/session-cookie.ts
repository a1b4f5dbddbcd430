import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import type { SessionAudience } from '../features/sessions/session.service.js';

/**
 * The session cookies (SECURITY.md §2): HttpOnly, SameSite=Lax, Path=/, no Domain, and the
 * `__Host-` prefix with Secure over HTTPS. Each carries an opaque 256-bit secret; the server keeps
 * only its hash. The portal's and the team app's are separate cookies, so a person who is both a
 * customer and staff keeps two independent sessions; the operator console has a third. Ids are never read from a query or a body.
 */
const NAMES: Record<CookieAudience, string> = { portal: 'sid', team: 'servelo_team', operator: 'servelo_operator' };
/** The portal's, the team app's and the operator console's cookies (operators keep their own sessions). */
export type CookieAudience = SessionAudience | 'operator';
/** What `generateToken` produces; anything else is not looked up at all. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{20,100}$/;

export function sessionCookieName(config: Config, audience: CookieAudience): string {
  return isHttps(config) ? `__Host-${NAMES[audience]}` : NAMES[audience];
}

export function readSessionCookie(request: FastifyRequest, config: Config, audience: CookieAudience): string | undefined {
  const value = request.cookies[sessionCookieName(config, audience)];
  return value && TOKEN_FORMAT.test(value) ? value : undefined;
}

export function setSessionCookie(reply: FastifyReply, config: Config, audience: CookieAudience, token: string, expiresAt: Date): void {
  reply.setCookie(sessionCookieName(config, audience), token, { ...attributes(config), expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, config: Config, audience: CookieAudience): void {
  reply.clearCookie(sessionCookieName(config, audience), attributes(config));
}

function attributes(config: Config) {
  return { httpOnly: true, secure: isHttps(config), sameSite: 'lax', path: '/' } as const;
}

/** Whether the portal is served over HTTPS: cookies are then Secure and carry a `__Host-`/`__Secure-` prefix. */
export function isHttps(config: Config): boolean {
  return config.http.publicOrigin.startsWith('https:');
}
