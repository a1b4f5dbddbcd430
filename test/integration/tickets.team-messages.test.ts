import { beforeAll, expect, it } from 'vitest';
import { addContact, createClient, disableContact } from '../../src/features/clients/client.service.js';
import type { TTeamMessageResponse, TTeamTicketDetail } from '../../src/features/tickets/team-ticket.schemas.js';
import { pngOf } from '../helpers/image-fixtures.js';
import { multipartBody } from '../helpers/multipart-upload.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { detailAs, listAs, teamUpload, uploadTextAsTeam } from '../helpers/team-tickets.js';
import { useTestApp, SAME_ORIGIN_JSON, TEST_ORIGIN } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant, signInContact, openTicket } from '../helpers/factories.js';

describeEachDialect('team replies, internal notes, files and tickets on behalf', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);
  let tt: TeamTenant;
  let customer: string;

  beforeAll(async () => {
    tt = await createTeamTenant(t, { name: 'Harbor Plumbing' });
    customer = await signInContact(d, tt.g.tenant, tt.g.contact.email);
  });

  const portalGet = (path: string) => d.get(`/portal/${tt.g.tenant.slug}/api${path}`, { cookie: customer });
  const say = async (body: object, api = tt.as.agent, ticketId = tt.g.ticket.id) => {
    t.clock.advance(60_000);
    const res = await api.post(`/api/team/tickets/${ticketId}/messages`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<TTeamMessageResponse>();
  };

  it('a public reply reaches the portal, is new activity and answers the customer', async () => {
    const reply = await say({ body: 'We will come on Monday at 9.', visibility: 'public' });
    expect(reply.message).toMatchObject({
      visibility: 'public',
      via: 'app',
      body: 'We will come on Monday at 9.',
      author: { kind: 'team_member', id: tt.g.member.id, name: tt.g.member.name },
      attachments: [],
    });
    expect(reply.ticket).toMatchObject({ lastActivityAt: t.clock.now().toISOString(), awaitingReply: false, unread: false });

    const portal = (await portalGet(`/tickets/${tt.g.ticket.id}`)).json();
    expect(portal.messages.at(-1)).toMatchObject({
      body: 'We will come on Monday at 9.',
      author: { kind: 'team', name: 'Agent · Harbor Plumbing' },
    });
    expect(portal.ticket.lastActivityAt).toBe(t.clock.now().toISOString());
  });

  it('an internal note is on the ticket page, marked, and never reaches the portal', async () => {
    const before = (await portalGet(`/tickets/${tt.g.ticket.id}`)).json();
    const fileId = await uploadTextAsTeam(t, tt.as.admin, 'meter-readings.txt', 'secret margin: 40%');
    const note = await say({ body: 'Customer is difficult; quote high.', visibility: 'internal', fileIds: [fileId] }, tt.as.admin);
    expect(note.message).toMatchObject({
      visibility: 'internal',
      author: { name: tt.admin.name },
      attachments: [{ id: fileId, name: 'meter-readings.txt' }],
    });
    // Not activity a customer could notice: the time the portal sorts by did not move.
    expect(note.ticket.lastActivityAt).toBe(before.ticket.lastActivityAt);

    const team = await detailAs(tt.as.agent, tt.g.ticket.id);
    const shown = team.messages.find((m) => m.id === note.message.id);
    expect(shown).toMatchObject({ visibility: 'internal', body: 'Customer is difficult; quote high.' });

    const portal = await portalGet(`/tickets/${tt.g.ticket.id}`);
    expect(portal.statusCode).toBe(200);
    expect(portal.body).not.toContain('Customer is difficult');
    expect(portal.body).not.toContain(note.message.id);
    expect(portal.body).not.toContain(fileId);
    expect(portal.json()).toEqual(before);
    expect((await portalGet(`/tickets?status=all`)).body).not.toContain('difficult');
    // Its file is as invisible as the note to the customer, and there for the team.
    expect((await portalGet(`/files/${fileId}`)).statusCode).toBe(404);
    const download = await tt.as.agent.get(`/api/team/files/${fileId}`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('secret margin: 40%');
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('emails a public reply to the requester with a sign-in link onto the ticket; never a note, never a disabled contact', async () => {
    await d.deliver();
    const before = await d.mailTo(tt.g.contact.email);
    await say({ body: 'Parts <b>arrive</b> Friday.', visibility: 'public' });
    await say({ body: 'Margin is thin here.', visibility: 'internal' });
    await d.deliver();
    const mails = (await d.mailTo(tt.g.contact.email)).filter((m) => !before.some((b) => b.id === m.id));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toMatch(new RegExp(`^(Re: )?\\[#${tt.g.ticket.number}\\] Leaking tap$`));
    expect(mail.from.name).toBe('Harbor Plumbing');
    expect(mail.headers['Auto-Submitted']).toBe('auto-generated');
    expect(mail.text).toContain('Parts <b>arrive</b> Friday.');
    // A deep link (customer-update.job.ts): it signs the contact in and lands on the ticket.
    expect(mail.text).toMatch(new RegExp(`${TEST_ORIGIN}/portal/${tt.g.tenant.slug}/auth/confirm#token=[A-Za-z0-9_-]+`));
    expect(mail.html).toContain('Parts &#60;b&#62;arrive&#60;/b&#62; Friday.');
    expect(mail.html).not.toContain('<b>arrive');
    expect(mail.text + mail.html).not.toMatch(/Margin is thin/);

    const gone = await addContact(t.deps, tt.g.tenant.id, tt.g.client.id, { email: `gone-${tt.g.tenant.slug}@example.com`, name: 'Gone' });
    const ticket = await openTicket(
      t.deps,
      tt.g.tenant.id,
      { clientId: tt.g.client.id, requesterContactId: gone.id, title: 'Old job', source: 'app' },
      {
        kind: 'contact',
        id: gone.id,
      },
    );
    await disableContact(t.deps, tt.g.tenant.id, gone.id);
    await say({ body: 'Done.', visibility: 'public' }, tt.as.agent, ticket.id);
    await d.deliver();
    expect(await d.mailTo(gone.email)).toEqual([]);
  });

  it('refuses an empty message, a missing visibility and files that are not the member’s own uploads', async () => {
    for (const bad of [
      { body: '  ', visibility: 'public' },
      { body: 'Hi' },
      { body: 'Hi', visibility: 'secret' },
      { body: 'Hi', visibility: 'public', extra: 1 },
    ]) {
      const res = await tt.as.agent.post(`/api/team/tickets/${tt.g.ticket.id}/messages`, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    const othersUpload = await uploadTextAsTeam(t, tt.as.owner, 'owner.txt', 'mine');
    const res = await tt.as.agent.post(`/api/team/tickets/${tt.g.ticket.id}/messages`, {
      body: 'x',
      visibility: 'public',
      fileIds: [othersUpload],
    });
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'FILE_NOT_FOUND']);
    // Someone else's upload, not attached yet, is not theirs to download either.
    expect((await tt.as.agent.get(`/api/team/files/${othersUpload}`)).statusCode).toBe(404);
    expect((await tt.as.owner.get(`/api/team/files/${othersUpload}`)).statusCode).toBe(200);
  });

  it('opens a ticket on behalf of a contact of a client; the customer sees it in the portal', async () => {
    const fileId = await uploadTextAsTeam(t, tt.as.agent, 'notes.txt', 'from the phone call');
    t.clock.advance(60_000);
    const res = await tt.as.agent.post('/api/team/tickets', {
      clientId: tt.g.client.id,
      contactId: tt.g.contact.id,
      title: 'Annual boiler service',
      description: 'Booked by phone.',
      priority: 'high',
      fileIds: [fileId],
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<TTeamTicketDetail>();
    expect(created.ticket).toMatchObject({
      title: 'Annual boiler service',
      status: 'open',
      priority: 'high',
      source: 'app',
      client: { id: tt.g.client.id },
      requester: { id: tt.g.contact.id, name: 'Casey Customer', email: tt.g.contact.email },
      awaitingReply: false,
      unread: false,
    });
    expect(created.messages).toEqual([
      expect.objectContaining({
        body: 'Booked by phone.',
        visibility: 'public',
        author: expect.objectContaining({ kind: 'team_member', id: tt.g.member.id }),
      }),
    ]);
    expect(created.messages[0]!.attachments.map((a) => a.id)).toEqual([fileId]);
    expect(created.history.map((e) => e.kind)).toEqual(['created']);
    expect((await listAs(tt.as.owner)).tickets.find((r) => r.id === created.ticket.id)).toMatchObject({ unread: false });

    const portal = await portalGet(`/tickets/${created.ticket.id}`);
    expect(portal.statusCode).toBe(200);
    expect(portal.json().messages[0]).toMatchObject({ body: 'Booked by phone.', attachments: [{ id: fileId }] });
    expect((await portalGet(`/files/${fileId}`)).statusCode).toBe(200);
  });

  it('refuses a contact of another client, and unknown clients or contacts, with 404', async () => {
    const elsewhere = await createClient(t.deps, tt.g.tenant.id, { name: 'Elsewhere' });
    const stranger = await addContact(t.deps, tt.g.tenant.id, elsewhere.id, {
      email: `stranger-${tt.g.tenant.slug}@example.com`,
      name: 'Stranger',
    });
    const base = { title: 'x', description: 'y' };
    const cases: [object, string][] = [
      [{ ...base, clientId: tt.g.client.id, contactId: stranger.id }, 'CONTACT_NOT_FOUND'],
      [{ ...base, clientId: tt.g.client.id, contactId: 'nope' }, 'CONTACT_NOT_FOUND'],
      [{ ...base, clientId: 'nope', contactId: tt.g.contact.id }, 'CLIENT_NOT_FOUND'],
    ];
    for (const [body, code] of cases) {
      const res = await tt.as.agent.post('/api/team/tickets', body);
      expect([res.statusCode, res.json().error.code]).toEqual([404, code]);
    }
    for (const bad of [
      { clientId: tt.g.client.id, contactId: tt.g.contact.id, title: 'x' },
      { ...base, clientId: tt.g.client.id, contactId: tt.g.contact.id, status: 'closed' },
    ]) {
      expect((await tt.as.agent.post('/api/team/tickets', bad)).statusCode).toBe(400);
    }
  });

  it('uploads with the portal’s limits, and shows contacts’ profile photos to the team', async () => {
    const refused = await teamUpload(t, tt.as.agent, [
      { field: 'files', filename: 'page.html', content: Buffer.from('<html><script>x</script></html>') },
    ]);
    expect([refused.statusCode, refused.json().error.code]).toEqual([415, 'FILE_TYPE_NOT_ALLOWED']);

    const photo = multipartBody([{ field: 'photo', filename: 'me.png', content: await pngOf(64, 64), contentType: 'image/png' }]);
    const put = await t.app.inject({
      method: 'PUT',
      url: `/portal/${tt.g.tenant.slug}/api/me/photo`,
      headers: { origin: TEST_ORIGIN, 'content-type': photo.contentType, 'content-length': String(photo.length), cookie: customer },
      payload: photo.stream(),
    });
    expect(put.statusCode, put.body).toBe(200);
    const photoFileId = put.json<{ photoFileId: string }>().photoFileId;
    const row = (await listAs(tt.as.agent, 'status=all')).tickets.find((r) => r.id === tt.g.ticket.id)!;
    expect(row.requester?.photoFileId).toBe(photoFileId);
    const served = await tt.as.agent.get(`/api/team/files/${photoFileId}`);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toMatch(/^image\//);
  });

  it('needs a same-origin JSON request to write', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/team/tickets/${tt.g.ticket.id}/messages`,
      headers: { 'content-type': 'application/json', origin: 'https://evil.example.com', cookie: tt.as.agent.cookie! },
      payload: { body: 'x', visibility: 'public' },
    });
    expect(res.statusCode).toBe(403);
    const form = await t.app.inject({
      method: 'PATCH',
      url: `/api/team/tickets/${tt.g.ticket.id}`,
      headers: { ...SAME_ORIGIN_JSON, 'content-type': 'text/plain', cookie: tt.as.agent.cookie! },
      payload: '{"status":"closed"}',
    });
    expect(form.statusCode).toBe(415);
  });
});
