import { beforeAll, expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { fromBase32, totpCode, totpStepAt } from '../../src/features/auth/totp.js';
import { createTenantGraph, type TenantGraph, createTeamMemberWithPassword, TEAM_PASSWORD, uniqueEmail } from '../helpers/factories.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

describeEachDialect('team TOTP and recovery codes', (getDb) => {
  const t = useTestApp(getDb);
  const driver = new SignInDriver(t);
  let g: TenantGraph;

  beforeAll(async () => {
    g = await createTenantGraph(t.deps);
  });

  const codeAt = (secret: string, offsetSteps = 0) => totpCode(fromBase32(secret), totpStepAt(t.clock.now()) + offsetSteps);
  const signIn = (email: string, extra: object = {}) => driver.post('/api/team/auth/sign-in', { email, password: TEAM_PASSWORD, ...extra });

  /** A member who enrolled: the secret and recovery codes they saw once. */
  async function enrolled(): Promise<{ email: string; cookie: string; secret: string; recoveryCodes: string[] }> {
    const email = uniqueEmail('totp');
    const { cookie } = await createTeamMemberWithPassword(t, g.tenant.id, { email, name: 'Tia', role: 'admin', password: TEAM_PASSWORD });
    const setup = await driver.post('/api/team/me/totp/setup', {}, { cookie });
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, otpauthUrl, qrSvg } = setup.json<{ secret: string; otpauthUrl: string; qrSvg: string }>();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toBe(
      `otpauth://totp/Servelo:${encodeURIComponent(email)}?secret=${secret}&issuer=Servelo&algorithm=SHA1&digits=6&period=30`,
    );
    expect(qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(qrSvg).not.toMatch(/<script/i);

    // Until confirmed, sign-in does not ask for a code.
    expect((await signIn(email)).statusCode).toBe(200);
    expect((await driver.post('/api/team/me/totp/enable', { code: codeAt(secret, 5) }, { cookie })).json()).toMatchObject({
      error: { code: 'TOTP_INVALID' },
    });
    const enable = await driver.post('/api/team/me/totp/enable', { code: codeAt(secret) }, { cookie });
    expect(enable.statusCode, enable.body).toBe(200);
    const { recoveryCodes } = enable.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    return { email, cookie, secret, recoveryCodes };
  }

  it('stores the secret encrypted and the recovery codes hashed', async () => {
    const { email, secret, recoveryCodes } = await enrolled();
    const row = await t.deps.db.selectFrom('team_account').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^v1\./);
    expect(row.totp_secret).not.toContain(secret);
    expect(row.totp_enabled_at).not.toBeNull();
    const codes = await t.deps.db.selectFrom('team_recovery_code').select('code_hash').where('account_id', '=', row.id).execute();
    expect(codes).toHaveLength(10);
    for (const { code_hash } of codes) expect(recoveryCodes.map((c) => c.replace('-', ''))).not.toContain(code_hash);
  });

  it('asks for the code once TOTP is on; a right code signs in, a wrong or reused one is refused', async () => {
    const { email, secret } = await enrolled();
    const missing = await signIn(email);
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: 'TOTP_REQUIRED' } });
    expect(missing.cookies).toEqual([]);

    expect((await signIn(email, { totp: '000000' === codeAt(secret) ? '111111' : '000000' })).json()).toMatchObject({
      error: { code: 'TOTP_INVALID' },
    });
    // A wrong password with a right code is still a wrong password.
    expect(
      (await driver.post('/api/team/auth/sign-in', { email, password: 'wrong password here', totp: codeAt(secret) })).json(),
    ).toMatchObject({
      error: { code: 'SIGN_IN_FAILED' },
    });

    t.clock.advance(30_000); // the enrolment spent the current step; the next one is fresh
    const code = codeAt(secret);
    const ok = await signIn(email, { totp: code });
    expect(ok.statusCode, ok.body).toBe(200);
    // The same code again, even within its 30 seconds, is a replay.
    expect((await signIn(email, { totp: code })).json()).toMatchObject({ error: { code: 'TOTP_INVALID' } });
    // An earlier step than the last one used is refused too; the next step, within the ±1 window, works.
    expect((await signIn(email, { totp: codeAt(secret, -1) })).json()).toMatchObject({ error: { code: 'TOTP_INVALID' } });
    expect((await signIn(email, { totp: codeAt(secret, 1) })).statusCode).toBe(200);
    // Two steps ahead is outside the window.
    t.clock.advance(60_000);
    expect((await signIn(email, { totp: codeAt(secret, 2) })).json()).toMatchObject({ error: { code: 'TOTP_INVALID' } });
  });

  it('takes a recovery code in place of the code, once', async () => {
    const { email, recoveryCodes } = await enrolled();
    const [first, second] = recoveryCodes;
    const ok = await signIn(email, { totp: first!.toLowerCase().replace('-', ' ') });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await signIn(email, { totp: first })).json()).toMatchObject({ error: { code: 'TOTP_INVALID' } });
    expect((await signIn(email, { totp: second })).statusCode).toBe(200);
  });

  it('counts wrong codes towards the lockout', async () => {
    const { email, secret } = await enrolled();
    for (let i = 0; i < 5; i++) expect((await signIn(email, { totp: 'ZZZZZ-ZZZZZ' })).statusCode).toBe(401);
    t.clock.advance(30_000);
    expect((await signIn(email, { totp: codeAt(secret) })).json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
  });

  it('turns TOTP off only with the password and a code; audited both ways', async () => {
    const { email, cookie, secret } = await enrolled();
    t.clock.advance(30_000);
    const wrongPassword = await driver.post(
      '/api/team/me/totp/disable',
      { password: 'not my password!', code: codeAt(secret) },
      { cookie },
    );
    expect(wrongPassword.json()).toMatchObject({ error: { code: 'SIGN_IN_FAILED' } });
    const wrongCode = await driver.post(
      '/api/team/me/totp/disable',
      { password: TEAM_PASSWORD, code: '123456' === codeAt(secret) ? '654321' : '123456' },
      { cookie },
    );
    expect(wrongCode.json()).toMatchObject({ error: { code: 'TOTP_INVALID' } });
    expect((await driver.post('/api/team/me/totp/disable', { password: TEAM_PASSWORD, code: codeAt(secret) }, { cookie })).statusCode).toBe(
      204,
    );
    expect((await signIn(email)).statusCode).toBe(200);
    expect((await driver.get('/api/team/me', { cookie })).json()).toMatchObject({ account: { totpEnabled: false } });
    const actions = await listTenantAuditActions(t.deps.db, g.tenant.id);
    expect(actions).toContain('team.totp.enabled');
    expect(actions).toContain('team.totp.disabled');
  });

  it('refuses to set up again while TOTP is on, and to enable without a setup', async () => {
    const { cookie } = await enrolled();
    expect((await driver.post('/api/team/me/totp/setup', {}, { cookie })).json()).toMatchObject({
      error: { code: 'TOTP_ALREADY_ENABLED' },
    });
    const other = await createTeamMemberWithPassword(t, g.tenant.id, {
      email: uniqueEmail('none'),
      name: 'N',
      role: 'agent',
      password: TEAM_PASSWORD,
    });
    expect((await driver.post('/api/team/me/totp/enable', { code: '123456' }, { cookie: other.cookie })).json()).toMatchObject({
      error: { code: 'TOTP_NOT_PENDING' },
    });
  });
});
