import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config/config.js';
import { createDb } from '../../src/platform/db/create-db.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { type PgCluster, startPgCluster } from '../helpers/pg-cluster.js';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../helpers/test-app.js';

/**
 * PostgreSQL restarting under a running Servelo (a cluster of the test's own, never the shared
 * server): the process survives connections cut mid-transaction, answers 503 with Retry-After
 * while the database is away, says so on /readyz, and serves again once it is back — without a
 * restart of Servelo.
 */
describe('a PostgreSQL restart under a running server', () => {
  let cluster: PgCluster;
  let t: TestApp;
  let g: TenantGraph;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const config: DatabaseConfig = { kind: 'postgres', url: cluster.url, poolMax: 4, connectTimeoutMs: 1_000, statementTimeoutMs: 1_000 };
    const db = createDb(config);
    await migrateToLatest(db);
    t = await buildTestApp({ dialect: 'postgres', config, url: cluster.url, db, destroy: async () => db.destroy() });
    g = await createTenantGraph(t.deps);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await t?.deps.db.destroy();
    cluster?.destroy();
  });

  const portalMe = () => t.app.inject({ method: 'GET', url: `/portal/${g.tenant.slug}/api/me`, headers: { origin: TEST_ORIGIN } });
  const ready = () => t.app.inject({ method: 'GET', url: '/readyz' });

  it('survives, answers 503 with Retry-After while it is down, and recovers by itself', async () => {
    expect((await portalMe()).statusCode).toBe(401);
    expect((await ready()).statusCode).toBe(200);

    // A transaction holds a connection while the server crashes: the cut connection must not take the process down.
    const held = t.deps.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      cluster.stop('immediate');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sql`select 1`.execute(trx);
    });
    await expect(held).rejects.toThrow();

    for (const res of [await portalMe(), await portalMe()]) {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    const notReady = await ready();
    expect(notReady.statusCode).toBe(503);
    expect(notReady.headers['retry-after']).toBeDefined();

    cluster.start();
    let back = await portalMe();
    for (let i = 0; i < 20 && back.statusCode !== 401; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      back = await portalMe();
    }
    expect(back.statusCode).toBe(401);
    expect((await ready()).statusCode).toBe(200);
  }, 60_000);

  it('answers 503 within seconds, not minutes, when the database is frozen, and recovers when it thaws', async () => {
    expect((await portalMe()).statusCode).toBe(401);
    cluster.freeze();
    try {
      const started = Date.now();
      const res = await portalMe();
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      cluster.thaw();
    }
    let back = await portalMe();
    for (let i = 0; i < 20 && back.statusCode !== 401; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      back = await portalMe();
    }
    expect(back.statusCode).toBe(401);
  }, 60_000);
});
