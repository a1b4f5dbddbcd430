import { beforeAll, expect, it } from 'vitest';
import { fromBase32, totpCode, totpStepAt } from '../../src/features/auth/totp.js';
import { addOperator } from '../../src/features/operator/operator.service.js';
import { createTenantGraph, portalCookieFor, teamCookieFor, uniqueEmail, type TenantGraph } from '../helpers/factories.js';
import { OPERATOR_PASSWORD, operatorCookieOf } from '../helpers/operator.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { buildTestApp, useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

describeEachDialect('operator console sign-in', (getDb) => {
  const t = useTestApp(getDb);
  const driver = new SignInDriver(t);
  let g: TenantGraph;

  beforeAll(async () => {
    g = await createTenantGraph(t.deps);
  });

  const codeAt = (secret: string, offsetSteps = 0) => totpCode(fromBase32(secret), totpStepAt(t.clock.now()) + offsetSteps);
  const signIn = (email: string, extra: object = {}) =>
    driver.post('/api/operator/auth/sign-in', { email, password: OPERATOR_PASSWORD, ...extra });

  async function newOperator(): Promise<{ id: string; email: string }> {
    const email = uniqueEmail('ops', 'ops.example.com');
    const operator = await addOperator(t.deps, { email, name: 'Olga Ops', password: OPERATOR_PASSWORD }, t.config.teamAuth.argon2);
    return { id: operator.id, email };
  }

  /** An operator through first sign-in and TOTP enrolment: the full-session cookie and the secret. */
  async function enrolledOperator(): Promise<{ id: string; email: string; cookie: string; secret: string; recoveryCodes: string[] }> {
    const { id, email } = await newOperator();
    const first = await signIn(email);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ operator: { id, name: 'Olga Ops', email }, stage: 'enrol_totp' });
    const pending = operatorCookieOf(first);
    const setup = await driver.post('/api/operator/auth/totp/setup', {}, { cookie: pending });
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, qrSvg } = setup.json<{ secret: string; qrSvg: string }>();
    expect(qrSvg).toMatch(/^<svg/);
    const confirm = await driver.post('/api/operator/auth/totp/confirm', { code: codeAt(secret) }, { cookie: pending });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const body = confirm.json<{ stage: string; recoveryCodes: string[] }>();
    expect(body.stage).toBe('signed_in');
    expect(body.recoveryCodes).toHaveLength(10);
    const cookie = operatorCookieOf(confirm);
    expect(cookie).not.toBe(pending);
    // The pending session is replaced, not promoted.
    expect((await driver.get('/api/operator/me', { cookie: pending })).statusCode).toBe(401);
    return { id, email, cookie, secret, recoveryCodes: body.recoveryCodes };
  }

  it('makes the first sign-in enrol TOTP before anything else is reachable', async () => {
    const { email } = await newOperator();
    const first = await signIn(email);
    const pending = operatorCookieOf(first);
    expect(first.cookies.find((c) => c.name === 'servelo_operator')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const me = await driver.get('/api/operator/me', { cookie: pending });
    expect(me.json()).toMatchObject({ stage: 'enrol_totp' });
    expect(me.headers['cache-control']).toBe('no-store');
    const tenants = await driver.get('/api/operator/tenants', { cookie: pending });
    expect(tenants.statusCode).toBe(403);
    expect(tenants.json()).toMatchObject({ error: { code: 'TOTP_ENROLMENT_REQUIRED' } });
    expect((await driver.post('/api/operator/auth/totp/confirm', { code: '123456' }, { cookie: pending })).json()).toMatchObject({
      error: { code: 'TOTP_NOT_PENDING' },
    });
    const { secret } = (await driver.post('/api/operator/auth/totp/setup', {}, { cookie: pending })).json<{ secret: string }>();
    const wrong = await driver.post('/api/operator/auth/totp/confirm', { code: codeAt(secret, 5) }, { cookie: pending });
    expect(wrong.json()).toMatchObject({ error: { code: 'TOTP_INVALID' } });
    const row = await t.deps.db.selectFrom('operator').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.totp_pending_secret).toMatch(/^v1\./);
    expect(row.totp_enabled_at).toBeNull();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('signs in with password and TOTP once enrolled; a wrong, missing or reused code is refused', async () => {
    const { id, email, cookie, secret, recoveryCodes } = await enrolledOperator();
    expect((await driver.get('/api/operator/tenants', { cookie })).statusCode).toBe(200);

    const missing = await signIn(email);
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: 'TOTP_REQUIRED' } });
    expect(missing.cookies).toEqual([]);
    const wrong = await signIn(email, { totp: codeAt(secret) === '000000' ? '111111' : '000000' });
    expect(wrong.json()).toMatchObject({ error: { code: 'TOTP_INVALID' } });
    expect(wrong.cookies).toEqual([]);
    // The enrolment spent the current step: the same code again is a replay.
    expect((await signIn(email, { totp: codeAt(secret) })).json()).toMatchObject({ error: { code: 'TOTP_INVALID' } });

    t.clock.advance(30_000);
    const ok = await signIn(email, { totp: codeAt(secret) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ stage: 'signed_in', operator: { id } });
    const recovery = await signIn(email, { totp: recoveryCodes[0] });
    expect(recovery.statusCode, recovery.body).toBe(200);
    expect((await signIn(email, { totp: recoveryCodes[0] })).json()).toMatchObject({ error: { code: 'TOTP_INVALID' } });

    const events = await t.deps.db
      .selectFrom('audit_event')
      .select(['action', 'tenant_id', 'actor_kind'])
      .where('actor_id', '=', id)
      .orderBy('created_at')
      .execute();
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'operator.sign_in.enrolment_started',
        'operator.totp.enabled',
        'operator.sign_in.failed',
        'operator.sign_in.succeeded',
      ]),
    );
    for (const e of events) expect(e).toMatchObject({ tenant_id: null, actor_kind: 'operator' });
  });

  it('locks an email after five failures, the same for an unknown email', async () => {
    const { email } = await enrolledOperator();
    const unknown = uniqueEmail('nobody', 'ops.example.com');
    for (const target of [email, unknown]) {
      for (let i = 0; i < 5; i++) {
        const res = await driver.post('/api/operator/auth/sign-in', { email: target, password: 'not the password at all' });
        expect(res.json()).toMatchObject({ error: { code: 'SIGN_IN_FAILED' } });
      }
      const locked = await signIn(target);
      expect(locked.statusCode).toBe(429);
      expect(locked.json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
      expect(locked.headers['retry-after']).toBe('60');
    }
    t.clock.advance(61_000);
    expect((await signIn(email)).json()).toMatchObject({ error: { code: 'TOTP_REQUIRED' } });
  });

  it('keeps the console apart: team and portal cookies do not open it, its cookie opens neither', async () => {
    const { cookie } = await enrolledOperator();
    const team = await teamCookieFor(t, g.tenant.id, g.member.id);
    const portal = await portalCookieFor(t, g.contact);
    for (const other of [team, portal, team.replace('servelo_team', 'servelo_operator'), portal.replace(/^sid/, 'servelo_operator')]) {
      const res = await driver.get('/api/operator/tenants', { cookie: other });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
    expect((await driver.get('/api/team/me', { cookie })).statusCode).toBe(401);
    expect((await driver.get('/api/team/me', { cookie: cookie.replace('servelo_operator', 'servelo_team') })).statusCode).toBe(401);
    expect((await driver.get(`/portal/${g.tenant.slug}/api/me`, { cookie: cookie.replace('servelo_operator', 'sid') })).statusCode).toBe(
      401,
    );
  });

  it('answers 401 before validating a signed-out request, and refuses a cross-site write', async () => {
    const res = await driver.post('/api/operator/tenants', { nonsense: true });
    expect(res.statusCode).toBe(401);
    const { cookie } = await enrolledOperator();
    const crossSite = await t.app.inject({
      method: 'PATCH',
      url: '/api/operator/settings',
      headers: { cookie, origin: 'https://evil.example.com', 'content-type': 'application/json' },
      payload: { autoIssueCertificates: true },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json()).toMatchObject({ error: { code: 'CROSS_SITE_REQUEST' } });
  });

  it('signs out, and ends a session after two idle hours or twelve in all', async () => {
    const { email, secret, cookie } = await enrolledOperator();
    const out = await driver.post('/api/operator/auth/sign-out', {}, { cookie });
    expect(out.statusCode).toBe(204);
    expect((await driver.get('/api/operator/me', { cookie })).statusCode).toBe(401);

    t.clock.advance(30_000);
    const idle = operatorCookieOf(await signIn(email, { totp: codeAt(secret) }));
    t.clock.advance(2 * 60 * 60_000 + 1_000);
    expect((await driver.get('/api/operator/me', { cookie: idle })).statusCode).toBe(401);

    const busy = operatorCookieOf(await signIn(email, { totp: codeAt(secret) }));
    for (let hour = 0; hour < 12; hour++) {
      t.clock.advance(60 * 60_000);
      expect((await driver.get('/api/operator/me', { cookie: busy })).statusCode).toBe(hour < 11 ? 200 : 401);
    }
  });

  it('refuses a disabled operator', async () => {
    const { id, email, secret, cookie } = await enrolledOperator();
    await t.deps.db.updateTable('operator').set({ disabled_at: t.clock.now().toISOString() }).where('id', '=', id).execute();
    expect((await driver.get('/api/operator/me', { cookie })).statusCode).toBe(401);
    t.clock.advance(30_000);
    expect((await signIn(email, { totp: codeAt(secret) })).json()).toMatchObject({ error: { code: 'SIGN_IN_FAILED' } });
  });

  it('uses a Secure __Host- cookie of its own over HTTPS', async () => {
    const https = await buildTestApp(getDb(), { PUBLIC_URL: 'https://desk.example.com' });
    try {
      const email = uniqueEmail('https-ops', 'ops.example.com');
      await addOperator(https.deps, { email, password: OPERATOR_PASSWORD }, https.config.teamAuth.argon2);
      const res = await https.app.inject({
        method: 'POST',
        url: '/api/operator/auth/sign-in',
        headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
        payload: { email, password: OPERATOR_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.cookies).toHaveLength(1);
      expect(res.cookies[0]).toMatchObject({ name: '__Host-servelo_operator', secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(res.cookies[0]?.domain).toBeUndefined();
    } finally {
      await https.close();
    }
  });

  it('serves the console page at /operator and below, never cached, without a Referer', async () => {
    for (const path of ['/operator', '/operator/tenants/abc', '/operator/sign-in']) {
      const res = await driver.get(path);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.body).toContain('<title>Servelo operator console</title>');
      expect(res.body).toContain('<meta name="robots" content="noindex, nofollow">');
    }
  });
});
