import { beforeAll, expect, it } from 'vitest';
import { addContact } from '../../src/features/clients/client.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { newId } from '../../src/platform/ids.js';
import {
  createTenantGraph,
  createTeamMemberWithPassword,
  openContactTicket,
  portalCookieFor,
  TEAM_PASSWORD,
  type TenantGraph,
  uniqueEmail,
  uniqueSlug,
} from '../helpers/factories.js';
import { signedInOperator } from '../helpers/operator.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

interface TenantJson {
  id: string;
  slug: string;
  name: string;
  status: string;
  counts: { tickets: number; contacts: number; storageBytes: number };
  domain: { host: string; status: string } | null;
  portalPath: string;
}

describeEachDialect('operator console: organisations and settings', (getDb) => {
  const t = useTestApp(getDb);
  const driver = new SignInDriver(t);
  let operatorId: string;
  let cookie: string;
  let g: TenantGraph;

  beforeAll(async () => {
    ({ id: operatorId, cookie } = await signedInOperator(t, driver));
    g = await createTenantGraph(t.deps, { name: 'Zebra Plumbing Quantum' });
  });

  const get = (path: string) => driver.get(path, { cookie });
  const post = (path: string, body: unknown = {}) => driver.post(path, body, { cookie });

  it('lists organisations newest first with their counts, storage and custom domain', async () => {
    const scope = forTenant(t.deps.db, g.tenant.id);
    await addContact(t.deps, g.tenant.id, g.client.id, { email: uniqueEmail('second', 'customer.example.com'), name: 'Second' });
    await openContactTicket(t.deps, g.contact, { title: 'Second', body: 'Again.' });
    const now = t.clock.now().toISOString();
    for (const size of [1_000, 2_500]) {
      await scope
        .insertInto('file', {
          id: newId(),
          purpose: 'attachment',
          uploaded_by_kind: 'contact',
          uploaded_by_id: g.contact.id,
          name: 'a.pdf',
          type: 'application/pdf',
          size,
          status: 'ready',
          width: null,
          height: null,
          display_size: null,
          thumb_size: null,
          ticket_id: null,
          message_id: null,
          attached_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    await scope
      .insertInto('custom_domain', {
        id: newId(),
        host: `help.${g.tenant.slug}.example.com`,
        verification_token: 'token',
        status: 'pending_dns',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const other = await createTenantGraph(t.deps, { name: 'Other Plumbing' });

    const res = await get('/api/operator/tenants');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { tenants } = res.json<{ tenants: TenantJson[] }>();
    expect(tenants[0]?.id).toBe(other.tenant.id);
    expect(tenants[0]).toMatchObject({ counts: { tickets: 1, contacts: 1, storageBytes: 0 }, domain: null });
    expect(tenants.find((x) => x.id === g.tenant.id)).toEqual({
      id: g.tenant.id,
      slug: g.tenant.slug,
      name: 'Zebra Plumbing Quantum',
      status: 'active',
      createdAt: expect.any(String) as string,
      counts: { tickets: 2, contacts: 2, storageBytes: 3_500 },
      domain: { host: `help.${g.tenant.slug}.example.com`, status: 'pending_dns' },
      portalPath: `/portal/${g.tenant.slug}`,
    });
    const detail = await get(`/api/operator/tenants/${g.tenant.id}`);
    expect(detail.json()).toMatchObject({ id: g.tenant.id, counts: { storageBytes: 3_500 } });
    expect((await get('/api/operator/tenants/no-such-tenant')).statusCode).toBe(404);
  });

  it('searches name and slug case-insensitively, literally, and pages with a cursor', async () => {
    const found = (await get('/api/operator/tenants?search=zEBRA%20plumbing')).json<{ tenants: TenantJson[] }>().tenants;
    expect(found.map((x) => x.id)).toEqual([g.tenant.id]);
    const bySlug = (await get(`/api/operator/tenants?search=${g.tenant.slug.toUpperCase()}`)).json<{ tenants: TenantJson[] }>();
    expect(bySlug.tenants.map((x) => x.id)).toEqual([g.tenant.id]);
    // `%` and `_` are letters here, not wildcards.
    expect((await get('/api/operator/tenants?search=%25')).json<{ tenants: TenantJson[] }>().tenants).toEqual([]);
    expect((await get('/api/operator/tenants?search=Zebra_Plumbing')).json<{ tenants: TenantJson[] }>().tenants).toEqual([]);

    for (let i = 0; i < 3; i++) await createTenantGraph(t.deps, { name: `Paged Pipes ${i}` });
    const first = (await get('/api/operator/tenants?search=paged%20pipes&limit=2')).json<{ tenants: TenantJson[]; next: string }>();
    expect(first.tenants.map((x) => x.name)).toEqual(['Paged Pipes 2', 'Paged Pipes 1']);
    const second = (await get(`/api/operator/tenants?search=paged%20pipes&limit=2&after=${first.next}`)).json<{
      tenants: TenantJson[];
      next: string | null;
    }>();
    expect(second).toMatchObject({ tenants: [{ name: 'Paged Pipes 0' }], next: null });
    expect((await get('/api/operator/tenants?limit=0')).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('creates an organisation and invites its owner, validating like the CLI', async () => {
    const slug = uniqueSlug('made');
    const ownerEmail = uniqueEmail('owner');
    const res = await post('/api/operator/tenants', { name: 'Made By Ops', slug, ownerEmail });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<TenantJson>();
    expect(created).toMatchObject({ slug, name: 'Made By Ops', status: 'active', counts: { tickets: 0, contacts: 0 } });
    await driver.deliver();
    const mails = await driver.mailTo(ownerEmail);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('/app/accept-invite#token=');
    // eslint-disable-next-line no-restricted-syntax -- the test reads what the console wrote, scoped to the new tenant
    const member = await forTenant(t.deps.db, created.id)
      .selectFrom('team_member')
      .select(['role', 'status'])
      .where('team_member.email', '=', ownerEmail)
      .executeTakeFirstOrThrow();
    expect(member).toEqual({ role: 'owner', status: 'invited' });
    const audit = await t.deps.db
      .selectFrom('audit_event')
      .select(['action', 'actor_kind', 'actor_id'])
      .where('tenant_id', '=', created.id)
      .where('action', '=', 'operator.tenant.created')
      .execute();
    expect(audit).toEqual([{ action: 'operator.tenant.created', actor_kind: 'operator', actor_id: operatorId }]);

    expect((await post('/api/operator/tenants', { name: 'Again', slug, ownerEmail })).json()).toMatchObject({
      error: { code: 'TENANT_SLUG_TAKEN' },
    });
    for (const bad of [
      { name: 'Bad', slug: 'Not A Slug!', ownerEmail },
      { name: 'Bad', slug: 'operator', ownerEmail },
      { name: 'Bad', slug: uniqueSlug('bad'), ownerEmail: 'not-an-email' },
      { name: '', slug: uniqueSlug('bad'), ownerEmail },
    ]) {
      const refused = await post('/api/operator/tenants', bad);
      expect(refused.statusCode, JSON.stringify(bad)).toBe(400);
      expect(refused.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('suspends: every session and unspent link ends, portal and team refuse; resume lets people back in', async () => {
    const s = await createTenantGraph(t.deps, { name: 'Soon Suspended' });
    const portalCookie = await portalCookieFor(t, s.contact);
    const staffEmail = uniqueEmail('staff');
    const { cookie: teamCookie } = await createTeamMemberWithPassword(t, s.tenant.id, {
      email: staffEmail,
      name: 'Stan',
      role: 'admin',
      password: TEAM_PASSWORD,
    });
    const { token } = await driver.serviceLinkFor(s.tenant.id, s.contact.email);
    expect((await driver.get(`/portal/${s.tenant.slug}/api/me`, { cookie: portalCookie })).statusCode).toBe(200);
    expect((await driver.get('/api/team/me', { cookie: teamCookie })).statusCode).toBe(200);

    const suspended = await post(`/api/operator/tenants/${s.tenant.id}/suspend`);
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json()).toMatchObject({ status: 'suspended' });

    expect((await driver.get(`/portal/${s.tenant.slug}/api/me`, { cookie: portalCookie })).json()).toMatchObject({
      error: { code: 'TENANT_NOT_FOUND' },
    });
    expect((await driver.get(`/portal/${s.tenant.slug}/api/me`, { cookie: portalCookie })).statusCode).toBe(404);
    expect((await driver.get('/api/team/me', { cookie: teamCookie })).statusCode).toBe(401);
    const teamSignIn = await driver.post('/api/team/auth/sign-in', { email: staffEmail, password: TEAM_PASSWORD });
    expect(teamSignIn.json()).toMatchObject({ error: { code: 'SIGN_IN_FAILED' } });
    const scope = forTenant(t.deps.db, s.tenant.id);
    const live = await scope.selectFrom('session').select('session.id').where('session.revoked_at', 'is', null).execute();
    expect(live).toEqual([]);
    const openLinks = await scope.selectFrom('login_token').select('login_token.id').where('login_token.revoked_at', 'is', null).execute();
    expect(openLinks).toEqual([]);

    const resumed = await post(`/api/operator/tenants/${s.tenant.id}/resume`);
    expect(resumed.json()).toMatchObject({ status: 'active' });
    // Sessions and links stay ended; signing in again works.
    expect((await driver.get(`/portal/${s.tenant.slug}/api/me`, { cookie: portalCookie })).statusCode).toBe(401);
    expect((await driver.confirm(s.tenant.slug, token)).statusCode).not.toBe(200);
    expect((await driver.post('/api/team/auth/sign-in', { email: staffEmail, password: TEAM_PASSWORD })).statusCode).toBe(200);

    const audit = await t.deps.db
      .selectFrom('audit_event')
      .select(['action', 'actor_kind', 'actor_id', 'data'])
      .where('tenant_id', '=', s.tenant.id)
      .where('action', 'like', 'operator.tenant.%')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.actor_kind, a.actor_id])).toEqual([
      ['operator.tenant.suspended', 'operator', operatorId],
      ['operator.tenant.resumed', 'operator', operatorId],
    ]);
    expect(JSON.parse(audit[0]!.data!)).toEqual({ sessionsEnded: 2, signInLinksRevoked: 1 });
    expect((await post('/api/operator/tenants/no-such-tenant/suspend')).statusCode).toBe(404);
  });

  it('reads and changes the platform settings, audited as the operator', async () => {
    expect((await get('/api/operator/settings')).json()).toEqual({ autoIssueCertificates: false });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/operator/settings',
      headers: { cookie, origin: 'http://localhost:3000', 'content-type': 'application/json' },
      payload: { autoIssueCertificates: true },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toEqual({ autoIssueCertificates: true });
    expect((await get('/api/operator/settings')).json()).toEqual({ autoIssueCertificates: true });
    const audit = await t.deps.db
      .selectFrom('audit_event')
      .select(['actor_kind', 'actor_id'])
      .where('action', '=', 'platform.setting_changed')
      .execute();
    expect(audit).toEqual([{ actor_kind: 'operator', actor_id: operatorId }]);
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/operator/settings',
      headers: { cookie, origin: 'http://localhost:3000', 'content-type': 'application/json' },
      payload: { autoIssueCertificates: 'yes' },
    });
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('shows the audit log newest first, of one organisation or all, page by page', async () => {
    const a = await createTenantGraph(t.deps, { name: 'Audited One' });
    await post(`/api/operator/tenants/${a.tenant.id}/suspend`);
    t.clock.advance(1_000);
    await post(`/api/operator/tenants/${a.tenant.id}/resume`);
    const one = (await get(`/api/operator/audit?tenantId=${a.tenant.id}`)).json<{
      events: { action: string; tenantId: string; actor: { kind: string; id: string | null } }[];
      next: string | null;
    }>();
    expect(one.events.map((e) => e.action).slice(0, 2)).toEqual(['operator.tenant.resumed', 'operator.tenant.suspended']);
    expect(one.events[0]).toMatchObject({ tenantId: a.tenant.id, actor: { kind: 'operator', id: operatorId } });
    for (const e of one.events) expect(e.tenantId).toBe(a.tenant.id);

    const all = (await get('/api/operator/audit')).json<{ events: { tenantId: string | null }[] }>();
    expect(new Set(all.events.map((e) => e.tenantId)).size).toBeGreaterThan(1);

    const first = (await get(`/api/operator/audit?tenantId=${a.tenant.id}&limit=1`)).json<{ events: { action: string }[]; next: string }>();
    expect(first.events.map((e) => e.action)).toEqual(['operator.tenant.resumed']);
    const second = (await get(`/api/operator/audit?tenantId=${a.tenant.id}&limit=1&before=${encodeURIComponent(first.next)}`)).json<{
      events: { action: string }[];
    }>();
    expect(second.events.map((e) => e.action)).toEqual(['operator.tenant.suspended']);
    expect((await get('/api/operator/audit?before=nonsense')).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
