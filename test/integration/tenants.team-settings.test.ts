import { expect, it } from 'vitest';
import { findTenantById } from '../../src/features/tenants/tenant.service.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { teamApi, type TeamApi } from '../helpers/team-api.js';
import { useTestApp, TEST_ORIGIN } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { pngOf } from '../helpers/image-fixtures.js';
import { multipartBody } from '../helpers/multipart-upload.js';
import { createTeamTenant, type TeamTenant, signInContact } from '../helpers/factories.js';

const SETTINGS_ROUTES = [
  ['GET', '/api/team/settings/organisation'],
  ['PATCH', '/api/team/settings/organisation'],
  ['PUT', '/api/team/settings/organisation/logo'],
  ['DELETE', '/api/team/settings/organisation/logo'],
  ['GET', '/api/team/settings/portal'],
  ['PATCH', '/api/team/settings/portal'],
  ['GET', '/api/team/settings/notifications'],
  ['PATCH', '/api/team/settings/notifications'],
] as const;

describeEachDialect('team app: organisation and portal settings', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);

  const portalCookie = (tt: TeamTenant) => signInContact(d, tt.g.tenant, tt.g.contact.email);

  /** A settings route called the way the web app would: JSON writes, a real PNG for the logo. */
  async function call(api: TeamApi, method: string, url: string) {
    if (method === 'GET') return api.get(url);
    if (method === 'DELETE') return api.delete(url);
    if (method === 'PATCH')
      return api.patch(url, {
        ...(url.endsWith('notifications')
          ? { recipients: [] }
          : url.endsWith('portal')
            ? { submissionsEnabled: false }
            : { name: 'Changed' }),
      });
    const body = multipartBody([{ field: 'logo', filename: 'logo.png', content: await pngOf(64, 64) }]);
    return t.app.inject({
      method: 'PUT',
      url,
      headers: {
        origin: TEST_ORIGIN,
        'content-type': body.contentType,
        'content-length': String(body.length),
        ...(api.cookie ? { cookie: api.cookie } : {}),
      },
      payload: body.stream(),
    });
  }

  it('reads and changes the organisation, which the portal shows on its next request', async () => {
    const tt = await createTeamTenant(t, { name: 'Blue Pipes' });
    const got = await tt.as.admin.get('/api/team/settings/organisation');
    expect(got.statusCode, got.body).toBe(200);
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.json()).toEqual({
      name: 'Blue Pipes',
      slug: tt.g.tenant.slug,
      accentColor: '#2563eb',
      accentTextColor: '#ffffff',
      contrast: { text: 5.17, page: 5.17 },
      contrastWarning: false,
      currency: 'USD',
      timeZone: 'UTC',
      locale: 'en-US',
      logoUrl: null,
    });

    const patched = await tt.as.owner.patch('/api/team/settings/organisation', {
      name: ' Teal Taps ',
      accentColor: '#0F766E',
      currency: 'eur',
      timeZone: 'europe/london',
      locale: 'en-gb',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Teal Taps',
      accentColor: '#0f766e',
      accentTextColor: '#ffffff',
      contrastWarning: false,
      currency: 'EUR',
      timeZone: 'Europe/London',
      locale: 'en-GB',
    });

    const info = await d.get(`/portal/${tt.g.tenant.slug}/api/portal`);
    expect(info.json()).toMatchObject({
      name: 'Teal Taps',
      accentColor: '#0f766e',
      accentTextColor: '#ffffff',
      currency: 'EUR',
      locale: 'en-GB',
    });
    const shell = await d.get(`/portal/${tt.g.tenant.slug}/`, { accept: 'text/html' });
    expect(shell.body).toContain(':root{--accent:#0f766e;--accent-text:#ffffff}');
    expect(shell.body).toContain('<title>Teal Taps</title>');

    for (const [body, path] of [
      [{ accentColor: 'teal' }, 'accentColor'],
      [{ accentColor: '#12345' }, 'accentColor'],
      [{ currency: 'EURO' }, 'currency'],
      [{ currency: 'XYZ' }, 'currency'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ locale: 'not a locale' }, 'locale'],
      [{ name: '' }, 'name'],
      [{ slug: 'taken-over' }, ''],
    ] as const) {
      const res = await tt.as.owner.patch('/api/team/settings/organisation', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.json().error.details)).toContain(path);
    }
    expect((await findTenantById(t.deps.db, tt.g.tenant.id))?.slug).toBe(tt.g.tenant.slug);
  });

  it('warns when the accent colour is hard to read on or against', async () => {
    const tt = await createTeamTenant(t);
    const pale = await tt.as.admin.patch('/api/team/settings/organisation', { accentColor: '#ffff99' });
    expect(pale.json()).toMatchObject({ accentTextColor: '#000000', contrast: { text: 20.02, page: 1.05 }, contrastWarning: true });
    const orange = await tt.as.admin.patch('/api/team/settings/organisation', { accentColor: '#ff7f00' });
    expect(orange.json()).toMatchObject({ contrast: { text: 8.29, page: 2.53 }, contrastWarning: true });
    const navy = await tt.as.admin.patch('/api/team/settings/organisation', { accentColor: '#1d4ed8' });
    expect(navy.json()).toMatchObject({ accentTextColor: '#ffffff', contrast: { text: 6.7, page: 6.7 }, contrastWarning: false });
  });

  it('switches portal submissions, reopening and the default visibility; the portal applies them at once', async () => {
    const tt = await createTeamTenant(t);
    const cookie = await portalCookie(tt);
    const got = await tt.as.admin.get('/api/team/settings/portal');
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toEqual({
      submissionsEnabled: true,
      reopenOnReply: true,
      clientVisibilityDefault: 'all',
      portalUrl: `${TEST_ORIGIN}/portal/${tt.g.tenant.slug}`,
      defaultPortalUrl: `${TEST_ORIGIN}/portal/${tt.g.tenant.slug}`,
    });

    const off = await tt.as.admin.patch('/api/team/settings/portal', {
      submissionsEnabled: false,
      reopenOnReply: false,
      clientVisibilityDefault: 'own',
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ submissionsEnabled: false, reopenOnReply: false, clientVisibilityDefault: 'own' });
    expect((await d.get(`/portal/${tt.g.tenant.slug}/api/portal`)).json().submissionsEnabled).toBe(false);
    const submit = () => d.post(`/portal/${tt.g.tenant.slug}/api/tickets`, { title: 'New', description: 'Please' }, { cookie });
    const refused = await submit();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('PORTAL_SUBMISSIONS_DISABLED');
    expect((await tt.as.agent.post('/api/team/clients', { name: 'New client' })).json().ticketVisibility).toBe('own');

    // A closed ticket is not reopened by a reply while reopening is off.
    const ticket = `/portal/${tt.g.tenant.slug}/api/tickets/${tt.g.ticket.id}`;
    expect((await d.post(`${ticket}/close`, { message: 'Fixed, thanks' }, { cookie })).statusCode).toBe(200);
    const reply = await d.post(`${ticket}/messages`, { body: 'It drips again' }, { cookie });
    expect(reply.statusCode).toBe(409);
    expect(reply.json().error.code).toBe('TICKET_CLOSED');

    expect((await tt.as.admin.patch('/api/team/settings/portal', { submissionsEnabled: true, reopenOnReply: true })).statusCode).toBe(200);
    expect((await submit()).statusCode).toBe(201);
    expect((await d.post(`${ticket}/messages`, { body: 'It drips again' }, { cookie })).statusCode).toBe(201);
    const bad = await tt.as.admin.patch('/api/team/settings/portal', { submissionsEnabled: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect((await tt.as.admin.patch('/api/team/settings/portal', { portalUrl: 'https://evil.example' })).statusCode).toBe(400);
  });

  it('lets only owners and admins near the settings (agents 403), only owners read the audit log, nobody without a session', async () => {
    const tt = await createTeamTenant(t, { name: 'Unchanged' });
    const nobody = teamApi(t, undefined);
    for (const [method, url] of SETTINGS_ROUTES) {
      const agent = await call(tt.as.agent, method, url);
      expect(agent.statusCode, `agent ${method} ${url}`).toBe(403);
      expect(agent.json().error.code).toBe('FORBIDDEN');
      const anonymous = await call(nobody, method, url);
      expect(anonymous.statusCode, `nobody ${method} ${url}`).toBe(401);
    }
    // Refused before the body is even looked at: garbage gets the same answers.
    expect((await tt.as.agent.patch('/api/team/settings/portal', { nonsense: true })).statusCode).toBe(403);
    expect((await nobody.patch('/api/team/settings/organisation', { nonsense: true })).statusCode).toBe(401);
    const tenant = await findTenantById(t.deps.db, tt.g.tenant.id);
    expect(tenant).toMatchObject({ name: 'Unchanged', logoKey: null, portal: { submissionsEnabled: true } });

    expect((await tt.as.agent.get('/api/team/audit')).statusCode).toBe(403);
    expect((await tt.as.admin.get('/api/team/audit')).statusCode).toBe(403);
    expect((await tt.as.owner.get('/api/team/audit')).statusCode).toBe(200);
    expect((await nobody.get('/api/team/audit')).statusCode).toBe(401);
    for (const [method, url] of SETTINGS_ROUTES.filter(([m]) => m === 'GET')) {
      expect((await call(tt.as.admin, method, url)).statusCode, `admin ${url}`).toBe(200);
    }
  });
});
