import { COMBINE_WINDOW_MS } from '../../src/features/notifications/customer-activity.job.js';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { listNotificationRecipients } from '../../src/features/notifications/notification-recipients.service.js';
import { findTenantById } from '../../src/features/tenants/tenant.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { jpegOf, pngOf, svgWithScript } from '../helpers/image-fixtures.js';
import { multipartBody } from '../helpers/multipart-upload.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { type TeamApi } from '../helpers/team-api.js';
import { useTestApp, SAME_ORIGIN_JSON, TEST_ORIGIN } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant, createTeamMemberWithPassword, signInContact } from '../helpers/factories.js';

interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: { kind: string; id: string | null; name: string | null };
  subject: { kind: string; id: string } | null;
  data: Record<string, unknown> | null;
}

describeEachDialect('team app: logo, notification recipients and the audit log', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);

  function uploadLogo(api: TeamApi, filename: string, content: Buffer) {
    const body = multipartBody([{ field: 'logo', filename, content, contentType: 'image/png' }]);
    return t.app.inject({
      method: 'PUT',
      url: '/api/team/settings/organisation/logo',
      headers: { origin: TEST_ORIGIN, 'content-type': body.contentType, 'content-length': String(body.length), cookie: api.cookie ?? '' },
      payload: body.stream(),
    });
  }

  async function servedLogo(tt: TeamTenant) {
    const res = await d.get(`/portal/${tt.g.tenant.slug}/logo`);
    if (res.statusCode !== 200) return { status: res.statusCode };
    const meta = await sharp(res.rawPayload).metadata();
    return { status: res.statusCode, type: res.headers['content-type'], format: meta.format, width: meta.width, height: meta.height };
  }

  const logoKeyOf = async (tt: TeamTenant) => (await findTenantById(t.deps.db, tt.g.tenant.id))?.logoKey ?? null;
  const fileRowsOf = (tt: TeamTenant) => {
    const scope = forTenant(t.deps.db, tt.g.tenant.id);
    return scope.selectFrom('file').select('file.id').execute();
  };

  it('takes a raster logo, re-encodes it to a PNG inside 512 px, and the portal serves it at once', async () => {
    const tt = await createTeamTenant(t);
    expect((await servedLogo(tt)).status).toBe(404);

    const res = await uploadLogo(tt.as.admin, 'logo.png', await pngOf(1200, 600));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().logoUrl).toMatch(new RegExp(`^/portal/${tt.g.tenant.slug}/logo\\?v=[0-9a-f]{12}$`));
    expect(await servedLogo(tt)).toEqual({ status: 200, type: 'image/png', format: 'png', width: 512, height: 256 });
    expect((await d.get(`/portal/${tt.g.tenant.slug}/api/portal`)).json().logoUrl).toBe(`/portal/${tt.g.tenant.slug}/logo`);
    const shell = await d.get(`/portal/${tt.g.tenant.slug}/`, { accept: 'text/html' });
    expect(shell.body).toContain(`<img class="portal-brand__logo" src="/portal/${tt.g.tenant.slug}/logo"`);

    // A replacement (a small JPEG is never enlarged) deletes the old object; the upload itself is not kept.
    const first = await logoKeyOf(tt);
    const replaced = await uploadLogo(tt.as.owner, 'square.jpg', await jpegOf(300, 300));
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().logoUrl).not.toBe(res.json().logoUrl);
    expect(await servedLogo(tt)).toEqual({ status: 200, type: 'image/png', format: 'png', width: 300, height: 300 });
    expect(await t.deps.files.get(first!)).toBeUndefined();
    expect(await fileRowsOf(tt)).toEqual([]);

    // Never SVG (nor anything but a raster image), whatever it claims to be; the logo stays.
    const svg = await uploadLogo(tt.as.owner, 'logo.svg', svgWithScript());
    expect(svg.statusCode).toBe(415);
    expect(svg.json().error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    const disguised = await uploadLogo(tt.as.owner, 'logo.png', svgWithScript());
    expect(disguised.statusCode).toBe(415);
    expect((await servedLogo(tt)).width).toBe(300);
    expect(await fileRowsOf(tt)).toEqual([]);

    const second = await logoKeyOf(tt);
    const removed = await tt.as.owner.delete('/api/team/settings/organisation/logo');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().logoUrl).toBeNull();
    expect((await servedLogo(tt)).status).toBe(404);
    expect(await t.deps.files.get(second!)).toBeUndefined();
  });

  it('sends customer-activity emails to exactly the chosen members', async () => {
    const tt = await createTeamTenant(t);
    const other = await createTeamTenant(t);
    const got = await tt.as.admin.get('/api/team/settings/notifications');
    expect(got.statusCode, got.body).toBe(200);
    // Until someone chooses, owners and admins receive them (the rule before this setting).
    expect(got.json().recipients.sort()).toEqual([tt.owner.id, tt.admin.id].sort());
    expect(
      got
        .json()
        .members.map((m: { id: string }) => m.id)
        .sort(),
    ).toEqual([tt.owner.id, tt.admin.id, tt.g.member.id].sort());

    const chosen = await tt.as.admin.patch('/api/team/settings/notifications', { recipients: [tt.g.member.id] });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().recipients).toEqual([tt.g.member.id]);
    expect((await listNotificationRecipients(forTenant(t.deps.db, tt.g.tenant.id))).map((m) => m.id)).toEqual([tt.g.member.id]);

    const cookie = await signInContact(d, tt.g.tenant, tt.g.contact.email);
    const submitted = await d.post(`/portal/${tt.g.tenant.slug}/api/tickets`, { title: 'Boiler', description: 'No hot water' }, { cookie });
    expect(submitted.statusCode, submitted.body).toBe(201);
    // Emails about a ticket wait a minute for more of the customer's messages to join them.
    t.clock.advance(COMBINE_WINDOW_MS);
    await d.deliver();
    expect((await d.mailTo(tt.g.member.email)).map((m) => m.subject).join()).toContain('Boiler');
    expect(await d.mailTo(tt.owner.email)).toEqual([]);
    expect(await d.mailTo(tt.admin.email)).toEqual([]);

    // Another organisation's member, or an id of nobody, cannot be chosen.
    for (const recipients of [[other.owner.id], ['nobody']]) {
      const res = await tt.as.owner.patch('/api/team/settings/notifications', { recipients });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toEqual([{ path: 'recipients.0', message: 'is not an active member' }]);
    }
    const none = await tt.as.owner.patch('/api/team/settings/notifications', { recipients: [] });
    expect(none.json().recipients).toEqual([]);
    expect(await listNotificationRecipients(forTenant(t.deps.db, tt.g.tenant.id))).toEqual([]);
    // The other organisation's recipients are untouched by any of it.
    expect((await listNotificationRecipients(forTenant(t.deps.db, other.g.tenant.id))).map((m) => m.id).sort()).toEqual(
      [other.owner.id, other.admin.id].sort(),
    );
  });

  it("shows owners their organisation's audit log, newest first, with names, page by page", async () => {
    const tt = await createTeamTenant(t);
    const other = await createTeamTenant(t);
    await other.as.owner.patch('/api/team/settings/organisation', { name: 'Not yours' });

    const password = 'correct horse battery staple';
    const email = `signer-${tt.g.tenant.slug}@team.example.com`;
    const signer = await createTeamMemberWithPassword(t, tt.g.tenant.id, { email, name: 'Sam Signer', role: 'admin', password });
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/team/auth/sign-in',
      headers: SAME_ORIGIN_JSON,
      payload: { email, password },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    t.clock.advance(1000);
    expect((await tt.as.admin.patch('/api/team/settings/organisation', { name: 'Renamed Ltd' })).statusCode).toBe(200);
    t.clock.advance(1000);
    expect((await tt.as.owner.patch('/api/team/settings/portal', { submissionsEnabled: false })).statusCode).toBe(200);

    const first = await tt.as.owner.get('/api/team/audit?limit=2');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const [portal, organisation] = first.json<{ entries: AuditEntry[] }>().entries;
    expect(portal).toMatchObject({
      action: 'settings.portal.updated',
      actor: { kind: 'team_member', id: tt.owner.id, name: tt.owner.name },
      data: { changes: { submissionsEnabled: { from: true, to: false } } },
    });
    expect(organisation).toMatchObject({
      action: 'settings.organisation.updated',
      actor: { kind: 'team_member', id: tt.admin.id, name: tt.admin.name },
      subject: { kind: 'tenant', id: tt.g.tenant.id },
      data: { changes: { name: { from: tt.g.tenant.name, to: 'Renamed Ltd' } } },
    });

    const entries: AuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const page = await tt.as.owner.get(`/api/team/audit?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      const body = page.json<{ entries: AuditEntry[]; nextCursor: string | null }>();
      entries.push(...body.entries);
      cursor = body.nextCursor;
    } while (cursor && entries.length < 100);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    expect(entries.map((e) => e.at)).toEqual(
      entries
        .map((e) => e.at)
        .sort()
        .reverse(),
    );
    const signInEntry = entries.find((e) => e.action.startsWith('team.sign_in') && e.actor.id === signer.member.id);
    expect(signInEntry?.actor.name).toBe('Sam Signer');
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['tenant.created', 'team_member.added']));
    // Only this organisation's events.
    expect(entries.some((e) => JSON.stringify(e.data ?? {}).includes('Not yours'))).toBe(false);
    expect((await tt.as.owner.get('/api/team/audit?cursor=garbage')).statusCode).toBe(400);
  });
});
