import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';

/**
 * Sign-in rate limits (SECURITY.md §1) on @fastify/rate-limit's store — in memory, or Redis when
 * REDIS_URL is set so every app instance shares the counts. Link requests over a limit get the
 * same answer as any other (nothing is sent); confirm, code and link-info attempts get 429.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SignInLimits {
  /** False when any limit for this request is exhausted; counts the request either way. */
  allowLinkRequest(request: FastifyRequest, tenantId: string, email: string): Promise<boolean>;
  allowResend(request: FastifyRequest, tenantId: string, token: string): Promise<boolean>;
  /** @throws RATE_LIMITED when this address made too many confirm / code attempts */
  checkAttempt(request: FastifyRequest): Promise<void>;
}

type Check = (request: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded?: boolean }>;

export function createSignInLimits(app: FastifyInstance): SignInLimits {
  // The key is computed by the caller and passed on the request for the limiter's keyGenerator.
  const keyed = (prefix: string, max: number, timeWindow: number): ((request: FastifyRequest, key: string) => Promise<boolean>) => {
    const check = app.createRateLimit({ max, timeWindow, keyGenerator: (request) => `${prefix}:${limitKeys.get(request) ?? ''}` }) as Check;
    return async (request, key) => {
      limitKeys.set(request, key);
      const result = await check(request);
      return result.isAllowed || !result.isExceeded;
    };
  };
  const limitKeys = new WeakMap<FastifyRequest, string>();

  const linkPerIp = keyed('link-ip', 30, 15 * MINUTE);
  const linkPerEmailMinute = keyed('link-email-1m', 1, MINUTE);
  const linkPerEmailHour = keyed('link-email-1h', 5, HOUR);
  const linkPerTenantDay = keyed('link-tenant-1d', 2000, 24 * HOUR);
  const attemptPerIp = keyed('attempt-ip', 100, 15 * MINUTE);

  // One after another: the key travels on the request, so two checks must not overlap. Every
  // check runs (and counts) even after one has failed.
  const allOf = async (checks: (() => Promise<boolean>)[]): Promise<boolean> => {
    let allowed = true;
    for (const check of checks) allowed = (await check()) && allowed;
    return allowed;
  };

  return {
    allowLinkRequest: (request, tenantId, email) =>
      allOf([
        () => linkPerIp(request, request.ip),
        () => linkPerEmailMinute(request, `${tenantId}:${email}`),
        () => linkPerEmailHour(request, `${tenantId}:${email}`),
        () => linkPerTenantDay(request, tenantId),
      ]),
    allowResend: (request, tenantId, token) =>
      allOf([
        () => linkPerIp(request, request.ip),
        () => linkPerEmailMinute(request, `${tenantId}:resend:${hashToken(token)}`),
        () => linkPerTenantDay(request, tenantId),
      ]),
    async checkAttempt(request) {
      if (!(await attemptPerIp(request, request.ip))) throw new AppError('RATE_LIMITED');
    },
  };
}
