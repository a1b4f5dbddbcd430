import { statfs } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { pingDatabase } from '../db/ping.js';
import { AppError } from '../errors.js';

const ZHealth = z.object({ status: z.literal('ok') });
const ZReady = z.object({ status: z.literal('ready') });

/**
 * `/healthz`: the process answers. `/readyz`: and its database does too, and the data directory
 * has room to write (for load balancers: a full disk takes an instance out of rotation).
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  db: Db,
  disk: { readonly dataDir: string; readonly minFreeBytes: number },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/healthz', { schema: { tags: ['health'], response: { 200: ZHealth } } }, async () => ({ status: 'ok' as const }));
  typed.get('/readyz', { schema: { tags: ['health'], response: { 200: ZReady } } }, async (request) => {
    try {
      await pingDatabase(db);
    } catch (cause) {
      request.log.error({ err: cause }, 'database is not reachable');
      throw new AppError('SERVICE_UNAVAILABLE', undefined, { cause });
    }
    const free = await freeBytes(disk.dataDir);
    if (free !== undefined && free < disk.minFreeBytes) {
      request.log.error({ dataDir: disk.dataDir, freeBytes: free, minFreeBytes: disk.minFreeBytes }, 'data directory is nearly full');
      throw new AppError('SERVICE_UNAVAILABLE', 'The server is running out of storage space.');
    }
    return { status: 'ready' as const };
  });
}

/** Bytes an unprivileged process may still write in `dir`; undefined when it cannot be read. */
async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const stats = await statfs(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return undefined;
  }
}
