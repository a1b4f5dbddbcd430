import { connect } from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renewDueCertificates } from '../../src/features/domains/certificate-renewal.service.js';
import {
  certificateContextOf,
  listCertificates,
  revokeCertificate,
  uploadCertificate,
} from '../../src/features/domains/certificate.service.js';
import type { HttpsListener } from '../../src/features/domains/https-listener.http.js';
import { addOperator } from '../../src/features/operator/operator.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { startHttps } from '../../src/server.js';
import { type GeneratedCertificate, insertDomain, makeCertificate, uniqueHost } from '../helpers/domain-certs.js';
import { createTenantGraph } from '../helpers/factories.js';
import { freePort } from '../helpers/free-port.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const DAY = 24 * 60 * 60_000;
const OPERATOR = { kind: 'operator', id: 'op-upload' } as const;

/** The fingerprint of the certificate the listener presents for `servername` (self-signed test certificates: not verified). */
function presented(port: number, servername: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...(servername ? { servername } : {}), rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256.replace(/:/g, '').toLowerCase();
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

describeEachDialect('uploaded certificates and the HTTPS listener', (getDb) => {
  let t: TestApp;
  let https: HttpsListener;
  const hostA = uniqueHost('upload-a');
  const hostB = uniqueHost('upload-b');
  let certA: GeneratedCertificate;
  let certB: GeneratedCertificate;
  let other: GeneratedCertificate;

  beforeAll(async () => {
    t = await buildTestApp(getDb(), { HTTPS_PORT: String(await freePort()), HOST: '127.0.0.1' });
    https = (await startHttps(t.config, t.deps, t.app))!;
    certA = makeCertificate({ names: [hostA], withCa: true, days: 60 });
    certB = makeCertificate({ names: [hostB], days: 60 });
    other = makeCertificate({ names: ['elsewhere.certs.test'], days: 60 });
    // Certificates count from the second they were made: the clock starts just after.
    t.clock.set(new Date(Date.now() + 5000));
  });
  afterAll(async () => {
    await https?.close();
    await t?.close();
  });
  const ctx = () => certificateContextOf(t.config, t.deps);

  it('refuses what does not fit the domain, each problem with its own code', async () => {
    const { tenant } = await createTenantGraph(t.deps);
    const id = await insertDomain(t.deps, tenant.id, hostA, { status: 'verified' });
    const upload = (input: { certPem: string; keyPem: string }) => uploadCertificate(ctx(), id, input, OPERATOR);
    await expect(upload({ certPem: other.certPem, keyPem: other.keyPem })).rejects.toMatchObject({
      code: 'CERTIFICATE_HOST_MISMATCH',
      status: 400,
    });
    await expect(upload({ certPem: certA.certPem, keyPem: certB.keyPem })).rejects.toMatchObject({ code: 'CERTIFICATE_KEY_MISMATCH' });
    await expect(upload({ certPem: 'not a certificate', keyPem: certA.keyPem })).rejects.toMatchObject({ code: 'CERTIFICATE_INVALID' });
    await expect(upload({ certPem: certA.certPem, keyPem: 'garbage' })).rejects.toMatchObject({ code: 'CERTIFICATE_INVALID' });
    // The CA before the leaf: chain out of order.
    await expect(upload({ certPem: `${certA.caPem!}${certA.certPem}`, keyPem: certA.keyPem })).rejects.toMatchObject({
      code: 'CERTIFICATE_INVALID',
    });
    const now = t.clock.now();
    try {
      t.clock.set(new Date(now.getTime() + 61 * DAY));
      await expect(upload(certA)).rejects.toMatchObject({ code: 'CERTIFICATE_EXPIRED' });
      t.clock.set(new Date(now.getTime() - DAY));
      await expect(upload(certA)).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_YET_VALID' });
    } finally {
      t.clock.set(now);
    }
    expect(await listCertificates(t.deps, id)).toEqual([]);
  });

  it('refuses a domain whose DNS is not verified, and a domain or certificate that does not exist', async () => {
    const { tenant } = await createTenantGraph(t.deps);
    const host = uniqueHost('pending');
    const id = await insertDomain(t.deps, tenant.id, host, { status: 'pending_dns' });
    const cert = makeCertificate({ names: [host], days: 30 });
    t.clock.set(new Date(Date.now() + 5000));
    await expect(uploadCertificate(ctx(), id, cert, OPERATOR)).rejects.toMatchObject({ code: 'DOMAIN_NOT_VERIFIED' });
    await expect(uploadCertificate(ctx(), 'no-such-domain', cert, OPERATOR)).rejects.toMatchObject({
      code: 'DOMAIN_NOT_FOUND',
      status: 404,
    });
    await expect(revokeCertificate(ctx(), 'no-such-certificate', 'x', OPERATOR)).rejects.toMatchObject({
      code: 'CERTIFICATE_NOT_FOUND',
      status: 404,
    });
  });

  it('stores an upload encrypted, activates the domain, and serves each tenant its own certificate by SNI', async () => {
    // hostA was claimed (verified) by the first test's tenant; hostB belongs to another tenant.
    const { tenant: b } = await createTenantGraph(t.deps);
    const domainA = await t.deps.db
      .selectFrom('custom_domain')
      .select(['id', 'tenant_id'])
      .where('host', '=', hostA)
      .executeTakeFirstOrThrow();
    const domainB = await insertDomain(t.deps, b.id, hostB, { status: 'verified' });
    const uploadedA = await uploadCertificate(ctx(), domainA.id, { certPem: certA.certPem, keyPem: certA.keyPem }, OPERATOR);
    const uploadedB = await uploadCertificate(ctx(), domainB, certB, OPERATOR);
    expect(uploadedA).toMatchObject({ status: 'active', source: 'upload', host: hostA });
    const rowA = await forTenant(t.deps.db, domainA.tenant_id)
      .selectFrom('custom_domain')
      .selectAll()
      .where('id', '=', domainA.id)
      .executeTakeFirstOrThrow();
    expect(rowA.status).toBe('active');
    expect(rowA.approved_at).not.toBeNull();
    const stored = JSON.stringify(await t.deps.db.selectFrom('domain_certificate').selectAll().execute());
    expect(stored).not.toContain('BEGIN');

    expect(await presented(https.port, hostA)).toBe(uploadedA.fingerprint);
    expect(await presented(https.port, hostB)).toBe(uploadedB.fingerprint);
    expect(uploadedA.fingerprint).not.toBe(uploadedB.fingerprint);
    await expect(presented(https.port, 'unknown.certs.test')).rejects.toThrow();
    await expect(presented(https.port, undefined)).rejects.toThrow();
    const audit = await t.deps.db.selectFrom('audit_event').select(['action', 'actor_kind']).where('tenant_id', '=', b.id).execute();
    expect(audit).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'domain.certificate_uploaded', actor_kind: 'operator' })]),
    );
  });

  it('warns about an uploaded certificate at 30 and at 7 days before it expires, once each', async () => {
    const operator = await addOperator(t.deps, { email: `ops-warn-${Date.now()}@servelo.test`, password: 'a-long-operator-password-1' });
    const [cert] = (
      await listCertificates(
        t.deps,
        (await t.deps.db.selectFrom('custom_domain').select('id').where('host', '=', hostB).executeTakeFirstOrThrow()).id,
      )
    ).filter((c) => c.status === 'active');
    const now = t.clock.now();
    const warnings = async () =>
      (await t.deps.db.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').execute()).filter(
        (m) => m.payload.includes('expires soon') && m.payload.includes(hostB) && m.payload.includes(operator.email),
      ).length;
    try {
      t.clock.set(new Date(cert!.notAfter.getTime() - 29 * DAY));
      await renewDueCertificates(ctx());
      await renewDueCertificates(ctx());
      expect(await warnings()).toBe(1);
      t.clock.set(new Date(cert!.notAfter.getTime() - 6 * DAY));
      await renewDueCertificates(ctx());
      expect(await warnings()).toBe(2);
    } finally {
      t.clock.set(now);
    }
  });

  it('revoking an uploaded certificate stops serving it and sends the domain back to verified', async () => {
    const domain = await t.deps.db
      .selectFrom('custom_domain')
      .select(['id', 'tenant_id'])
      .where('host', '=', hostB)
      .executeTakeFirstOrThrow();
    const [active] = (await listCertificates(t.deps, domain.id)).filter((c) => c.status === 'active');
    expect((await revokeCertificate(ctx(), active!.id, 'replaced', OPERATOR)).status).toBe('revoked');
    const row = await forTenant(t.deps.db, domain.tenant_id)
      .selectFrom('custom_domain')
      .selectAll()
      .where('id', '=', domain.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'verified', approved_at: null });
    await expect(presented(https.port, hostB)).rejects.toThrow();
    // The other tenant's domain is untouched.
    expect(await presented(https.port, hostA)).toMatch(/^[0-9a-f]{64}$/);
  });
});
