import { beforeAll, expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { createTenantGraph, type TenantGraph, createTeamMemberWithPassword, TEAM_PASSWORD, uniqueEmail } from '../helpers/factories.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp, SAME_ORIGIN_JSON } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const MINUTE = 60_000;

describeEachDialect('team sign-in lockout and limits', (getDb) => {
  const t = useTestApp(getDb);
  const driver = new SignInDriver(t);
  let g: TenantGraph;

  beforeAll(async () => {
    g = await createTenantGraph(t.deps);
  });

  // Every request from its own address (SignInDriver), so only the per-email lockout is at play.
  const signIn = (email: string, password: string) => driver.post('/api/team/auth/sign-in', { email, password });
  const failTimes = async (email: string, n: number) => {
    for (let i = 0; i < n; i++) expect((await signIn(email, 'wrong password, try again')).statusCode).toBe(401);
  };

  it('locks an account after 5 failures, even for the right password, and unlocks after the backoff', async () => {
    const email = uniqueEmail('locked');
    await createTeamMemberWithPassword(t, g.tenant.id, { email, name: 'Lou', role: 'agent', password: TEAM_PASSWORD });
    await failTimes(email, 4);
    expect((await signIn(email, TEAM_PASSWORD)).statusCode).toBe(200); // a success resets the count
    await failTimes(email, 5);

    const locked = await signIn(email, TEAM_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.cookies).toEqual([]);

    t.clock.advance(MINUTE - 1000);
    expect((await signIn(email, TEAM_PASSWORD)).statusCode).toBe(429);
    t.clock.advance(1000);
    expect((await signIn(email, TEAM_PASSWORD)).statusCode).toBe(200);
    expect(await listTenantAuditActions(t.deps.db, g.tenant.id)).toContain('team.sign_in.locked');
  });

  it('doubles the lock for each further failure, up to an hour', async () => {
    const email = uniqueEmail('backoff');
    await createTeamMemberWithPassword(t, g.tenant.id, { email, name: 'Bea', role: 'agent', password: TEAM_PASSWORD });
    await failTimes(email, 5);
    const waits: string[] = [];
    for (let i = 0; i < 8; i++) {
      const locked = await signIn(email, TEAM_PASSWORD);
      expect(locked.statusCode).toBe(429);
      const seconds = Number(locked.headers['retry-after']);
      waits.push(String(seconds));
      t.clock.advance(seconds * 1000);
      await failTimes(email, 1); // one more failure after the lock ends locks again, for longer
    }
    expect(waits).toEqual(['60', '120', '240', '480', '960', '1920', '3600', '3600']);
  });

  it('answers a lock the same way for an unknown email (no enumeration through the lockout)', async () => {
    const known = uniqueEmail('known');
    const unknown = uniqueEmail('unknown');
    await createTeamMemberWithPassword(t, g.tenant.id, { email: known, name: 'Kim', role: 'agent', password: TEAM_PASSWORD });
    await failTimes(known, 5);
    await failTimes(unknown, 5);
    const [a, b] = [await signIn(known, 'anything at all here'), await signIn(unknown, 'anything at all here')];
    expect([a.statusCode, b.statusCode]).toEqual([429, 429]);
    expect(a.json<{ error: { message: string } }>().error.message).toBe(b.json<{ error: { message: string } }>().error.message);
    expect(a.headers['retry-after']).toBe(b.headers['retry-after']);
  });

  it('limits sign-in attempts per address, whatever the emails tried', async () => {
    const address = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/team/auth/sign-in',
        headers: SAME_ORIGIN_JSON,
        payload: { email: uniqueEmail('spray'), password: 'wrong password, try again' },
        remoteAddress: address,
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
