import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { customDomainsChanged } from '../../src/features/domains/custom-domain-changes.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { insertCustomDomain, setCustomDomainState, uniqueHost } from '../helpers/custom-domains.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { SignInDriver, type DevMail } from '../helpers/sign-in.js';
import { TEST_ORIGIN, type TestApp, useTestApp } from '../helpers/test-app.js';

const DAY = 86_400_000;
const SUBDOMAIN_BASE = 'portal.servelo.test';

interface Call {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly payload?: object;
  readonly remoteAddress?: string;
}

/** A request as a browser on `host` sends it (same-origin writes carry that host's Origin). */
function onHost(t: TestApp, host: string, url: string, call: Call = {}): Promise<LightMyRequestResponse> {
  const method = call.method ?? 'GET';
  const writeHeaders = method === 'POST' ? { origin: `http://${host}`, 'content-type': 'application/json' } : {};
  return t.app.inject({
    method,
    url,
    headers: { host, ...writeHeaders, ...call.headers },
    ...(call.payload ? { payload: call.payload } : {}),
    remoteAddress: call.remoteAddress ?? '198.51.100.20',
  });
}

/** The neutral 404 of an unknown organisation: nothing in it names any tenant. */
function expectNeutral404(res: LightMyRequestResponse, ...names: string[]): void {
  expect(res.statusCode, res.body).toBe(404);
  for (const name of names) expect(res.body).not.toContain(name);
}

function setCookieHeaders(res: LightMyRequestResponse): string[] {
  const raw = res.headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
}

describeEachDialect('host routing: custom domains and per-organisation subdomains', (getDb) => {
  const t = useTestApp(getDb, { PORTAL_SUBDOMAIN_BASE: SUBDOMAIN_BASE });
  const d = new SignInDriver(t);
  let a: TenantGraph;
  let b: TenantGraph;
  let aHost: string;
  let bHost: string;

  beforeAll(async () => {
    a = await createTenantGraph(t.deps, { name: 'Acme Plumbing' });
    b = await createTenantGraph(t.deps, { name: 'Bolt Electrics' });
    aHost = uniqueHost('support-a');
    bHost = uniqueHost('support-b');
    await insertCustomDomain(t.deps, a.tenant.id, aHost, { status: 'active', approvedAt: t.clock.now() });
    await insertCustomDomain(t.deps, b.tenant.id, bHost, { status: 'active', approvedAt: t.clock.now() });
    await t.app.hostRouter.refresh();
  });

  it("serves only its tenant's portal at the root of an active custom domain, with the base path ''", async () => {
    const info = await onHost(t, aHost, '/api/portal');
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json()).toMatchObject({ name: 'Acme Plumbing', slug: a.tenant.slug });

    const shell = await onHost(t, aHost, '/tickets/123');
    expect(shell.statusCode).toBe(200);
    expect(shell.headers['content-type']).toContain('text/html');
    expect(shell.body).toContain('Acme Plumbing');
    expect(shell.body).toContain('"basePath":""');
    expect(shell.body).not.toContain('Bolt Electrics');
    // A port in the Host header and upper case change nothing.
    expect((await onHost(t, `${aHost.toUpperCase()}:8080`, '/api/portal')).json()).toMatchObject({ name: 'Acme Plumbing' });
  });

  it('answers an unknown host with the neutral 404 on every path, health checks excepted', async () => {
    for (const path of [
      '/',
      '/api/portal',
      `/portal/${a.tenant.slug}/api/portal`,
      `/portal/${a.tenant.slug}/`,
      '/app',
      '/api/team/me',
      '/_dev/mail',
    ]) {
      const res = await onHost(t, 'unknown.example.net', path);
      expectNeutral404(res, 'Acme Plumbing', 'Bolt Electrics', a.tenant.slug);
      expect(res.json().error.code).toBe('TENANT_NOT_FOUND');
    }
    // The same body as an unknown slug on the platform host.
    const unknownSlug = await t.app.inject({ method: 'GET', url: '/portal/no-such-org/api/portal' });
    expect((await onHost(t, 'unknown.example.net', '/api/portal')).json().error.code).toBe(unknownSlug.json().error.code);
    expect((await onHost(t, 'unknown.example.net', '/healthz')).statusCode).toBe(200);
    expect((await onHost(t, 'unknown.example.net', '/readyz')).statusCode).toBe(200);
    // No Host at all, or a malformed one, is an unknown host too.
    expect((await onHost(t, 'bad host!', '/api/portal')).statusCode).toBe(404);
  });

  it("never reaches another tenant's slug, the team app, the operator console or the dev mailbox under a custom domain", async () => {
    for (const path of [
      `/portal/${b.tenant.slug}/api/portal`,
      `/portal/${b.tenant.slug}/`,
      `/portal/${a.tenant.slug}/api/portal`,
      '/app',
      '/app/tickets',
      '/operator',
      '/api/team/me',
      '/api/team/openapi.json',
      '/api/operator/tenants',
      '/_dev/mail/api/messages',
      '/api/openapi.json',
      '/%61pp',
    ]) {
      expectNeutral404(await onHost(t, aHost, path), 'Bolt Electrics');
    }
    // A write to the team API on the custom domain, with the domain's own Origin: still 404.
    const signIn = await onHost(t, aHost, '/api/team/auth/sign-in', { method: 'POST', payload: { email: 'x@example.com', password: 'x' } });
    expect(signIn.statusCode).toBe(404);
  });

  it('serves nothing on a pending, verified, issuing, failed or lapsed-past-grace domain; a lapsed domain within its grace period is served', async () => {
    const cases = [
      { status: 'pending_dns', served: false },
      { status: 'verified', approvedAt: t.clock.now(), served: false },
      { status: 'issuing', approvedAt: t.clock.now(), served: false },
      { status: 'failed', served: false },
      { status: 'lapsed', lapsedAt: new Date(t.clock.now().getTime() - 8 * DAY), served: false },
      { status: 'lapsed', lapsedAt: new Date(t.clock.now().getTime() - 1 * DAY), served: true },
    ] as const;
    for (const c of cases) {
      const g = await createTenantGraph(t.deps, { name: `Org ${c.status}` });
      const host = uniqueHost(c.status);
      await insertCustomDomain(t.deps, g.tenant.id, host, c);
      await t.app.hostRouter.refresh();
      const res = await onHost(t, host, '/api/portal');
      expect(res.statusCode, `${c.status}: ${res.body}`).toBe(c.served ? 200 : 404);
      if (!c.served) expect(res.body).not.toContain(g.tenant.name);
    }
  });

  it('stops serving a lapsed domain the moment its grace period ends, without a reload', async () => {
    const g = await createTenantGraph(t.deps);
    const host = uniqueHost('grace');
    await insertCustomDomain(t.deps, g.tenant.id, host, {
      status: 'lapsed',
      lapsedAt: new Date(t.clock.now().getTime() - 7 * DAY + 60_000),
    });
    await t.app.hostRouter.refresh();
    expect((await onHost(t, host, '/api/portal')).statusCode).toBe(200);
    t.clock.advance(2 * 60_000);
    try {
      expect((await onHost(t, host, '/api/portal')).statusCode).toBe(404);
    } finally {
      t.clock.set(new Date(t.clock.now().getTime() - 2 * 60_000));
    }
  });

  it("answers the neutral 404 on a suspended tenant's custom domain and subdomain", async () => {
    const g = await createTenantGraph(t.deps, { name: 'Suspended Org' });
    const host = uniqueHost('suspended');
    await insertCustomDomain(t.deps, g.tenant.id, host, { status: 'active', approvedAt: t.clock.now() });
    await t.app.hostRouter.refresh();
    expect((await onHost(t, host, '/api/portal')).statusCode).toBe(200);
    await t.deps.db.updateTable('tenant').set({ status: 'suspended' }).where('id', '=', g.tenant.id).execute();
    customDomainsChanged();
    // Even before the table reloads, the portal's own tenant check refuses a suspended tenant.
    expectNeutral404(await onHost(t, host, '/api/portal'), 'Suspended Org');
    await t.app.hostRouter.refresh();
    expectNeutral404(await onHost(t, host, '/api/portal'), 'Suspended Org');
    expectNeutral404(await onHost(t, `${g.tenant.slug}.${SUBDOMAIN_BASE}`, '/api/portal'), 'Suspended Org');
  });

  it('routes by the Host header only: a forged X-Forwarded-Host changes nothing (TRUST_PROXY off)', async () => {
    const forged = await onHost(t, 'unknown.example.net', '/api/portal', { headers: { 'x-forwarded-host': aHost } });
    expectNeutral404(forged, 'Acme Plumbing');
    const onA = await onHost(t, aHost, '/api/portal', { headers: { 'x-forwarded-host': bHost, forwarded: `host=${bHost}` } });
    expect(onA.json()).toMatchObject({ name: 'Acme Plumbing' });
    const platform = await t.app.inject({ method: 'GET', url: '/api/portal', headers: { 'x-forwarded-host': aHost } });
    expectNeutral404(platform, 'Acme Plumbing');
  });

  it("accepts writes on a custom domain from that domain's origin only", async () => {
    const own = await onHost(t, aHost, '/api/auth/request-link', { method: 'POST', payload: { email: 'someone@example.com' } });
    expect(own.statusCode).toBe(202);
    for (const origin of [TEST_ORIGIN, `http://${bHost}`, 'https://evil.example']) {
      const res = await onHost(t, aHost, '/api/auth/request-link', {
        method: 'POST',
        headers: { origin },
        payload: { email: 'someone@example.com' },
      });
      expect(res.statusCode, origin).toBe(403);
    }
    // And the platform host does not take the custom domain's origin.
    const onPlatform = await t.app.inject({
      method: 'POST',
      url: `/portal/${a.tenant.slug}/api/auth/request-link`,
      headers: { origin: `http://${aHost}`, 'content-type': 'application/json' },
      payload: { email: 'someone@example.com' },
    });
    expect(onPlatform.statusCode).toBe(403);
  });

  it('signs a customer in on the custom domain end to end: the link uses the domain, the session cookie is host-only', async () => {
    const before = (await d.mailTo(a.contact.email)).length;
    const requested = await onHost(t, aHost, '/api/auth/request-link', { method: 'POST', payload: { email: a.contact.email } });
    expect(requested.statusCode).toBe(202);
    await d.deliver();
    const mails: DevMail[] = await d.mailTo(a.contact.email);
    expect(mails.length).toBe(before + 1);
    const link = /(\S+)\/auth\/confirm#token=([A-Za-z0-9_-]+)/.exec(mails[0]!.text);
    // The tenant's canonical portal URL (its active domain, PUBLIC_URL's scheme), from configuration only.
    expect(link?.[1]).toBe(`http://${aHost}`);
    const token = link![2]!;

    const info = await onHost(t, aHost, '/api/auth/link-info', { method: 'POST', payload: { token } });
    expect(info.statusCode, info.body).toBe(200);
    const binding = setCookieHeaders(info).map((c) => c.split(';')[0]!);
    const confirmed = await onHost(t, aHost, '/api/auth/confirm', {
      method: 'POST',
      payload: { token },
      headers: { cookie: binding.join('; ') },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const sessionHeader = setCookieHeaders(confirmed).find((c) => c.startsWith('sid='));
    expect(sessionHeader).toBeDefined();
    // Host-only: no Domain attribute, so the browser sends it back to this host and nowhere else.
    expect(sessionHeader!.toLowerCase()).not.toContain('domain=');
    expect(sessionHeader).toContain('Path=/');
    expect(sessionHeader).toContain('HttpOnly');
    const cookie = sessionHeader!.split(';')[0]!;

    const tickets = await onHost(t, aHost, '/api/tickets', { headers: { cookie } });
    expect(tickets.statusCode, tickets.body).toBe(200);
    expect(tickets.json().tickets.map((x: { id: string }) => x.id)).toContain(a.ticket.id);
    // The cookie names tenant A's session: on B's domain it is nobody.
    expect((await onHost(t, bHost, '/api/tickets', { headers: { cookie } })).statusCode).toBe(401);
    // A browser never sends this host-only cookie to the platform host. The server binds a session
    // to its tenant, not to a host: the same secret, if copied there by hand, is the same session.
    const copied = await t.app.inject({ method: 'GET', url: `/portal/${a.tenant.slug}/api/tickets`, headers: { cookie } });
    expect(copied.statusCode).toBe(200);
  });

  it('sends the custom-domain link to a customer who asks on the platform host too (the canonical URL; the default URL keeps working)', async () => {
    const g = await createTenantGraph(t.deps);
    const host = uniqueHost('canonical');
    await insertCustomDomain(t.deps, g.tenant.id, host, { status: 'active', approvedAt: t.clock.now() });
    await t.app.hostRouter.refresh();
    const { mail } = await d.linkFor(g.tenant.slug, g.contact.email);
    expect(mail.text).toContain(`http://${host}/auth/confirm#token=`);
    expect(mail.text).not.toContain(`/portal/${g.tenant.slug}`);
    // The platform URL still serves the portal.
    expect((await t.app.inject({ method: 'GET', url: `/portal/${g.tenant.slug}/api/portal` })).statusCode).toBe(200);
  });

  it('serves per-organisation subdomains like custom domains; links of a tenant without a domain use its subdomain', async () => {
    const onSub = await onHost(t, `${b.tenant.slug}.${SUBDOMAIN_BASE}`, '/api/portal');
    expect(onSub.json()).toMatchObject({ name: 'Bolt Electrics' });
    expectNeutral404(await onHost(t, `no-such-org.${SUBDOMAIN_BASE}`, '/api/portal'));
    expectNeutral404(await onHost(t, `x.${b.tenant.slug}.${SUBDOMAIN_BASE}`, '/api/portal'), 'Bolt Electrics');
    expectNeutral404(await onHost(t, SUBDOMAIN_BASE, '/api/portal'), 'Bolt Electrics');
    expectNeutral404(await onHost(t, `${b.tenant.slug}.${SUBDOMAIN_BASE}`, `/portal/${a.tenant.slug}/api/portal`), 'Acme Plumbing');
    expectNeutral404(await onHost(t, `${b.tenant.slug}.${SUBDOMAIN_BASE}`, '/app'));

    const g = await createTenantGraph(t.deps);
    const { mail } = await d.linkFor(g.tenant.slug, g.contact.email);
    expect(mail.text).toContain(`http://${g.tenant.slug}.${SUBDOMAIN_BASE}/auth/confirm#token=`);
  });

  describe('the on-demand TLS ask endpoint', () => {
    const ask = (domain: string | undefined, remoteAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'GET',
        url: domain === undefined ? '/internal/tls/ask' : `/internal/tls/ask?domain=${encodeURIComponent(domain)}`,
        remoteAddress,
        headers,
      });

    it('answers 200 only for names that may hold a certificate, 404 for everything else', async () => {
      const g = await createTenantGraph(t.deps);
      const hosts = {
        verifiedApproved: uniqueHost('ask-approved'),
        verifiedUnapproved: uniqueHost('ask-unapproved'),
        pending: uniqueHost('ask-pending'),
        failed: uniqueHost('ask-failed'),
      };
      const others = await Promise.all([createTenantGraph(t.deps), createTenantGraph(t.deps), createTenantGraph(t.deps)]);
      await insertCustomDomain(t.deps, g.tenant.id, hosts.verifiedApproved, { status: 'verified', approvedAt: t.clock.now() });
      await insertCustomDomain(t.deps, others[0]!.tenant.id, hosts.verifiedUnapproved, { status: 'verified' });
      await insertCustomDomain(t.deps, others[1]!.tenant.id, hosts.pending, { status: 'pending_dns' });
      await insertCustomDomain(t.deps, others[2]!.tenant.id, hosts.failed, { status: 'failed' });

      expect((await ask(aHost)).statusCode).toBe(200);
      expect((await ask(aHost.toUpperCase())).statusCode).toBe(200);
      expect((await ask(hosts.verifiedApproved)).statusCode).toBe(200);
      expect((await ask(`${b.tenant.slug}.${SUBDOMAIN_BASE}`)).statusCode).toBe(200);
      for (const name of [
        hosts.verifiedUnapproved,
        hosts.pending,
        hosts.failed,
        'unknown.example.net',
        `no-such-org.${SUBDOMAIN_BASE}`,
        `x.${b.tenant.slug}.${SUBDOMAIN_BASE}`,
        'localhost',
        '127.0.0.1',
        '',
        'a..b',
        `${'a'.repeat(300)}.test`,
        undefined,
      ]) {
        expect((await ask(name)).statusCode, String(name)).toBe(404);
      }
    });

    it('answers 404 to a peer that is not loopback or internal, whatever X-Forwarded-For says', async () => {
      expect((await ask(aHost, '203.0.113.7')).statusCode).toBe(404);
      expect((await ask(aHost, '203.0.113.7', { 'x-forwarded-for': '127.0.0.1' })).statusCode).toBe(404);
      expect((await ask(aHost, '::1')).statusCode).toBe(200);
      expect((await ask(aHost, '::ffff:127.0.0.1')).statusCode).toBe(200);
    });

    it("forgets a suspended tenant's domain once told", async () => {
      const g = await createTenantGraph(t.deps);
      const host = uniqueHost('ask-suspend');
      await insertCustomDomain(t.deps, g.tenant.id, host, { status: 'active', approvedAt: t.clock.now() });
      expect((await ask(host)).statusCode).toBe(200);
      await t.deps.db.updateTable('tenant').set({ status: 'suspended' }).where('id', '=', g.tenant.id).execute();
      customDomainsChanged();
      expect((await ask(host)).statusCode).toBe(404);
    });

    it('lapsing past the grace period ends the certificate too', async () => {
      const g = await createTenantGraph(t.deps);
      const host = uniqueHost('ask-lapse');
      const id = await insertCustomDomain(t.deps, g.tenant.id, host, { status: 'active', approvedAt: t.clock.now() });
      expect((await ask(host)).statusCode).toBe(200);
      await setCustomDomainState(t.deps, g.tenant.id, id, {
        status: 'lapsed',
        approvedAt: t.clock.now(),
        lapsedAt: new Date(t.clock.now().getTime() - 30 * DAY),
      });
      customDomainsChanged();
      expect((await ask(host)).statusCode).toBe(404);
    });
  });
});

describeEachDialect('host routing behind a trusted proxy (TRUST_PROXY=1)', (getDb) => {
  const t = useTestApp(getDb, { TRUST_PROXY: '1' });
  let a: TenantGraph;
  let aHost: string;

  beforeAll(async () => {
    a = await createTenantGraph(t.deps, { name: 'Proxied Org' });
    aHost = uniqueHost('proxied');
    await insertCustomDomain(t.deps, a.tenant.id, aHost, { status: 'active', approvedAt: t.clock.now() });
    await t.app.hostRouter.refresh();
  });

  it('still routes by the Host header: X-Forwarded-Host from the trusted proxy picks no tenant', async () => {
    const viaProxy = { remoteAddress: '127.0.0.1' };
    expectNeutral404(
      await onHost(t, 'unknown.example.net', '/api/portal', { ...viaProxy, headers: { 'x-forwarded-host': aHost } }),
      'Proxied Org',
    );
    expectNeutral404(
      await t.app.inject({ method: 'GET', url: '/api/portal', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-host': aHost } }),
      'Proxied Org',
    );
    const onA = await onHost(t, aHost, '/api/portal', {
      ...viaProxy,
      headers: { 'x-forwarded-host': 'localhost', 'x-forwarded-proto': 'https' },
    });
    expect(onA.json()).toMatchObject({ name: 'Proxied Org' });
    // The platform host named in X-Forwarded-Host does not open the platform's routes on the custom domain.
    expectNeutral404(await onHost(t, aHost, '/app', { ...viaProxy, headers: { 'x-forwarded-host': 'localhost' } }));
  });

  it('accepts the https origin of the custom domain when the trusted proxy says the request was HTTPS', async () => {
    const res = await onHost(t, aHost, '/api/auth/request-link', {
      method: 'POST',
      remoteAddress: '127.0.0.1',
      headers: { origin: `https://${aHost}`, 'x-forwarded-proto': 'https' },
      payload: { email: 'someone@example.com' },
    });
    expect(res.statusCode, res.body).toBe(202);
  });
});
