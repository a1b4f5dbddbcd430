import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { pingDatabase } from '../db/ping.js';
import { AppError } from '../errors.js';

const ZHealth = z.object({ status: z.literal('ok') });
const ZReady = z.object({ status: z.literal('ready') });

/** `/healthz`: the process answers. `/readyz`: and its database does too (for load balancers). */
export function registerHealthRoutes(app: FastifyInstance, db: Db): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/healthz', { schema: { tags: ['health'], response: { 200: ZHealth } } }, async () => ({ status: 'ok' as const }));
  typed.get('/readyz', { schema: { tags: ['health'], response: { 200: ZReady } } }, async (request) => {
    try {
      await pingDatabase(db);
    } catch (cause) {
      request.log.error({ err: cause }, 'database is not reachable');
      throw new AppError('SERVICE_UNAVAILABLE', undefined, { cause });
    }
    return { status: 'ready' as const };
  });
}
