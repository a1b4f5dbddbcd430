import { expect, it } from 'vitest';
import { disableContact } from '../../src/features/clients/client.service.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp, TEST_ORIGIN } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant, signInContact } from '../helpers/factories.js';

/** One way to disable a contact (clients/client.service.ts disableContact), whoever asks. */
describeEachDialect('disabling a contact', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);

  const meStatus = async (tt: TeamTenant, cookie: string) =>
    (await t.app.inject({ method: 'GET', url: `/portal/${tt.g.tenant.slug}/api/me`, headers: { origin: TEST_ORIGIN, cookie } })).statusCode;
  const disabledAudits = async (tt: TeamTenant) => {
    const res = await tt.as.owner.get('/api/team/audit?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    return res
      .json<{ entries: { action: string; data: Record<string, unknown> | null }[] }>()
      .entries.filter((e) => e.action === 'contact.disabled');
  };

  it('through the team API: ends its sessions and unspent links at once, audited with what it ended', async () => {
    const tt = await createTeamTenant(t);
    const cookie = await signInContact(d, tt.g.tenant, tt.g.contact.email);
    t.clock.advance(61_000);
    const { token } = await d.serviceLinkFor(tt.g.tenant.id, tt.g.contact.email);

    const res = await tt.as.agent.patch(`/api/team/contacts/${tt.g.contact.id}`, { status: 'disabled' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await meStatus(tt, cookie)).toBe(401);
    expect((await d.confirm(tt.g.tenant.slug, token)).statusCode).toBe(400);
    expect((await disabledAudits(tt)).map((e) => e.data)).toEqual([{ revoked: { tokens: 1, sessions: 1 } }]);

    // Disabling again is no change: nothing ended, nothing audited.
    expect((await tt.as.agent.patch(`/api/team/contacts/${tt.g.contact.id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect(await disabledAudits(tt)).toHaveLength(1);
  });

  it('through the service: the same effect, and a second call ends nothing', async () => {
    const tt = await createTeamTenant(t);
    const cookie = await signInContact(d, tt.g.tenant, tt.g.contact.email);
    expect(await disableContact(t.deps, tt.g.tenant.id, tt.g.contact.id)).toEqual({ tokens: 0, sessions: 1 });
    expect(await meStatus(tt, cookie)).toBe(401);
    expect(await disableContact(t.deps, tt.g.tenant.id, tt.g.contact.id)).toBeNull();
  });

  it("answers 404 for another organisation's contact and leaves it untouched", async () => {
    const tt = await createTeamTenant(t);
    const other = await createTeamTenant(t);
    const cookie = await signInContact(d, other.g.tenant, other.g.contact.email);
    const res = await tt.as.agent.patch(`/api/team/contacts/${other.g.contact.id}`, { status: 'disabled' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CONTACT_NOT_FOUND');
    expect(await meStatus(other, cookie)).toBe(200);
  });
});
