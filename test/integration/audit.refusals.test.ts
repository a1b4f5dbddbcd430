import { expect, it } from 'vitest';
import { listTenantAuditEvents, type StoredAuditEvent } from '../../src/features/audit/audit.service.js';
import type { TAuditEntry } from '../../src/features/audit/team-audit.schemas.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTeamTenant, createTenantGraph, portalCookieFor } from '../helpers/factories.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const HOUR = 3_600_000;

/**
 * Authorisation failures and failed sign-in attempts are audited in aggregate (SECURITY.md §8):
 * one row per tenant, kind, who, what and hour, counting its occurrences, so that a flood of
 * refusals is visible without flooding the log.
 */
describeEachDialect('audit of refusals, aggregated per hour', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);

  async function eventsOf(tenantId: string, action: string): Promise<StoredAuditEvent[]> {
    const all = await listTenantAuditEvents(forTenant(t.deps.db, tenantId), { limit: 100 });
    return all.filter((e) => e.action === action);
  }
  const dataOf = (e: StoredAuditEvent | undefined) => (e?.data ? (JSON.parse(e.data) as Record<string, unknown>) : null);

  it('counts 50 requests for a foreign ticket by one contact on one row, shown on the audit log', async () => {
    const team = await createTeamTenant(t);
    const a = team.g;
    const foreign = await createTenantGraph(t.deps);
    const cookie = await portalCookieFor(t, a.contact);
    for (let i = 0; i < 50; i++) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/portal/${a.tenant.slug}/api/tickets/${foreign.ticket.id}`,
        headers: { cookie },
      });
      expect(res.statusCode).toBe(404);
    }
    const rows = await eventsOf(a.tenant.id, 'access.denied');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ occurrences: 50, actorKind: 'contact', actorId: a.contact.id });
    expect(dataOf(rows[0])).toMatchObject({ reason: 'not_found', method: 'GET', route: '/portal/:slug/api/tickets/:id' });
    // Nothing of it lands in the other tenant's log.
    expect(await eventsOf(foreign.tenant.id, 'access.denied')).toHaveLength(0);

    const log = await team.as.owner.get('/api/team/audit');
    expect(log.statusCode).toBe(200);
    const entry = log.json<{ entries: TAuditEntry[] }>().entries.find((e) => e.action === 'access.denied');
    expect(entry).toMatchObject({ occurrences: 50, actor: { kind: 'contact', name: a.contact.name } });
    expect(entry?.summary).toBe('Refused 50 times (not found or not theirs): GET /portal/:slug/api/tickets/:id');

    // The next hour starts a new row.
    t.clock.advance(HOUR);
    await t.app.inject({ method: 'GET', url: `/portal/${a.tenant.slug}/api/tickets/${foreign.ticket.id}`, headers: { cookie } });
    expect((await eventsOf(a.tenant.id, 'access.denied')).map((e) => e.occurrences).sort()).toEqual([1, 50]);
  });

  it("audits a team member's role refusal", async () => {
    const team = await createTeamTenant(t);
    expect((await team.as.agent.get('/api/team/audit')).statusCode).toBe(403);
    expect((await team.as.agent.get('/api/team/audit')).statusCode).toBe(403);
    const rows = await eventsOf(team.g.tenant.id, 'access.denied');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ occurrences: 2, actorKind: 'team_member', actorId: team.g.member.id });
    expect(dataOf(rows[0])).toMatchObject({ reason: 'forbidden', method: 'GET', route: '/api/team/audit' });
  });

  it('audits cross-site writes refused, with the customer or member whose browser sent them', async () => {
    const team = await createTeamTenant(t);
    const g = team.g;
    const cookie = await portalCookieFor(t, g.contact);
    const crossSite = { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' };
    const portal = await t.app.inject({
      method: 'POST',
      url: `/portal/${g.tenant.slug}/api/tickets`,
      headers: { ...crossSite, cookie },
      payload: { title: 'Forged', body: 'Forged' },
    });
    expect(portal.statusCode).toBe(403);
    const teamWrite = await t.app.inject({
      method: 'PATCH',
      url: `/api/team/members/${g.member.id}`,
      headers: { ...crossSite, cookie: team.as.owner.cookie! },
      payload: { role: 'owner' },
    });
    expect(teamWrite.statusCode).toBe(403);

    const rows = await eventsOf(g.tenant.id, 'access.denied');
    expect(rows.map((e) => [e.actorKind, e.actorId, dataOf(e)?.reason, dataOf(e)?.route]).sort()).toEqual(
      [
        ['contact', g.contact.id, 'cross_site', '/portal/:slug/api/tickets'],
        ['team_member', team.owner.id, 'cross_site', '/api/team/members/:id'],
      ].sort(),
    );
  });

  it('counts 20 failed confirmations of one address on one row, and wrong codes likewise', async () => {
    const g = await createTenantGraph(t.deps);
    const { token, code } = await d.serviceLinkFor(g.tenant.id, g.contact.email);
    const wrongCode = code.startsWith('A') ? 'BBBB-BBBB' : 'AAAA-AAAA';
    for (let i = 0; i < 3; i++) {
      const res = await d.post(`/portal/${g.tenant.slug}/api/auth/code`, { email: g.contact.email, code: wrongCode });
      expect(res.statusCode).toBe(400);
    }
    expect((await d.confirm(g.tenant.slug, token)).statusCode).toBe(200);
    for (let i = 0; i < 20; i++) expect((await d.confirm(g.tenant.slug, token)).statusCode).toBe(400);

    const failed = await eventsOf(g.tenant.id, 'auth.link.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ occurrences: 20, actorKind: 'contact', actorId: g.contact.id });
    expect(dataOf(failed[0])).toMatchObject({ reason: 'used', address: g.contact.email });
    const codes = await eventsOf(g.tenant.id, 'auth.code.failed');
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ occurrences: 3, actorId: g.contact.id });
  });
});

describeEachDialect('audit of refusals: a concurrent flood', (getDb) => {
  const t = useTestApp(getDb);

  it('counts 30 parallel refusals exactly, on one row', async () => {
    const a = await createTenantGraph(t.deps);
    const foreign = await createTenantGraph(t.deps);
    const cookie = await portalCookieFor(t, a.contact);
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        // A read: replies are also limited per customer (20 a minute), which would answer 429 first.
        t.app.inject({ method: 'GET', url: `/portal/${a.tenant.slug}/api/tickets/${foreign.ticket.id}`, headers: { cookie } }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array.from({ length: 30 }, () => 404));
    const rows = (await listTenantAuditEvents(forTenant(t.deps.db, a.tenant.id), { limit: 100 })).filter(
      (e) => e.action === 'access.denied',
    );
    expect(rows.map((e) => e.occurrences)).toEqual([30]);
  });
});
