import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allowAll, createKeyedRateLimit } from '../../http/rate-limit.js';
import { AppError } from '../../platform/errors.js';

/**
 * Sign-in rate limits (SECURITY.md §1) on @fastify/rate-limit's store — in memory, or Redis when
 * REDIS_URL is set so every app instance shares the counts. Link requests over a limit get the
 * same answer as any other (nothing is sent); confirm, code and link-info attempts get 429.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SignInLimits {
  /** False when any limit for this request is exhausted; counts the request either way. Resends count here too. */
  allowLinkRequest(request: FastifyRequest, tenantId: string, email: string): Promise<boolean>;
  /** @throws RATE_LIMITED when this address made too many confirm / code attempts */
  checkAttempt(request: FastifyRequest): Promise<void>;
}

export function createSignInLimits(app: FastifyInstance): SignInLimits {
  const linkPerIp = createKeyedRateLimit(app, 'link-ip', 30, 15 * MINUTE);
  const linkPerEmailMinute = createKeyedRateLimit(app, 'link-email-1m', 1, MINUTE);
  const linkPerEmailHour = createKeyedRateLimit(app, 'link-email-1h', 5, HOUR);
  const linkPerTenantDay = createKeyedRateLimit(app, 'link-tenant-1d', 2000, 24 * HOUR);
  const attemptPerIp = createKeyedRateLimit(app, 'attempt-ip', 100, 15 * MINUTE);

  return {
    allowLinkRequest: (request, tenantId, email) =>
      allowAll([
        () => linkPerIp(request, request.ip),
        () => linkPerEmailMinute(request, `${tenantId}:${email}`),
        () => linkPerEmailHour(request, `${tenantId}:${email}`),
        () => linkPerTenantDay(request, tenantId),
      ]),
    async checkAttempt(request) {
      if (!(await attemptPerIp(request, request.ip))) throw new AppError('RATE_LIMITED');
    },
  };
}
