import { expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { checkCustomDomain, DNS_UNREACHABLE_REASON } from '../../src/features/domains/custom-domain.service.js';
import { createDnsResolver } from '../../src/features/domains/dns-resolver.js';
import type { TCustomDomainSettings } from '../../src/features/domains/team-custom-domain.schemas.js';
import { ISSUE_CERTIFICATE_JOB } from '../../src/features/domains/certificate-jobs.js';
import { createTeamTenant, teamCookieFor, type TeamTenant } from '../helpers/factories.js';
import { teamApi } from '../helpers/team-api.js';
import { freePort } from '../helpers/free-port.js';
import { buildTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import {
  checkNow,
  claim,
  CNAME_TARGET,
  DOMAIN_PATH,
  publishRecords,
  setAutoIssue,
  TARGET_ADDRESS,
  uniqueHost,
  useDomainsTestApp,
} from '../helpers/domains.js';

const DAY = 86_400_000;

describeEachDialect('custom domains: the team side', (getDb) => {
  const t = useDomainsTestApp(getDb, { DOMAIN_LAPSE_GRACE_DAYS: '3' });
  /** The owner signed in again: sessions end while the manual clock skips days. */
  const owner = async (tt: TeamTenant) => teamApi(t, await teamCookieFor(t, tt.g.tenant.id, tt.owner.id));

  it('claims a host and shows exactly what to add; the right records verify it (waiting for the operator)', async () => {
    const tt = await createTeamTenant(t);
    const empty = await tt.as.owner.get(DOMAIN_PATH);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.headers['cache-control']).toBe('no-store');
    expect(empty.json()).toEqual({ domain: null, cnameTarget: CNAME_TARGET, certificatesByAcme: false });

    const host = uniqueHost('support');
    const domain = await claim(tt.as.admin, `  ${host.toUpperCase()}. `);
    expect(domain).toMatchObject({ host, status: 'pending_dns', url: null, certificate: null, lastCheckedAt: null });
    expect(domain.records.cname).toEqual({ type: 'CNAME', name: host, value: CNAME_TARGET });
    expect(domain.records.txt.name).toBe(`_servelo-challenge.${host}`);
    expect(domain.records.txt.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(domain.nextCheckAt).toBe(t.clock.now().toISOString());

    publishRecords(t.dns, domain);
    const asked = t.dns.questions();
    const checked = await checkNow(t, tt.as.owner);
    expect(t.dns.questions()).toBeGreaterThan(asked);
    expect(checked).toMatchObject({
      status: 'verified',
      statusReason: 'DNS is verified; waiting for the operator to issue a certificate.',
      observed: { cname: CNAME_TARGET, addresses: [TARGET_ADDRESS], txt: [domain.records.txt.value] },
      verifiedAt: t.clock.now().toISOString(),
      lastCheckedAt: t.clock.now().toISOString(),
      url: null,
    });
    expect(new Date(checked.nextCheckAt!).getTime() - t.clock.now().getTime()).toBe(DAY);
    expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toEqual(expect.arrayContaining(['domain.claimed', 'domain.verified']));
    // Read back: the same state.
    expect((await tt.as.owner.get(DOMAIN_PATH)).json<TCustomDomainSettings>().domain).toEqual(checked);
  });

  it('says in words which record is missing or wrong, and what the name resolves to now', async () => {
    const tt = await createTeamTenant(t);
    const domain = await claim(tt.as.owner, uniqueHost('help'));
    const { host } = domain;
    const challenge = `_servelo-challenge.${host}`;

    // Nothing published yet: the name does not exist.
    let d = await checkNow(t, tt.as.owner);
    expect(d.status).toBe('pending_dns');
    expect(d.statusReason).toBe(
      `${host} does not exist in DNS yet: add a CNAME record pointing to ${CNAME_TARGET}. No TXT record ${challenge} was found.`,
    );
    expect(d.observed).toEqual({ cname: null, addresses: [], txt: [] });

    publishRecords(t.dns, domain, { txt: null });
    d = await checkNow(t, tt.as.owner);
    expect([d.status, d.statusReason]).toEqual(['pending_dns', `No TXT record ${challenge} was found.`]);

    publishRecords(t.dns, domain, { txt: ['someone-elses-token'] });
    d = await checkNow(t, tt.as.owner);
    expect([d.status, d.statusReason]).toEqual(['pending_dns', `The TXT record ${challenge} holds a different value.`]);

    publishRecords(t.dns, domain, { cname: null, a: ['203.0.113.9'] });
    d = await checkNow(t, tt.as.owner);
    expect([d.status, d.statusReason]).toEqual([
      'pending_dns',
      `${host} has no CNAME; it resolves to 203.0.113.9, not to ${CNAME_TARGET}.`,
    ]);

    t.dns.set('other.example.net', { a: ['198.51.100.7'] });
    publishRecords(t.dns, domain, { cname: 'other.example.net' });
    d = await checkNow(t, tt.as.owner);
    expect([d.status, d.statusReason]).toEqual(['pending_dns', `${host} points to other.example.net, not ${CNAME_TARGET}.`]);
    expect(d.observed).toEqual({ cname: 'other.example.net', addresses: ['198.51.100.7'], txt: [domain.records.txt.value] });

    // The pending backoff: 1, 5, 15, 60 minutes by failed checks (this was the fifth).
    expect(new Date(d.nextCheckAt!).getTime() - t.clock.now().getTime()).toBe(60 * 60_000);
  });

  it('verifies an apex domain whose A records are the target’s addresses (an apex cannot CNAME)', async () => {
    const tt = await createTeamTenant(t);
    const apex = `apex-${process.pid}-${Date.now() % 100_000}.com`;
    const domain = await claim(tt.as.owner, apex);
    publishRecords(t.dns, domain, { cname: null, a: [TARGET_ADDRESS] });
    const d = await checkNow(t, tt.as.owner);
    expect(d).toMatchObject({ host: apex, status: 'verified', observed: { cname: null, addresses: [TARGET_ADDRESS] } });
  });

  it('once verified with automatic issuance: active at once behind a proxy, or issuing (an outbox job) with ACME', async () => {
    await setAutoIssue(t, true);
    try {
      const tt = await createTeamTenant(t);
      const domain = await claim(tt.as.owner, uniqueHost('auto'));
      publishRecords(t.dns, domain);
      const d = await checkNow(t, tt.as.owner);
      expect(d).toMatchObject({
        status: 'active',
        statusReason: null,
        activatedAt: t.clock.now().toISOString(),
        url: `https://${domain.host}`,
      });
      expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toEqual(
        expect.arrayContaining(['domain.verified', 'domain.activated']),
      );
      // The team's "portal address" is the domain now; the default address is still offered beside it.
      const portal = (await tt.as.owner.get('/api/team/settings/portal')).json<{ portalUrl: string; defaultPortalUrl: string }>();
      expect(portal.portalUrl).toBe(`http://${domain.host}`);
      expect(portal.defaultPortalUrl).toBe(`${t.config.http.publicUrl}/portal/${tt.g.tenant.slug}`);

      const acme = await buildTestApp(getDb(), {
        DNS_SERVERS: t.dns.address,
        PORTAL_CNAME_TARGET: CNAME_TARGET,
        ACME_DIRECTORY_URL: 'https://127.0.0.1:14000/dir',
        ACME_EMAIL: 'ops@example.com',
      });
      try {
        const acmeTenant = await createTeamTenant(acme);
        const claimed = await claim(acmeTenant.as.owner, uniqueHost('acme'));
        publishRecords(t.dns, claimed);
        const issuing = await checkNow(acme, acmeTenant.as.owner);
        expect(issuing).toMatchObject({ status: 'issuing', statusReason: 'DNS is verified; a certificate is being issued.', url: null });
        const jobs = await acme.deps.db
          .selectFrom('outbox')
          .select(['kind', 'payload', 'tenant_id'])
          .where('kind', '=', ISSUE_CERTIFICATE_JOB)
          .where('tenant_id', '=', acmeTenant.g.tenant.id)
          .execute();
        expect(jobs).toEqual([
          { kind: 'domains.issue_certificate', payload: JSON.stringify({ domainId: claimed.id }), tenant_id: acmeTenant.g.tenant.id },
        ]);
        expect((await acmeTenant.as.owner.get(DOMAIN_PATH)).json<TCustomDomainSettings>()).toMatchObject({
          certificatesByAcme: true,
          domain: { status: 'issuing' },
        });
      } finally {
        await acme.close();
      }
    } finally {
      await setAutoIssue(t, false);
    }
  });

  it('lapses when DNS stops pointing here (TXT no longer needed), is served through the grace period, and comes back when fixed', async () => {
    await setAutoIssue(t, true);
    const tt = await createTeamTenant(t);
    const domain = await claim(tt.as.owner, uniqueHost('lapse'));
    publishRecords(t.dns, domain);
    expect((await checkNow(t, tt.as.owner)).status).toBe('active');
    await setAutoIssue(t, false);

    // The TXT record may go once verified.
    publishRecords(t.dns, domain, { txt: null });
    expect(await checkNow(t, tt.as.owner)).toMatchObject({ status: 'active', url: `https://${domain.host}` });

    t.dns.set('elsewhere.example.net', { a: ['198.51.100.20'] });
    publishRecords(t.dns, domain, { cname: 'elsewhere.example.net', txt: null });
    const lapsed = await checkNow(t, tt.as.owner);
    const lapsedAt = t.clock.now();
    const until = new Date(lapsedAt.getTime() + 3 * DAY);
    expect(lapsed).toMatchObject({
      status: 'lapsed',
      lapsedAt: lapsedAt.toISOString(),
      servedUntil: until.toISOString(),
      url: `https://${domain.host}`,
    });
    expect(lapsed.statusReason).toBe(
      `${domain.host} points to elsewhere.example.net, not ${CNAME_TARGET}. Customers can use it until ${until.toISOString().slice(0, 10)}; after that it stops working.`,
    );

    // Past the grace period: no longer served, still lapsed, and the reason says so.
    t.clock.advance(3 * DAY);
    const expired = await checkNow(t, await owner(tt));
    expect(expired).toMatchObject({ status: 'lapsed', url: null, lapsedAt: lapsedAt.toISOString() });
    expect(expired.statusReason).toContain('It no longer works for customers; the default portal address still does.');

    publishRecords(t.dns, domain, { txt: null });
    const restored = await checkNow(t, await owner(tt));
    expect(restored).toMatchObject({
      status: 'active',
      lapsedAt: null,
      servedUntil: null,
      statusReason: null,
      url: `https://${domain.host}`,
    });
    expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toEqual(expect.arrayContaining(['domain.lapsed', 'domain.restored']));
  });

  it('a verified domain without approval lapses and comes back as verified', async () => {
    const tt = await createTeamTenant(t);
    const domain = await claim(tt.as.owner, uniqueHost('verified-lapse'));
    publishRecords(t.dns, domain);
    expect((await checkNow(t, tt.as.owner)).status).toBe('verified');
    t.dns.set(domain.host, undefined);
    const gone = await checkNow(t, tt.as.owner);
    expect(gone.status).toBe('lapsed');
    expect(gone.statusReason).toContain(`${domain.host} does not exist in DNS yet`);
    publishRecords(t.dns, domain);
    expect(await checkNow(t, tt.as.owner)).toMatchObject({ status: 'verified', lapsedAt: null });
  });

  it('fails after 7 days without proof; Check now starts a new wait', async () => {
    const tt = await createTeamTenant(t);
    const domain = await claim(tt.as.owner, uniqueHost('slow'));
    publishRecords(t.dns, domain, { txt: null });
    expect((await checkNow(t, tt.as.owner)).status).toBe('pending_dns');
    t.clock.advance(6 * DAY);
    expect((await checkNow(t, await owner(tt))).status).toBe('pending_dns');
    t.clock.advance(DAY);
    const api = await owner(tt);
    const failed = await checkNow(t, api);
    expect(failed).toMatchObject({ status: 'failed', nextCheckAt: null });
    expect(failed.statusReason).toBe(
      `We found no proof within 7 days. No TXT record _servelo-challenge.${domain.host} was found. Fix the records and press Check now to try again.`,
    );
    expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toContain('domain.failed');

    const again = await checkNow(t, api);
    expect(again).toMatchObject({ status: 'pending_dns', statusReason: `No TXT record _servelo-challenge.${domain.host} was found.` });
    publishRecords(t.dns, domain);
    expect((await checkNow(t, api)).status).toBe('verified');
  });

  it('a host is unique across organisations, verified or not (same answer), also when two claim it at once', async () => {
    const a = await createTeamTenant(t);
    const b = await createTeamTenant(t);
    const host = uniqueHost('shared');
    const domain = await claim(a.as.owner, host);

    const pending = await b.as.owner.put(DOMAIN_PATH, { host });
    expect(pending.statusCode).toBe(409);
    publishRecords(t.dns, domain);
    expect((await checkNow(t, a.as.owner)).status).toBe('verified');
    const verified = await b.as.owner.put(DOMAIN_PATH, { host: host.toUpperCase() });
    expect(verified.statusCode).toBe(409);
    const words = (r: typeof pending) => ({
      code: r.json<{ error: { code: string } }>().error.code,
      message: r.json<{ error: { message: string } }>().error.message,
    });
    expect(words(verified)).toEqual(words(pending));
    expect(words(pending).code).toBe('DOMAIN_TAKEN');
    expect((await b.as.owner.get(DOMAIN_PATH)).json<TCustomDomainSettings>().domain).toBeNull();

    // A race: two organisations claim one new host at the same moment.
    const c = await createTeamTenant(t);
    const d = await createTeamTenant(t);
    const raced = uniqueHost('race');
    const answers = await Promise.all([c.as.owner.put(DOMAIN_PATH, { host: raced }), d.as.owner.put(DOMAIN_PATH, { host: raced })]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.statusCode === 409)?.json()).toMatchObject({ error: { code: 'DOMAIN_TAKEN' } });
  });

  it('a released host needs a fresh TXT proof from whoever claims it next', async () => {
    const a = await createTeamTenant(t);
    const b = await createTeamTenant(t);
    const host = uniqueHost('released');
    const first = await claim(a.as.owner, host);
    publishRecords(t.dns, first);
    expect((await checkNow(t, a.as.owner)).status).toBe('verified');
    const removed = await a.as.owner.delete(DOMAIN_PATH);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json<TCustomDomainSettings>().domain).toBeNull();
    expect(await listTenantAuditActions(t.deps.db, a.g.tenant.id)).toContain('domain.removed');

    const second = await claim(b.as.owner, host);
    expect(second.status).toBe('pending_dns');
    expect(second.records.txt.value).not.toBe(first.records.txt.value);
    // A's token is still in DNS: it does not verify B.
    const stale = await checkNow(t, b.as.owner);
    expect([stale.status, stale.statusReason]).toEqual([
      'pending_dns',
      `The TXT record _servelo-challenge.${host} holds a different value.`,
    ]);
    publishRecords(t.dns, second);
    expect((await checkNow(t, b.as.owner)).status).toBe('verified');
  });

  it('replacing the domain deletes the old claim (and its certificates) and starts over with a new token', async () => {
    const tt = await createTeamTenant(t);
    const first = await claim(tt.as.owner, uniqueHost('old'));
    publishRecords(t.dns, first);
    await checkNow(t, tt.as.owner);
    await t.deps.db
      .insertInto('domain_certificate')
      .values({
        id: `cert-${first.id}`,
        tenant_id: tt.g.tenant.id,
        domain_id: first.id,
        host: first.host,
        source: 'upload',
        status: 'active',
        cert_ciphertext: 'x',
        key_ciphertext: 'x',
        issuer: 'Test CA',
        serial: '01',
        fingerprint: 'ff',
        not_before: '2026-11-01T00:00:00.000Z',
        not_after: '2027-02-01T00:00:00.000Z',
        created_at: '2026-11-01T00:00:00.000Z',
      })
      .execute();
    expect((await tt.as.owner.get(DOMAIN_PATH)).json<TCustomDomainSettings>().domain?.certificate).toEqual({
      issuer: 'Test CA',
      notAfter: '2027-02-01T00:00:00.000Z',
      status: 'active',
      source: 'upload',
    });
    // The same host again: nothing changes.
    expect((await claim(tt.as.owner, first.host)).records.txt.value).toBe(first.records.txt.value);

    const second = await claim(tt.as.owner, uniqueHost('new'));
    expect(second).toMatchObject({ status: 'pending_dns', certificate: null });
    expect(second.id).not.toBe(first.id);
    const left = await t.deps.db.selectFrom('domain_certificate').select('id').where('domain_id', '=', first.id).execute();
    expect(left).toEqual([]);
    const hosts = await t.deps.db.selectFrom('custom_domain').select('host').where('tenant_id', '=', tt.g.tenant.id).execute();
    expect(hosts).toEqual([{ host: second.host }]);
    expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toContain('domain.replaced');
    // The released host is free for anyone.
    const other = await createTeamTenant(t);
    expect((await claim(other.as.owner, first.host)).status).toBe('pending_dns');
  });

  it('refuses hosts that cannot be claimed, with a field error', async () => {
    const tt = await createTeamTenant(t);
    for (const [host, words] of [
      ['1.2.3.4', 'IP address'],
      ['co.uk', 'public suffix'],
      ['github.io', 'public suffix'],
      ['localhost', 'full domain name'],
      [CNAME_TARGET, 'belongs to this service'],
      [`acme.${CNAME_TARGET}`, 'belongs to this service'],
    ] as const) {
      const res = await tt.as.owner.put(DOMAIN_PATH, { host });
      expect(res.statusCode, host).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'DOMAIN_INVALID', details: [{ path: 'host' }] } });
      expect(res.json<{ error: { message: string } }>().error.message).toContain(words);
    }
    expect((await tt.as.owner.put(DOMAIN_PATH, { host: 'x', extra: 1 })).statusCode).toBe(400);
    expect((await tt.as.owner.get(DOMAIN_PATH)).json<TCustomDomainSettings>().domain).toBeNull();
  });

  it('agents are refused (403) and signed-out callers 401; another organisation’s domain is never visible (404)', async () => {
    const tt = await createTeamTenant(t);
    const other = await createTeamTenant(t);
    const domain = await claim(other.as.owner, uniqueHost('private'));

    for (const res of [
      await tt.as.agent.get(DOMAIN_PATH),
      await tt.as.agent.put(DOMAIN_PATH, { host: uniqueHost('agent') }),
      await tt.as.agent.post(`${DOMAIN_PATH}/check`),
      await tt.as.agent.delete(DOMAIN_PATH),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    expect((await teamApi(t, undefined).get(DOMAIN_PATH)).statusCode).toBe(401);

    expect((await tt.as.owner.get(DOMAIN_PATH)).json<TCustomDomainSettings>().domain).toBeNull();
    for (const res of [await tt.as.owner.post(`${DOMAIN_PATH}/check`), await tt.as.owner.delete(DOMAIN_PATH)]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'DOMAIN_NOT_FOUND' } });
    }
    // The other organisation's claim is untouched.
    expect((await other.as.owner.get(DOMAIN_PATH)).json<TCustomDomainSettings>().domain?.id).toBe(domain.id);
  });

  it('Check now is limited to once per 10 seconds per organisation (429 with Retry-After)', async () => {
    const tt = await createTeamTenant(t);
    await claim(tt.as.owner, uniqueHost('rate'));
    await checkNow(t, tt.as.owner);
    t.clock.advance(3_000);
    const limited = await tt.as.admin.post(`${DOMAIN_PATH}/check`);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.json()).toMatchObject({
      error: { code: 'RATE_LIMITED', message: 'DNS was checked a moment ago. Try again in 7 seconds.' },
    });
    // Another organisation is not held up.
    const other = await createTeamTenant(t);
    await claim(other.as.owner, uniqueHost('rate-other'));
    expect((await other.as.owner.post(`${DOMAIN_PATH}/check`)).statusCode).toBe(200);
    t.clock.advance(7_000);
    expect((await tt.as.admin.post(`${DOMAIN_PATH}/check`)).statusCode).toBe(200);
  });

  it('DNS that cannot be reached changes no state: "we could not reach DNS; we will try again"', async () => {
    const tt = await createTeamTenant(t);
    const domain = await claim(tt.as.owner, uniqueHost('unreachable'));
    publishRecords(t.dns, domain);
    expect((await checkNow(t, tt.as.owner)).status).toBe('verified');
    const deadPort = await freePort();
    const ctx = {
      ...t.deps,
      domains: t.config.domains,
      resolver: createDnsResolver([`127.0.0.1:${deadPort}`]),
      publicUrl: t.config.http.publicUrl,
      fromAddress: t.config.mail.fromAddress,
    };
    t.clock.advance(DAY);
    const after = await checkCustomDomain(ctx, tt.g.tenant.id, domain.id);
    expect(after).toMatchObject({ status: 'verified', statusReason: DNS_UNREACHABLE_REASON, lapsedAt: null });
    // What DNS answered last time is kept.
    expect(after?.dnsObserved?.cname).toBe(CNAME_TARGET);
  });
});
