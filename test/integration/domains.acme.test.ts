import { request as httpsRequest } from 'node:https';
import { connect, type PeerCertificate } from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  approveAndIssue,
  certificateContextOf,
  issueCertificateForDomain,
  listCertificates,
  revokeCertificate,
} from '../../src/features/domains/certificate.service.js';
import type { HttpsListener } from '../../src/features/domains/https-listener.http.js';
import { addOperator } from '../../src/features/operator/operator.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createWorker, startHttps } from '../../src/server.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { insertDomain, uniqueHost } from '../helpers/domain-certs.js';
import { createTenantGraph } from '../helpers/factories.js';
import { freePort } from '../helpers/free-port.js';
import { startPebble, type Pebble } from '../helpers/pebble.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const DAY = 24 * 60 * 60_000;

/** The TLS handshake with the listener for `servername`, verified against `ca`; the peer's chain. */
function handshake(port: number, servername: string, ca: string): Promise<{ authorized: boolean; peer: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ca, rejectUnauthorized: false }, () => {
      const result = { authorized: socket.authorized, peer: socket.getPeerCertificate(true) };
      socket.end();
      resolve(result);
    });
    socket.on('error', reject);
  });
}

function httpsGet(port: number, servername: string, ca: string, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, servername, ca, path: pathname, headers: { host: servername }, agent: false },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describeEachDialect('certificates over ACME (pebble)', (getDb) => {
  let dns: TestDnsServer;
  let pebble: Pebble;
  let t: TestApp;
  let https: HttpsListener;
  let root: string;
  const host = uniqueHost('acme');
  const downHost = uniqueHost('down');

  beforeAll(async () => {
    dns = await startDnsServer({ [host]: { a: ['127.0.0.1'] }, [downHost]: { a: ['127.0.0.1'] } });
    const httpPort = await freePort();
    pebble = await startPebble({ httpPort, dnsServer: dns.address });
    t = await buildTestApp(
      getDb(),
      {
        ACME_DIRECTORY_URL: pebble.directoryUrl,
        ACME_CA_CERT: pebble.caCertFile,
        ACME_EMAIL: 'ops@servelo.test',
        HTTPS_PORT: String(await freePort()),
        HOST: '127.0.0.1',
      },
      // On a custom domain every path is the tenant's portal (http/host-routing.ts): the probe lives there.
      (app) => app.get('/portal/:slug/test/protocol', async (request) => ({ protocol: request.protocol })),
    );
    t.clock.set(new Date());
    await t.app.listen({ host: '127.0.0.1', port: httpPort });
    https = (await startHttps(t.config, t.deps, t.app))!;
    root = (await pebble.management('/roots/0')).body;
  }, 60_000);

  afterAll(async () => {
    await https?.close();
    await t?.close();
    await pebble?.stop();
    await dns?.close();
  });

  const ctx = () => certificateContextOf(t.config, t.deps);
  async function runJobs(): Promise<void> {
    const worker = createWorker(t.config, t.deps, t.app);
    for (let i = 0; i < 10 && (await worker.runOnce()) > 0; i++);
  }
  const domainRow = async (tenantId: string, domainId: string) =>
    forTenant(t.deps.db, tenantId).selectFrom('custom_domain').selectAll().where('id', '=', domainId).executeTakeFirstOrThrow();

  let tenantId: string;
  let domainId: string;
  let firstSerial: string;

  it('answers a challenge only on its own host, and a neutral 404 otherwise', async () => {
    const { tenant } = await createTenantGraph(t.deps);
    await forTenant(t.deps.db, tenant.id)
      .insertInto('acme_challenge', {
        id: `c-${Date.now()}`,
        host: 'challenge.certs.test',
        token: 'tok_123',
        key_authorization: 'tok_123.thumbprint',
        created_at: new Date(t.clock.now().getTime() - 1000).toISOString(),
        expires_at: new Date(t.clock.now().getTime() + 60_000).toISOString(),
      })
      .execute();
    const ok = await t.app.inject({ method: 'GET', url: '/.well-known/acme-challenge/tok_123', headers: { host: 'challenge.certs.test' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.body).toBe('tok_123.thumbprint');
    const wrongHost = await t.app.inject({
      method: 'GET',
      url: '/.well-known/acme-challenge/tok_123',
      headers: { host: 'other.certs.test' },
    });
    expect(wrongHost.statusCode).toBe(404);
    expect(wrongHost.body).not.toContain('thumbprint');
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/.well-known/acme-challenge/nope',
      headers: { host: 'challenge.certs.test' },
    });
    expect(unknown.statusCode).toBe(404);
    t.clock.advance(2 * 60_000);
    const expired = await t.app.inject({
      method: 'GET',
      url: '/.well-known/acme-challenge/tok_123',
      headers: { host: 'challenge.certs.test' },
    });
    expect(expired.statusCode).toBe(404);
  });

  it('refuses to approve a domain whose DNS is not verified', async () => {
    const { tenant } = await createTenantGraph(t.deps);
    const id = await insertDomain(t.deps, tenant.id, uniqueHost('pending'), { status: 'pending_dns' });
    await expect(approveAndIssue(ctx(), id, { kind: 'operator', id: 'op-1' })).rejects.toMatchObject({
      code: 'DOMAIN_NOT_VERIFIED',
      status: 409,
    });
    await expect(approveAndIssue(ctx(), 'no-such-domain', { kind: 'system' })).rejects.toMatchObject({ code: 'DOMAIN_NOT_FOUND' });
  });

  it('issues over HTTP-01 answered by Servelo, stores it encrypted and serves it for its SNI name', async () => {
    const { tenant } = await createTenantGraph(t.deps);
    tenantId = tenant.id;
    domainId = await insertDomain(t.deps, tenantId, host, { status: 'verified' });
    const approved = await approveAndIssue(ctx(), domainId, { kind: 'operator', id: 'op-1' });
    expect(approved.status).toBe('issuing');
    expect(approved.approvedAt).not.toBeNull();
    await runJobs();

    const domain = await domainRow(tenantId, domainId);
    expect(domain).toMatchObject({ status: 'active', certificate_error: null, certificate_attempts: 0 });
    expect(domain.activated_at).not.toBeNull();
    const [cert] = await listCertificates(t.deps, domainId);
    expect(cert).toMatchObject({ status: 'active', source: 'acme', host });
    expect(cert!.issuer).toMatch(/Pebble Intermediate/);
    firstSerial = cert!.serial;

    // Nothing in the clear at rest: no PEM in the certificate or account rows, challenges deleted.
    const stored = JSON.stringify([
      await t.deps.db.selectFrom('domain_certificate').selectAll().execute(),
      await t.deps.db.selectFrom('acme_account').selectAll().execute(),
    ]);
    expect(stored).not.toContain('BEGIN');
    expect(stored).not.toContain('PRIVATE');
    expect(await forTenant(t.deps.db, tenantId).selectFrom('acme_challenge').selectAll().where('host', '=', host).execute()).toEqual([]);

    const { authorized, peer } = await handshake(https.port, host, root);
    expect(authorized).toBe(true);
    expect(peer.subjectaltname).toBe(`DNS:${host}`);
    expect(peer.issuer.CN).toMatch(/Pebble Intermediate/);
    expect(peer.serialNumber.toLowerCase()).toBe(firstSerial);

    const page = await httpsGet(https.port, host, root, '/test/protocol');
    expect(page.status).toBe(200);
    expect(JSON.parse(page.body)).toEqual({ protocol: 'https' });
    const audit = await t.deps.db.selectFrom('audit_event').select('action').where('tenant_id', '=', tenantId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['domain.approved', 'domain.certificate_issued']));
  });

  it('fails the handshake for a name it holds no certificate for', async () => {
    await expect(handshake(https.port, 'unknown.certs.test', root)).rejects.toThrow();
  });

  it('renews 30 days before expiry on the manual clock: a new serial, the old one superseded, SNI serves the new one', async () => {
    const [current] = await listCertificates(t.deps, domainId);
    t.clock.set(new Date(current!.notAfter.getTime() - 29 * DAY));
    await runJobs();
    const certs = await listCertificates(t.deps, domainId);
    expect(certs.map((c) => c.status).sort()).toEqual(['active', 'superseded']);
    const renewed = certs.find((c) => c.status === 'active')!;
    expect(renewed.serial).not.toBe(firstSerial);
    expect(certs.find((c) => c.status === 'superseded')!.serial).toBe(firstSerial);
    const { peer } = await handshake(https.port, host, root);
    expect(peer.serialNumber.toLowerCase()).toBe(renewed.serial);
  });

  it('revokes at the CA, stops serving the name and sends the domain back to verified', async () => {
    const [active] = (await listCertificates(t.deps, domainId)).filter((c) => c.status === 'active');
    const revoked = await revokeCertificate(ctx(), active!.id, 'key compromise drill', { kind: 'operator', id: 'op-1' });
    expect(revoked.status).toBe('revoked');
    const status = await pebble.management(`/cert-status-by-serial/${active!.serial}`);
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ Status: 'Revoked' });
    expect(await domainRow(tenantId, domainId)).toMatchObject({ status: 'verified', approved_at: null });
    await expect(handshake(https.port, host, root)).rejects.toThrow();
  });

  it('records an unreachable directory with a backoff, and a later retry succeeds', async () => {
    const down = await buildTestApp(getDb(), {
      ACME_DIRECTORY_URL: `https://127.0.0.1:${await freePort()}/dir`,
      ACME_EMAIL: 'ops@servelo.test',
    });
    try {
      down.clock.set(t.clock.now());
      const downCtx = certificateContextOf(down.config, down.deps);
      const { tenant } = await createTenantGraph(t.deps);
      const operator = await addOperator(t.deps, { email: `ops-${Date.now()}@servelo.test`, password: 'a-long-operator-password-1' });
      const id = await insertDomain(t.deps, tenant.id, downHost, { status: 'verified' });
      await approveAndIssue(downCtx, id, { kind: 'operator', id: 'op-1' });
      expect(await issueCertificateForDomain(downCtx, tenant.id, id)).toBe('failed');
      const failed = await domainRow(tenant.id, id);
      expect(failed).toMatchObject({ status: 'issuing', certificate_attempts: 1 });
      expect(failed.certificate_error).toMatch(/could not be reached/);
      expect(new Date(failed.certificate_next_attempt_at!).getTime()).toBe(t.clock.now().getTime() + 5 * 60_000);
      // The operators and the owners/admins are told once for this failure streak.
      const mails = await t.deps.db
        .selectFrom('outbox')
        .select('payload')
        .where('kind', '=', 'mail.send')
        .where('tenant_id', '=', tenant.id)
        .execute();
      const failureMails = mails.filter((m) => m.payload.includes('could not be issued'));
      expect(failureMails.map((m) => (JSON.parse(m.payload) as { to: string }).to)).toEqual([operator.email]);

      // Within the backoff nothing is tried; after it, the queued retry succeeds against the real CA.
      await runJobs();
      expect((await domainRow(tenant.id, id)).status).toBe('issuing');
      t.clock.advance(5 * 60_000 + 1000);
      await runJobs();
      expect(await domainRow(tenant.id, id)).toMatchObject({ status: 'active', certificate_error: null, certificate_attempts: 0 });
      const [cert] = await listCertificates(t.deps, id);
      expect(cert!.status).toBe('active');

      // A renewal that fails keeps the domain active on its current certificate, visibly, and tells people once per streak.
      down.clock.set(new Date(cert!.notAfter.getTime() - 29 * DAY));
      expect(await issueCertificateForDomain(downCtx, tenant.id, id)).toBe('failed');
      down.clock.advance(5 * 60_000 + 1000);
      expect(await issueCertificateForDomain(downCtx, tenant.id, id)).toBe('failed');
      const renewalFailed = await domainRow(tenant.id, id);
      expect(renewalFailed).toMatchObject({ status: 'active', certificate_attempts: 2 });
      expect(renewalFailed.certificate_error).toMatch(/could not be reached/);
      expect(new Date(renewalFailed.certificate_next_attempt_at!).getTime()).toBe(down.clock.now().getTime() + 30 * 60_000);
      const renewalMails = (
        await t.deps.db.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').where('tenant_id', '=', tenant.id).execute()
      ).filter((m) => m.payload.includes('could not be renewed'));
      expect(renewalMails).toHaveLength(1);
    } finally {
      await down.close();
    }
  });
});
