import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Caddy, startCaddy } from '../helpers/caddy.js';
import { insertCustomDomain, uniqueHost } from '../helpers/custom-domains.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { freePort } from '../helpers/free-port.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * Caddy (Debian's) in front of Servelo with on-demand TLS and its internal CA (README "Serving
 * custom domains"): Caddy asks `/internal/tls/ask` before each certificate, so an active custom
 * domain gets one and reaches its tenant's portal through Caddy, and an unknown name gets none.
 */
describeEachDialect('custom domains behind Caddy with on-demand TLS', (getDb) => {
  let t: TestApp;
  let caddy: Caddy;
  let g: TenantGraph;
  let host: string;

  beforeAll(async () => {
    t = await buildTestApp(getDb());
    g = await createTenantGraph(t.deps, { name: 'Caddy Served Org' });
    host = uniqueHost('caddy');
    await insertCustomDomain(t.deps, g.tenant.id, host, { status: 'active', approvedAt: t.clock.now() });
    await t.app.hostRouter.refresh();
    const port = await freePort();
    await t.app.listen({ host: '127.0.0.1', port });
    caddy = await startCaddy(port);
  }, 30_000);
  afterAll(async () => {
    await caddy?.close();
    await t?.close();
  });

  /** A TLS handshake with Caddy for `servername`, verified against Caddy's own root CA. */
  function handshake(servername: string): Promise<tls.PeerCertificate> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: caddy.httpsPort, servername, ca: caddy.rootCertificate() }, () => {
        const certificate = socket.getPeerCertificate();
        socket.end();
        resolve(certificate);
      });
      socket.once('error', reject);
      socket.setTimeout(10_000, () => socket.destroy(new Error('handshake timed out')));
    });
  }

  function get(path: string): Promise<{ status: number; body: string; type: string }> {
    return new Promise((resolve, reject) => {
      const request = https.get(
        { host: '127.0.0.1', port: caddy.httpsPort, path, servername: host, headers: { host }, ca: caddy.rootCertificate() },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
        },
      );
      request.once('error', reject);
    });
  }

  it("gets a certificate for an active domain from Caddy's local CA, and reaches the tenant's portal through Caddy", async () => {
    const certificate = await handshake(host);
    expect(certificate.subjectaltname).toBe(`DNS:${host}`);
    expect(certificate.issuer.CN).toMatch(/Caddy Local Authority/);

    const info = await get('/api/portal');
    expect(info.status, info.body).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ name: 'Caddy Served Org', slug: g.tenant.slug });
    const shell = await get('/');
    expect(shell.status).toBe(200);
    expect(shell.type).toContain('text/html');
    expect(shell.body).toContain('Caddy Served Org');
  }, 30_000);

  it('gives an unknown name no certificate: the handshake fails', async () => {
    await expect(handshake(uniqueHost('unclaimed'))).rejects.toThrow();
  }, 30_000);
});
