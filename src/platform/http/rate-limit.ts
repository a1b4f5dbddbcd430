import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * Registers @fastify/rate-limit without a global limit: features create their own limiters with
 * `app.createRateLimit`. Counts live in memory by default and in Redis when one is configured,
 * so several app instances share them. If Redis fails, requests are limited as if over the limit
 * rather than let through (skipOnError: false): sign-in limits protect customers' inboxes.
 */
export async function registerRateLimit(app: FastifyInstance, redis: Redis | null): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'rl:', skipOnError: false } : {}),
  });
}
