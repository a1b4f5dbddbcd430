import { beforeAll, expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { requestTeamPasswordReset } from '../../src/features/auth/team-password-reset.service.js';
import { addTeamMember } from '../../src/features/team/team.service.js';
import { createTenantGraph, type TenantGraph, createTeamMemberWithPassword, TEAM_PASSWORD, uniqueEmail } from '../helpers/factories.js';
import { type DevMail, SignInDriver, teamCookieOf } from '../helpers/sign-in.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const NEW_PASSWORD = 'a brand new passphrase';
const MINUTE = 60_000;

function resetTokenOf(mail: DevMail): string {
  const match = /http:\/\/localhost:3000\/app\/reset#token=([A-Za-z0-9_-]{43})\b/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no reset link in: ${mail.text}`);
  return match[1];
}

describeEachDialect('team password reset', (getDb) => {
  const t = useTestApp(getDb);
  const driver = new SignInDriver(t);
  let g: TenantGraph;

  beforeAll(async () => {
    g = await createTenantGraph(t.deps);
  });

  const requestReset = (email: string, headers: Record<string, string> = {}) =>
    driver.post('/api/team/auth/reset-request', { email }, headers);
  const reset = (token: string, password: string) => driver.post('/api/team/auth/reset', { token, password });
  const signIn = (email: string, password: string) => driver.post('/api/team/auth/sign-in', { email, password });

  /** Asks for a reset through the service (past the one-a-minute HTTP limit) and reads the link. */
  async function resetLinkFor(email: string): Promise<string> {
    await requestTeamPasswordReset(t.deps, email, { ip: null, userAgent: null });
    await driver.deliver();
    return resetTokenOf((await driver.mailTo(email))[0]!);
  }

  it('answers 202 with the same body for known, unknown and malformed emails; mails only the known one', async () => {
    const email = uniqueEmail('known');
    await createTeamMemberWithPassword(t, g.tenant.id, { email, name: 'Kai', role: 'agent', password: TEAM_PASSWORD });
    const unknown = uniqueEmail('unknown');
    const answers = [await requestReset(email), await requestReset(unknown), await requestReset('not an email')];
    for (const res of answers) {
      expect(res.statusCode).toBe(202);
      expect(res.body).toBe(answers[0]!.body);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    await driver.deliver();
    const mails = await driver.mailTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Reset your password');
    expect(mails[0]!.text).toContain('expires in 30 minutes');
    expect(await driver.mailTo(unknown)).toEqual([]);
  });

  it('builds the link from PUBLIC_URL, never from the Host or forwarding headers', async () => {
    const email = uniqueEmail('host');
    await createTeamMemberWithPassword(t, g.tenant.id, { email, name: 'Hal', role: 'agent', password: TEAM_PASSWORD });
    // On the platform host: an unknown Host serves nothing at all (domains.routing.test.ts).
    await requestReset(email, {
      host: 'localhost:3000',
      'x-forwarded-host': 'evil.example',
      forwarded: 'host=evil.example;proto=https',
      origin: 'http://localhost:3000',
    });
    await driver.deliver();
    const [mail] = await driver.mailTo(email);
    expect(mail!.text).not.toContain('evil.example');
    expect(resetTokenOf(mail!)).toHaveLength(43);
  });

  it('sets a new password once, ends every session of the account and clears the lockout', async () => {
    const email = uniqueEmail('reset');
    const { cookie } = await createTeamMemberWithPassword(t, g.tenant.id, { email, name: 'Rae', role: 'agent', password: TEAM_PASSWORD });
    const other = await createTenantGraph(t.deps);
    await addTeamMember(t.deps, other.tenant.id, { email, name: 'Rae', role: 'admin' });
    const otherCookie = teamCookieOf(await signIn(email, TEAM_PASSWORD));
    for (let i = 0; i < 5; i++) await signIn(email, 'wrong password, again');
    expect((await signIn(email, TEAM_PASSWORD)).statusCode).toBe(429);

    const token = await resetLinkFor(email);
    expect((await reset(token, 'short')).json()).toMatchObject({ error: { code: 'PASSWORD_TOO_WEAK' } });
    expect((await reset(token, email)).json()).toMatchObject({ error: { code: 'PASSWORD_TOO_WEAK' } });
    // A refused password leaves the link usable.
    const res = await reset(token, NEW_PASSWORD);
    expect(res.statusCode, res.body).toBe(204);
    expect((await reset(token, 'yet another passphrase')).json()).toMatchObject({ error: { code: 'RESET_LINK_INVALID' } });

    expect((await driver.get('/api/team/me', { cookie })).statusCode).toBe(401);
    expect((await driver.get('/api/team/me', { cookie: otherCookie })).statusCode).toBe(401);
    expect((await signIn(email, TEAM_PASSWORD)).statusCode).toBe(401);
    expect((await signIn(email, NEW_PASSWORD)).statusCode).toBe(200);
    expect(await listTenantAuditActions(t.deps.db, g.tenant.id)).toContain('team.password_reset.completed');
    expect(await listTenantAuditActions(t.deps.db, other.tenant.id)).toContain('team.password_reset.completed');
  });

  it('expires a link after 30 minutes, and a newer link replaces an older one', async () => {
    const email = uniqueEmail('expiry');
    await createTeamMemberWithPassword(t, g.tenant.id, { email, name: 'Exa', role: 'agent', password: TEAM_PASSWORD });
    const old = await resetLinkFor(email);
    const newer = await resetLinkFor(email);
    expect(newer).not.toBe(old);
    expect((await reset(old, NEW_PASSWORD)).json()).toMatchObject({ error: { code: 'RESET_LINK_INVALID' } });

    t.clock.advance(30 * MINUTE);
    expect((await reset(newer, NEW_PASSWORD)).json()).toMatchObject({ error: { code: 'RESET_LINK_INVALID' } });
    const fresh = await resetLinkFor(email);
    t.clock.advance(29 * MINUTE);
    expect((await reset(fresh, NEW_PASSWORD)).statusCode).toBe(204);
  });

  it('sends nothing for an account without an active membership', async () => {
    const email = uniqueEmail('invited-only');
    await addTeamMember(t.deps, g.tenant.id, { email, name: 'Io', role: 'agent' }, undefined, { status: 'invited' });
    await requestTeamPasswordReset(t.deps, email, { ip: null, userAgent: null });
    await driver.deliver();
    expect(await driver.mailTo(email)).toEqual([]);
  });
});
