import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import type { SessionAudience } from '../features/sessions/session.service.js';

/**
 * The session cookies (SECURITY.md §2): HttpOnly, SameSite=Lax, Path=/, no Domain (host-only: a
 * custom domain's session is never sent to the platform host or another domain), and the
 * `__Host-` prefix with Secure over HTTPS — when PUBLIC_URL is HTTPS, or when this request came
 * over HTTPS (a custom domain on the HTTPS listener, or behind a trusted proxy saying so). Each carries an opaque 256-bit secret; the server keeps
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

/** The cookie's name for this request: `__Host-` whenever the request is HTTPS. */
function cookieNameFor(request: FastifyRequest, config: Config, audience: CookieAudience): string {
  return isHttpsRequest(request, config) ? `__Host-${NAMES[audience]}` : NAMES[audience];
}

export function readSessionCookie(request: FastifyRequest, config: Config, audience: CookieAudience): string | undefined {
  const value = request.cookies[cookieNameFor(request, config, audience)];
  return value && TOKEN_FORMAT.test(value) ? value : undefined;
}

export function setSessionCookie(reply: FastifyReply, config: Config, audience: CookieAudience, token: string, expiresAt: Date): void {
  reply.setCookie(cookieNameFor(reply.request, config, audience), token, { ...attributes(reply.request, config), expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, config: Config, audience: CookieAudience): void {
  reply.clearCookie(cookieNameFor(reply.request, config, audience), attributes(reply.request, config));
}

function attributes(request: FastifyRequest, config: Config) {
  return { httpOnly: true, secure: isHttpsRequest(request, config), sameSite: 'lax', path: '/' } as const;
}

/** Whether the portal is served over HTTPS: cookies are then Secure and carry a `__Host-`/`__Secure-` prefix. */
export function isHttps(config: Config): boolean {
  return config.http.publicOrigin.startsWith('https:');
}

/** Whether this request is served over HTTPS: PUBLIC_URL says so, or the connection (or a trusted proxy) does. */
export function isHttpsRequest(request: FastifyRequest, config: Config): boolean {
  return isHttps(config) || request.protocol === 'https';
}
