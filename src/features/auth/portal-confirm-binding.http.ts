import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { isHttpsRequest } from '../../http/session-cookie.js';
import type { Clock } from '../../platform/clock.js';
import { hashToken, safeEqual } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';

/**
 * Binds the confirm POST to a visit of the confirmation page (SECURITY.md §1). Fetch-metadata
 * headers are easy to forge outside a browser, so the page's first call (link-info, which carries
 * the token from the fragment) sets a cookie that names this link, and the confirm POST must bring
 * it back. A browser does this without the customer noticing; a script that never opened the page
 * is refused before the link is even looked up, so its attempts neither spend nor count against it.
 *
 * Nothing is stored: the value is `expiry.HMAC(APP_SECRET, tenant, token hash, expiry)`. The cookie
 * is host-only (no Domain), HttpOnly, SameSite=Strict, Secure with the `__Secure-` prefix over
 * HTTPS (`__Host-` would force Path=/), sent only to this portal's confirm path, for 15 minutes.
 */
const NAME = 'sign_in_confirm';
export const CONFIRM_BINDING_LIFETIME_SECONDS = 15 * 60;
const VALUE_FORMAT = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export interface ConfirmBinding {
  /** Sets the cookie for this link, answering the confirmation page's link-info call. */
  bind(reply: FastifyReply, target: { tenantId: string; basePath: string; token: string }): void;
  /** @throws SIGN_IN_CONFIRM_UNBOUND when the request lacks a live cookie for this link */
  requireBound(request: FastifyRequest, target: { tenantId: string; token: string }): void;
}

export function createConfirmBinding(options: { config: Config; appSecret: string; clock: Clock }): ConfirmBinding {
  const { config, appSecret, clock } = options;
  // Secure (and `__Secure-`) whenever the request is HTTPS, like the session cookie.
  const nameFor = (secure: boolean) => (secure ? `__Secure-${NAME}` : NAME);
  const macOf = (tenantId: string, token: string, expiry: number) =>
    createHmac('sha256', appSecret)
      .update(`portal-confirm-binding v1\n${tenantId}\n${hashToken(token)}\n${expiry}`)
      .digest('base64url');
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  return {
    bind(reply, { tenantId, basePath, token }) {
      const expiry = nowSeconds() + CONFIRM_BINDING_LIFETIME_SECONDS;
      const secure = isHttpsRequest(reply.request, config);
      reply.setCookie(nameFor(secure), `${expiry}.${macOf(tenantId, token, expiry)}`, {
        httpOnly: true,
        secure,
        sameSite: 'strict',
        path: `${basePath}/api/auth/confirm`,
        maxAge: CONFIRM_BINDING_LIFETIME_SECONDS,
      });
    },
    requireBound(request, { tenantId, token }) {
      const match = VALUE_FORMAT.exec(request.cookies[nameFor(isHttpsRequest(request, config))] ?? '');
      const expiry = Number(match?.[1]);
      // The expiry is inside the MAC, so a client cannot stretch it; the browser drops it at Max-Age anyway.
      const isLive = match !== null && expiry > nowSeconds() && safeEqual(match[2]!, macOf(tenantId, token, expiry));
      if (!isLive) throw new AppError('SIGN_IN_CONFIRM_UNBOUND');
    },
  };
}
