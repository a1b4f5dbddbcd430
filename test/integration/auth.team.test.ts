import { beforeAll, expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { addTeamMember } from '../../src/features/team/team.service.js';
import {
  createTenantGraph,
  type TenantGraph,
  createTeamMemberWithPassword,
  teamCookieFor,
  TEAM_PASSWORD,
  uniqueEmail,
} from '../helpers/factories.js';
import { SignInDriver, teamCookieOf } from '../helpers/sign-in.js';
import { buildTestApp, useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const HOUR = 3_600_000;

describeEachDialect('team sign-in and sessions', (getDb) => {
  const t = useTestApp(getDb);
  const driver = new SignInDriver(t);
  let a: TenantGraph;
  let b: TenantGraph;

  beforeAll(async () => {
    a = await createTenantGraph(t.deps, { name: 'Alpha Plumbing' });
    b = await createTenantGraph(t.deps, { name: 'Beta Repairs' });
  });

  const signIn = (payload: object, cookie?: string) => driver.post('/api/team/auth/sign-in', payload, cookie ? { cookie } : {});
  const me = (cookie: string) => driver.get('/api/team/me', { cookie });

  it('signs in with email and password: the member, the tenant, the tenants to switch to, and a session cookie', async () => {
    const email = uniqueEmail('owner');
    const { member } = await createTeamMemberWithPassword(t, a.tenant.id, {
      email,
      name: 'Olive Owner',
      role: 'owner',
      password: TEAM_PASSWORD,
    });
    const res = await signIn({ email: `  ${email.toUpperCase()} `, password: TEAM_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      member: { id: member.id, name: 'Olive Owner', email, role: 'owner' },
      tenant: { id: a.tenant.id, slug: a.tenant.slug, name: 'Alpha Plumbing' },
      tenants: [{ tenantId: a.tenant.id, slug: a.tenant.slug, name: 'Alpha Plumbing', memberId: member.id, role: 'owner' }],
    });
    expect(res.headers['cache-control']).toBe('no-store');

    const cookie = res.cookies.find((c) => c.name === 'servelo_team');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.domain).toBeUndefined();
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const answer = await me(teamCookieOf(res));
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({
      member: { id: member.id, role: 'owner' },
      tenant: { id: a.tenant.id },
      account: { totpEnabled: false },
    });
    expect(await listTenantAuditActions(t.deps.db, a.tenant.id)).toContain('team.sign_in.succeeded');
  });

  it('answers an unknown email and a wrong password identically (status, body shape, code, message)', async () => {
    const email = uniqueEmail('agent');
    await createTeamMemberWithPassword(t, a.tenant.id, { email, name: 'Agnes', role: 'agent', password: TEAM_PASSWORD });
    const wrong = await signIn({ email, password: 'not the password at all' });
    const unknown = await signIn({ email: uniqueEmail('nobody'), password: 'not the password at all' });
    const malformed = await signIn({ email: 'not an email', password: 'not the password at all' });
    for (const res of [wrong, unknown, malformed]) {
      expect(res.statusCode).toBe(401);
      expect(res.cookies).toEqual([]);
      const { error } = res.json<{ error: Record<string, unknown> }>();
      expect(Object.keys(error).sort()).toEqual(['code', 'message', 'requestId']);
      expect(error).toMatchObject({ code: 'SIGN_IN_FAILED', message: 'The email or password is not correct.' });
    }
    expect(await listTenantAuditActions(t.deps.db, a.tenant.id)).toContain('team.sign_in.failed');
  });

  it('refuses an invited or disabled membership and an account without a password, with the same answer', async () => {
    const invitedEmail = uniqueEmail('invited');
    const invited = await addTeamMember(t.deps, a.tenant.id, { email: invitedEmail, name: 'Ivy', role: 'agent' }, undefined, {
      status: 'invited',
    });
    expect(invited.status).toBe('invited');
    expect((await signIn({ email: invitedEmail, password: TEAM_PASSWORD })).json()).toMatchObject({ error: { code: 'SIGN_IN_FAILED' } });

    const disabledEmail = uniqueEmail('disabled');
    const { member, cookie } = await createTeamMemberWithPassword(t, a.tenant.id, {
      email: disabledEmail,
      name: 'Dan',
      role: 'agent',
      password: TEAM_PASSWORD,
    });
    const owner = await createTeamMemberWithPassword(t, a.tenant.id, {
      email: uniqueEmail('o'),
      name: 'O',
      role: 'owner',
      password: TEAM_PASSWORD,
    });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/team/members/${member.id}`,
      headers: { origin: 'http://localhost:3000', 'content-type': 'application/json', cookie: owner.cookie },
      payload: { status: 'disabled' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // The open session ends at once, and signing in again fails like a wrong password.
    expect((await me(cookie)).statusCode).toBe(401);
    const res = await signIn({ email: disabledEmail, password: TEAM_PASSWORD });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'SIGN_IN_FAILED' } });
  });

  it('needs a session: no cookie, a forged cookie and a query-string token are all 401', async () => {
    expect((await driver.get('/api/team/me')).json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await me('servelo_team=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(401);
    const cookie = await teamCookieFor(t, a.tenant.id, a.member.id);
    expect((await driver.get(`/api/team/me?servelo_team=${cookie.split('=')[1]}`)).statusCode).toBe(401);
    // A portal session cookie is not a team session, and the other way round.
    expect((await me(cookie.replace('servelo_team', 'sid'))).statusCode).toBe(401);
  });

  it('signs out: the session is revoked on the server and the cookie cleared', async () => {
    const email = uniqueEmail('out');
    await createTeamMemberWithPassword(t, a.tenant.id, { email, name: 'Otto', role: 'agent', password: TEAM_PASSWORD });
    const cookie = teamCookieOf(await signIn({ email, password: TEAM_PASSWORD }));
    expect((await me(cookie)).statusCode).toBe(200);
    const out = await driver.post('/api/team/auth/sign-out', {}, { cookie });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'servelo_team')?.value).toBe('');
    // Replaying the old cookie does not bring the session back.
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('signing in again revokes the session the browser had (a new id every time)', async () => {
    const email = uniqueEmail('again');
    await createTeamMemberWithPassword(t, a.tenant.id, { email, name: 'Aga', role: 'agent', password: TEAM_PASSWORD });
    const first = teamCookieOf(await signIn({ email, password: TEAM_PASSWORD }));
    const second = teamCookieOf(await signIn({ email, password: TEAM_PASSWORD }, first));
    expect(second).not.toBe(first);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(200);
  });

  it('ends a session idle for 12 hours, and any session after its absolute lifetime of 7 days', async () => {
    const idle = await teamCookieFor(t, a.tenant.id, a.member.id);
    t.clock.advance(11 * HOUR);
    expect((await me(idle)).statusCode).toBe(200); // activity slides the idle expiry
    t.clock.advance(11 * HOUR);
    expect((await me(idle)).statusCode).toBe(200);
    t.clock.advance(12 * HOUR + 60_000);
    expect((await me(idle)).statusCode).toBe(401);

    const busy = await teamCookieFor(t, a.tenant.id, a.member.id);
    for (let hours = 0; hours < 7 * 24 - 10; hours += 10) {
      t.clock.advance(10 * HOUR);
      expect((await me(busy)).statusCode).toBe(200);
    }
    t.clock.advance(10 * HOUR);
    expect((await me(busy)).statusCode).toBe(401);
  });

  it('switches between the organisations of one account; a session of A never acts in B', async () => {
    const email = uniqueEmail('both');
    const inA = await createTeamMemberWithPassword(t, a.tenant.id, { email, name: 'Bo', role: 'admin', password: TEAM_PASSWORD });
    const inB = await addTeamMember(t.deps, b.tenant.id, { email, name: 'Bo', role: 'agent' });
    expect(inB.accountId).toBe(inA.member.accountId);

    const res = await signIn({ email, password: TEAM_PASSWORD, tenantId: b.tenant.id });
    expect(res.json()).toMatchObject({ member: { id: inB.id, role: 'agent' }, tenant: { id: b.tenant.id } });
    expect(
      res
        .json<{ tenants: { tenantId: string }[] }>()
        .tenants.map((m) => m.tenantId)
        .sort(),
    ).toEqual([a.tenant.id, b.tenant.id].sort());
    const inBCookie = teamCookieOf(res);

    const switched = await driver.post('/api/team/auth/switch', { tenantId: a.tenant.id }, { cookie: inBCookie });
    expect(switched.statusCode, switched.body).toBe(200);
    expect(switched.json()).toMatchObject({ member: { id: inA.member.id, role: 'admin' }, tenant: { id: a.tenant.id } });
    const inACookie = teamCookieOf(switched);
    expect((await me(inBCookie)).statusCode).toBe(401); // the old session is revoked
    expect((await me(inACookie)).json()).toMatchObject({ tenant: { id: a.tenant.id }, member: { id: inA.member.id } });

    // A's session lists only A's members, and B's member ids are 404 for it.
    const members = await driver.get('/api/team/members', { cookie: inACookie });
    expect(members.json<{ members: { id: string }[] }>().members.map((m) => m.id)).not.toContain(inB.id);
    expect(members.json<{ members: { id: string }[] }>().members.map((m) => m.id)).toContain(inA.member.id);

    // No membership (or none active) in a tenant: 404, like a tenant that does not exist.
    const other = await createTenantGraph(t.deps);
    expect((await driver.post('/api/team/auth/switch', { tenantId: other.tenant.id }, { cookie: inACookie })).statusCode).toBe(404);
    expect((await driver.post('/api/team/auth/switch', { tenantId: 'nope' }, { cookie: inACookie })).statusCode).toBe(404);
  });

  it('refuses a session whose tenant was suspended, re-reading it on every request', async () => {
    const g = await createTenantGraph(t.deps);
    const cookie = await teamCookieFor(t, g.tenant.id, g.member.id);
    expect((await me(cookie)).statusCode).toBe(200);
    // Suspended directly: the operator console that does this comes later.
    await t.deps.db.updateTable('tenant').set({ status: 'suspended' }).where('id', '=', g.tenant.id).execute();
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('uses a Secure __Host- cookie when served over HTTPS', async () => {
    const https = await buildTestApp(getDb(), { PUBLIC_URL: 'https://desk.example.com' });
    try {
      const email = uniqueEmail('https');
      await createTeamMemberWithPassword(https, a.tenant.id, { email, name: 'Hugo', role: 'agent', password: TEAM_PASSWORD });
      const res = await https.app.inject({
        method: 'POST',
        url: '/api/team/auth/sign-in',
        headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
        payload: { email, password: TEAM_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.cookies).toHaveLength(1);
      expect(res.cookies[0]).toMatchObject({ name: '__Host-servelo_team', secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(res.cookies[0]?.domain).toBeUndefined();
    } finally {
      await https.close();
    }
  });

  it('publishes the team auth routes in the OpenAPI document, to signed-in members only', async () => {
    expect((await driver.get('/api/team/openapi.json')).statusCode).toBe(401);
    const cookie = await teamCookieFor(t, a.tenant.id, a.member.id);
    const doc = (await driver.get('/api/team/openapi.json', { cookie })).json<{ paths: Record<string, unknown> }>();
    for (const path of [
      '/api/team/auth/sign-in',
      '/api/team/auth/sign-out',
      '/api/team/me',
      '/api/team/auth/switch',
      '/api/team/members',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
