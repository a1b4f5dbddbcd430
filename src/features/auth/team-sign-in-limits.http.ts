import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allowAll, createKeyedRateLimit } from '../../http/rate-limit.js';
import { AppError } from '../../platform/errors.js';

/**
 * Per-address limits on team sign-in endpoints (SECURITY.md §1, ASVS 6.1.1), on @fastify/rate-limit's
 * store (memory, or Redis shared by every instance). They sit beside the per-email lockout
 * (sign-in-throttle.service.ts): the lockout stops guessing one account's password, these stop one
 * address from spraying many accounts. Reset requests over a limit get the usual 202 and send nothing.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface TeamSignInLimits {
  /** @throws RATE_LIMITED */
  checkSignIn(request: FastifyRequest): Promise<void>;
  /** @throws RATE_LIMITED — token spending: reset, accept-invite */
  checkTokenAttempt(request: FastifyRequest): Promise<void>;
  /** False when this reset request must be dropped silently. */
  allowResetRequest(request: FastifyRequest, email: string): Promise<boolean>;
}

export function createTeamSignInLimits(app: FastifyInstance): TeamSignInLimits {
  const signInPerIp = createKeyedRateLimit(app, 'team-sign-in-ip', 30, 15 * MINUTE);
  const tokenPerIp = createKeyedRateLimit(app, 'team-token-ip', 50, 15 * MINUTE);
  const resetPerIp = createKeyedRateLimit(app, 'team-reset-ip', 20, 15 * MINUTE);
  const resetPerEmailMinute = createKeyedRateLimit(app, 'team-reset-email-1m', 1, MINUTE);
  const resetPerEmailHour = createKeyedRateLimit(app, 'team-reset-email-1h', 5, HOUR);

  return {
    async checkSignIn(request) {
      if (!(await signInPerIp(request, request.ip))) throw new AppError('RATE_LIMITED');
    },
    async checkTokenAttempt(request) {
      if (!(await tokenPerIp(request, request.ip))) throw new AppError('RATE_LIMITED');
    },
    allowResetRequest: (request, email) =>
      allowAll([() => resetPerIp(request, request.ip), () => resetPerEmailMinute(request, email), () => resetPerEmailHour(request, email)]),
  };
}
