import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { teamApi } from '../helpers/team-api.js';
import { useTestApp, SAME_ORIGIN_JSON } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant, portalCookieFor } from '../helpers/factories.js';

/**
 * The portal and team surfaces do the per-request work once: a signed-out request is 401 before
 * its body or query is validated, and every authenticated API answer is marked no-store.
 */
describeEachDialect('portal and team surfaces', (getDb) => {
  const t = useTestApp(getDb);
  let team: TeamTenant;
  let portalCookie: string;
  let portal: string;

  beforeAll(async () => {
    team = await createTeamTenant(t);
    portal = `/portal/${team.g.tenant.slug}/api`;
    portalCookie = await portalCookieFor(t, team.g.contact);
  });

  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, cookie?: string) =>
    t.app.inject({
      method,
      url,
      headers: { ...SAME_ORIGIN_JSON, ...(cookie ? { cookie } : {}) },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const codeOf = (res: LightMyRequestResponse) => [res.statusCode, res.json<{ error?: { code: string } }>().error?.code];

  it('answers a signed-out portal request 401 before validating its body or query', async () => {
    const id = team.g.ticket.id;
    const answers = [
      await send('POST', `${portal}/tickets`, { title: 42 }),
      await send('POST', `${portal}/tickets`, {}),
      await send('POST', `${portal}/tickets/${id}/messages`, { nonsense: true }),
      await send('POST', `${portal}/tickets/${id}/close`, { message: 7 }),
      await send('PATCH', `${portal}/me`, { name: ['not', 'a', 'name'] }),
      await send('GET', `${portal}/tickets?status=bogus&cursor=%%%`),
    ];
    for (const res of answers) expect(codeOf(res)).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('still validates the body of a signed-in portal request (400)', async () => {
    expect(codeOf(await send('POST', `${portal}/tickets`, { title: 42 }, portalCookie))).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('answers a signed-out team API request 401 before validating its body or query', async () => {
    const answers = [
      await send('POST', '/api/team/tickets', { title: 42 }),
      await send('PATCH', `/api/team/members/${team.owner.id}`, { role: 'emperor' }),
      await send('POST', '/api/team/clients', { name: { first: 'x' } }),
      await send('PATCH', '/api/team/settings/organisation', { accentColour: 12 }),
      await send('POST', '/api/team/auth/switch', {}),
      await send('POST', '/api/team/me/totp/enable', { code: false }),
      await send('GET', '/api/team/audit?limit=minus-one'),
    ];
    for (const res of answers) expect(codeOf(res)).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('marks every authenticated portal API answer no-store', async () => {
    const answers = [
      await send('GET', `${portal}/me`, undefined, portalCookie),
      await send('GET', `${portal}/tickets`, undefined, portalCookie),
      await send('GET', `${portal}/tickets/${team.g.ticket.id}`, undefined, portalCookie),
      await send('PATCH', `${portal}/me`, { name: 'Casey C.' }, portalCookie),
    ];
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('marks every authenticated team API answer no-store', async () => {
    const owner = teamApi(t, team.as.owner.cookie);
    const answers = [
      await owner.get('/api/team/me'),
      await owner.get('/api/team/members'),
      await owner.get('/api/team/tickets'),
      await owner.get('/api/team/clients'),
      await owner.get('/api/team/settings/organisation'),
      await owner.get('/api/team/audit'),
    ];
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('leaves the public portal routes their own caching', async () => {
    const info = await send('GET', `${portal}/portal`);
    expect(info.statusCode).toBe(200);
    expect(info.headers['cache-control']).toBe('no-cache');
    const unknownTenant = await send('GET', '/portal/no-such-tenant/api/tickets', undefined, portalCookie);
    expect(codeOf(unknownTenant)).toEqual([404, 'TENANT_NOT_FOUND']);
  });
});
