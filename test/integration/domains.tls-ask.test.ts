import http from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertCustomDomain, uniqueHost } from '../helpers/custom-domains.js';
import { createTenantGraph } from '../helpers/factories.js';
import { freePort } from '../helpers/free-port.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../helpers/test-database.js';

/**
 * The on-demand TLS `ask` endpoint over real TCP (who may call it is decided by the TCP peer) and
 * with its database gone (fail closed). Its answers per domain state: domains.routing.test.ts.
 */

/** A local address that is not loopback, to connect from: the test needs one and says so if there is none. */
function nonLoopbackAddress(): string {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  throw new Error('this machine has no non-loopback IPv4 address to connect from');
}

function getFrom(port: number, path: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, localAddress }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

describeEachDialect('the on-demand TLS ask endpoint over real TCP', (getDb) => {
  const external = nonLoopbackAddress();
  let database: TestDatabase;
  let open: TestApp;
  let allowing: TestApp;
  let host: string;
  let ports: { open: number; allowing: number };

  beforeAll(async () => {
    database = getDb();
    // One server with the default allowlist (loopback only), one that also allows the external address.
    open = await buildTestApp(database);
    allowing = await buildTestApp(database, { INTERNAL_ADDRESSES: `${external}/32` });
    const g = await createTenantGraph(open.deps);
    host = uniqueHost('tcp');
    await insertCustomDomain(open.deps, g.tenant.id, host, { status: 'active', approvedAt: open.clock.now() });
    ports = { open: await freePort(), allowing: await freePort() };
    await open.app.listen({ host: '127.0.0.1', port: ports.open });
    await allowing.app.listen({ host: '127.0.0.1', port: ports.allowing });
  });
  afterAll(async () => {
    await open?.close();
    await allowing?.close();
  });

  it('takes the TCP peer address: loopback 200, a non-loopback peer 404 unless listed in INTERNAL_ADDRESSES', async () => {
    const path = `/internal/tls/ask?domain=${host}`;
    // The servers listen on 127.0.0.1; the client binds its end of the connection to another local address.
    expect(await getFrom(ports.open, path, '127.0.0.1')).toBe(200);
    expect(await getFrom(ports.open, path, external)).toBe(404);
    expect(await getFrom(ports.allowing, path, external)).toBe(200);
  });
});

describeEachDialect('the on-demand TLS ask endpoint with the database down', (_getDb, dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    const database = await createTestDatabase(dialect);
    t = await buildTestApp(database);
    await database.destroy();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('fails closed: 503 with Retry-After, so Caddy refuses the certificate', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/internal/tls/ask?domain=support.example.org', remoteAddress: '127.0.0.1' });
    expect(res.statusCode, res.body).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
