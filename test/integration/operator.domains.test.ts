import { beforeAll, expect, it } from 'vitest';
import type { TOperatorDomain, TOperatorDomainList } from '../../src/features/operator/operator-domain.schemas.js';
import { createTenantGraph, portalCookieFor, teamCookieFor, type TenantGraph } from '../helpers/factories.js';
import { insertDomain, makeCertificate, uniqueHost } from '../helpers/domain-certs.js';
import { signedInOperator } from '../helpers/operator.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** The console's domains, as an operator without ACME configured (a proxy such as Caddy issues on demand). */
describeEachDialect('operator console: custom domains and certificates', (getDb) => {
  const t = useTestApp(getDb);
  const driver = new SignInDriver(t);
  let operatorId: string;
  let cookie: string;
  let acme: TenantGraph;
  let bolt: TenantGraph;

  beforeAll(async () => {
    // Certificates made by openssl are valid from the real now; the service judges them by its clock.
    t.clock.set(new Date());
    ({ id: operatorId, cookie } = await signedInOperator(t, driver));
    acme = await createTenantGraph(t.deps, { name: 'Acme Domains' });
    bolt = await createTenantGraph(t.deps, { name: 'Bolt Domains' });
  });

  const get = (path: string) => driver.get(path, { cookie });
  const post = (path: string, body: unknown = {}) => driver.post(path, body, { cookie });
  const list = async (query = '') => {
    const res = await get(`/api/operator/domains${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<TOperatorDomainList>();
  };
  const domainOf = async (id: string): Promise<TOperatorDomain> => {
    const found = (await list()).domains.find((d) => d.id === id);
    expect(found).toBeDefined();
    return found as TOperatorDomain;
  };
  const ask = async (host: string) =>
    (await t.app.inject({ url: `/internal/tls/ask?domain=${host}`, headers: { host: '127.0.0.1' }, remoteAddress: '127.0.0.1' }))
      .statusCode;

  it('lists every organisation’s claims by tab, and Issue (no ACME: a proxy issues) makes a verified one active', async () => {
    const waitingHost = uniqueHost('queue');
    const waiting = await insertDomain(t.deps, acme.tenant.id, waitingHost, { status: 'verified' });
    const pending = await insertDomain(t.deps, bolt.tenant.id, uniqueHost('pending'), { status: 'pending_dns' });

    const queue = await list('?filter=waiting');
    expect(queue.issuer).toBe('proxy');
    expect(queue.domains.map((d) => d.id)).toContain(waiting);
    expect(queue.domains.map((d) => d.id)).not.toContain(pending);
    expect(queue.counts.waiting).toBeGreaterThanOrEqual(1);
    const row = queue.domains.find((d) => d.id === waiting);
    expect(row).toMatchObject({ host: waitingHost, status: 'verified', tenant: { name: 'Acme Domains', status: 'active' } });
    expect(row?.can).toEqual({ issue: true, renew: false, revoke: false, upload: true });
    expect((await list(`?q=${encodeURIComponent('bolt domains')}`)).domains.map((d) => d.id)).toEqual([pending]);
    expect(await ask(waitingHost)).toBe(404);

    const issued = await post(`/api/operator/domains/${waiting}/issue`);
    expect(issued.statusCode, issued.body).toBe(204);
    expect(await domainOf(waiting)).toMatchObject({ status: 'active', approvedAt: expect.any(String) });
    expect(await ask(waitingHost)).toBe(200);
    const audit = await t.deps.db
      .selectFrom('audit_event')
      .select(['action', 'actor_kind', 'actor_id'])
      .where('tenant_id', '=', acme.tenant.id)
      .where('action', '=', 'domain.approved')
      .execute();
    expect(audit).toEqual([{ action: 'domain.approved', actor_kind: 'operator', actor_id: operatorId }]);

    // A claim still waiting for DNS cannot be issued; renewing needs ACME.
    const refused = await post(`/api/operator/domains/${pending}/issue`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'DOMAIN_NOT_VERIFIED' } });
    expect((await post(`/api/operator/domains/${waiting}/renew`)).json()).toMatchObject({ error: { code: 'DOMAIN_NOT_VERIFIED' } });
  });

  it('uploads a PEM certificate (validated), then revokes it with a reason', async () => {
    const g = await createTenantGraph(t.deps, { name: 'Upload Domains' });
    const host = uniqueHost('upload');
    const id = await insertDomain(t.deps, g.tenant.id, host, { status: 'verified' });

    const wrong = makeCertificate({ names: ['someone-else.example'] });
    const good = makeCertificate({ names: [host] });
    // openssl makes them valid from the real now; the service judges them by its clock, set after.
    t.clock.set(new Date(Date.now() + 1_000));
    const mismatch = await post(`/api/operator/domains/${id}/certificate`, { certPem: wrong.certPem, keyPem: wrong.keyPem });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ error: { code: 'CERTIFICATE_HOST_MISMATCH' } });
    const empty = await post(`/api/operator/domains/${id}/certificate`, { certPem: '', keyPem: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });

    const uploaded = await post(`/api/operator/domains/${id}/certificate`, { certPem: good.certPem, keyPem: good.keyPem });
    expect(uploaded.statusCode, uploaded.body).toBe(204);
    const active = await domainOf(id);
    expect(active).toMatchObject({ status: 'active', certificate: { source: 'upload', issuer: expect.stringContaining(host) } });
    expect(active.can.revoke).toBe(true);

    expect((await post(`/api/operator/domains/${id}/revoke`, { reason: '' })).statusCode).toBe(400);
    const revoked = await post(`/api/operator/domains/${id}/revoke`, { reason: 'Key leaked' });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect(await domainOf(id)).toMatchObject({ status: 'verified', certificate: null, approvedAt: null });
    const again = await post(`/api/operator/domains/${id}/revoke`, { reason: 'Twice' });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ error: { code: 'CERTIFICATE_NOT_FOUND' } });
  });

  it('refuses to issue for a suspended organisation, and answers 404 for unknown domains', async () => {
    const g = await createTenantGraph(t.deps, { name: 'Paused Domains' });
    const id = await insertDomain(t.deps, g.tenant.id, uniqueHost('paused'), { status: 'verified' });
    expect((await post(`/api/operator/tenants/${g.tenant.id}/suspend`)).statusCode).toBe(200);
    const refused = await post(`/api/operator/domains/${id}/issue`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'TENANT_SUSPENDED' } });
    expect((await domainOf(id)).can.issue).toBe(false);

    for (const path of ['issue', 'renew', 'check']) {
      const res = await post(`/api/operator/domains/0190f0f0-0000-7000-8000-000000000000/${path}`);
      expect(res.statusCode, path).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'DOMAIN_NOT_FOUND' } });
    }
  });

  it('is closed to everyone but a signed-in operator: a team member or a customer gets 401', async () => {
    const team = await teamCookieFor(t, acme.tenant.id, acme.member.id);
    const portal = await portalCookieFor(t, acme.contact);
    for (const other of [team, portal, '']) {
      expect((await driver.get('/api/operator/domains', other ? { cookie: other } : {})).statusCode).toBe(401);
      const domains = await list();
      const any = domains.domains[0];
      expect(any).toBeDefined();
      expect((await driver.post(`/api/operator/domains/${any?.id}/issue`, {}, other ? { cookie: other } : {})).statusCode).toBe(401);
    }
  });
});
