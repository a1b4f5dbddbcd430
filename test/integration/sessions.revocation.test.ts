import type { LightMyRequestResponse } from 'fastify';
import { expect, it } from 'vitest';
import { disableContact } from '../../src/features/clients/client.service.js';
import { setContactStatus } from '../../src/features/clients/client.repository.js';
import { updateTeamMember } from '../../src/features/team/team.repository.js';
import { toDbTime } from '../../src/platform/db/time.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTenantGraph, createTeamTenant, teamCookieFor, portalCookieFor } from '../helpers/factories.js';
import { teamApi } from '../helpers/team-api.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * A session is only as good as its subject is now: the portal re-reads the contact and the team
 * API the membership on every request, so revoking access ends it on the very next request.
 */
describeEachDialect('sessions: revoked subjects and foreign tenants', (getDb) => {
  const t = useTestApp(getDb);

  const portalGet = (slug: string, path: string, cookie: string) =>
    t.app.inject({ method: 'GET', url: `/portal/${slug}/api${path}`, headers: { cookie } });
  const codeOf = (res: LightMyRequestResponse) => [res.statusCode, res.json<{ error?: { code: string } }>().error?.code];

  it('refuses a customer disabled through the team API on the next portal request', async () => {
    const team = await createTeamTenant(t);
    const cookie = await portalCookieFor(t, team.g.contact);
    expect((await portalGet(team.g.tenant.slug, '/me', cookie)).statusCode).toBe(200);

    const disabled = await team.as.agent.patch(`/api/team/contacts/${team.g.contact.id}`, { status: 'disabled' });
    expect(disabled.statusCode).toBe(200);

    expect(codeOf(await portalGet(team.g.tenant.slug, '/me', cookie))).toEqual([401, 'UNAUTHENTICATED']);
    expect(codeOf(await portalGet(team.g.tenant.slug, '/tickets', cookie))).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('refuses a customer disabled through the clients service on the next portal request', async () => {
    const g = await createTenantGraph(t.deps);
    const cookie = await portalCookieFor(t, g.contact);
    expect((await portalGet(g.tenant.slug, '/tickets', cookie)).statusCode).toBe(200);

    await disableContact(t.deps, g.tenant.id, g.contact.id);

    expect(codeOf(await portalGet(g.tenant.slug, '/tickets', cookie))).toEqual([401, 'UNAUTHENTICATED']);
  });

  it("refuses a disabled customer whose session row survived (a sign-in racing the disable): the contact's status is re-read", async () => {
    const g = await createTenantGraph(t.deps);
    const cookie = await portalCookieFor(t, g.contact);
    expect((await portalGet(g.tenant.slug, `/tickets/${g.ticket.id}`, cookie)).statusCode).toBe(200);

    // Only the status changes; the session stays unrevoked, so nothing but the per-request check can refuse it.
    expect(await setContactStatus(forTenant(t.deps.db, g.tenant.id), g.contact.id, 'disabled', toDbTime(t.clock.now()))).toBe(true);

    expect(codeOf(await portalGet(g.tenant.slug, `/tickets/${g.ticket.id}`, cookie))).toEqual([401, 'UNAUTHENTICATED']);
    expect(codeOf(await portalGet(g.tenant.slug, '/me', cookie))).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('refuses a session of tenant A on the portal of tenant B', async () => {
    const a = await createTenantGraph(t.deps);
    const b = await createTenantGraph(t.deps);
    const cookieOfA = await portalCookieFor(t, a.contact);

    expect((await portalGet(a.tenant.slug, '/me', cookieOfA)).statusCode).toBe(200);
    expect(codeOf(await portalGet(b.tenant.slug, '/me', cookieOfA))).toEqual([401, 'UNAUTHENTICATED']);
    expect(codeOf(await portalGet(b.tenant.slug, `/tickets/${b.ticket.id}`, cookieOfA))).toEqual([401, 'UNAUTHENTICATED']);
    expect(codeOf(await portalGet(b.tenant.slug, `/tickets/${a.ticket.id}`, cookieOfA))).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('refuses a team member disabled by an owner on the next team request', async () => {
    const team = await createTeamTenant(t);
    expect((await team.as.agent.get('/api/team/tickets')).statusCode).toBe(200);

    const disabled = await team.as.owner.patch(`/api/team/members/${team.g.member.id}`, { status: 'disabled' });
    expect(disabled.statusCode).toBe(200);

    expect(codeOf(await team.as.agent.get('/api/team/tickets'))).toEqual([401, 'UNAUTHENTICATED']);
    expect(codeOf(await team.as.agent.get('/api/team/me'))).toEqual([401, 'UNAUTHENTICATED']);
    expect((await team.as.owner.get('/api/team/tickets')).statusCode).toBe(200);
  });

  it("refuses a disabled member whose session row survived: the membership's status is re-read", async () => {
    const team = await createTeamTenant(t);
    const agent = teamApi(t, await teamCookieFor(t, team.g.tenant.id, team.g.member.id));
    expect((await agent.get('/api/team/clients')).statusCode).toBe(200);

    // Only the status changes; the session stays unrevoked, so nothing but the per-request check can refuse it.
    const scope = forTenant(t.deps.db, team.g.tenant.id);
    expect(await updateTeamMember(scope, team.g.member.id, { status: 'disabled', now: toDbTime(t.clock.now()) })).toBeDefined();

    expect(codeOf(await agent.get('/api/team/clients'))).toEqual([401, 'UNAUTHENTICATED']);
    expect(codeOf(await agent.get('/api/team/me'))).toEqual([401, 'UNAUTHENTICATED']);
  });
});
