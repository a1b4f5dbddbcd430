import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * Registers @fastify/rate-limit without a global limit: routes set `config.rateLimit`, and keyed
 * limits are made with `createKeyedRateLimit`. Counts live in memory by default and in Redis when
 * one is configured, so several app instances share them. If Redis fails, requests are limited as
 * if over the limit rather than let through (skipOnError: false): sign-in limits protect inboxes.
 */
export async function registerRateLimit(app: FastifyInstance, redis: Redis | null): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'rl:', skipOnError: false } : {}),
  });
}

/** Counts one hit for `key` and answers false when the limit for that key is exhausted. */
export type KeyedRateLimit = (request: FastifyRequest, key: string) => Promise<boolean>;

type Check = (request: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded?: boolean }>;

// @fastify/rate-limit derives a key from the request only, so the caller's key travels on the
// request for the duration of one check. Checks of one request therefore run one after another.
const limitKeys = new WeakMap<FastifyRequest, string>();

/**
 * A limit of `max` hits per `timeWindowMs` for each key (an address, an email, a tenant, a contact),
 * counted in the store chosen by `registerRateLimit` under `${name}:${key}`.
 */
export function createKeyedRateLimit(app: FastifyInstance, name: string, max: number, timeWindowMs: number): KeyedRateLimit {
  const check = app.createRateLimit({
    max,
    timeWindow: timeWindowMs,
    keyGenerator: (request) => `${name}:${limitKeys.get(request) ?? ''}`,
  }) as Check;
  return async (request, key) => {
    limitKeys.set(request, key);
    const result = await check(request);
    return result.isAllowed || !result.isExceeded;
  };
}

/** The outcome of one counted hit: allowed, or refused until `retryAfterMs` has passed. */
export interface KeyedLimitResult {
  readonly allowed: boolean;
  /** Until the window of this key ends (when the count starts again). */
  readonly retryAfterMs: number;
}

/** Counts one hit for `key` against a limit of `max` given per call (per-organisation limits). */
export type VariableKeyedLimit = (request: FastifyRequest, key: string, max: number) => Promise<KeyedLimitResult>;

const limitMaxes = new WeakMap<FastifyRequest, number>();

/**
 * Like `createKeyedRateLimit`, but each check names its own `max` (an organisation may set its
 * own) and answers how long until the window ends, for a `Retry-After`. Counted in the same store
 * under `${name}:${key}`; a lower max applies at once to the count so far.
 */
export function createVariableKeyedLimit(app: FastifyInstance, name: string, timeWindowMs: number): VariableKeyedLimit {
  const check = app.createRateLimit({
    max: (request: FastifyRequest) => limitMaxes.get(request) ?? 0,
    timeWindow: timeWindowMs,
    keyGenerator: (request) => `${name}:${limitKeys.get(request) ?? ''}`,
  } as Parameters<FastifyInstance['createRateLimit']>[0]) as (
    request: FastifyRequest,
  ) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttl?: number }>;
  return async (request, key, max) => {
    limitKeys.set(request, key);
    limitMaxes.set(request, max);
    const result = await check(request);
    return { allowed: result.isAllowed || !result.isExceeded, retryAfterMs: result.ttl ?? timeWindowMs };
  };
}

/** Runs every check one after another and counts each even after one has failed; true when all allowed. */
export async function allowAll(checks: readonly (() => Promise<boolean>)[]): Promise<boolean> {
  let allowed = true;
  for (const check of checks) allowed = (await check()) && allowed;
  return allowed;
}
