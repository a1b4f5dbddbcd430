import { beforeAll, expect, it } from 'vitest';
import { addContact, createClient, type Client, type Contact } from '../../src/features/clients/client.service.js';
import type { TTeamTicketRow } from '../../src/features/tickets/team-ticket.schemas.js';
import { type Ticket } from '../../src/features/tickets/ticket.service.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { detailAs, listAs } from '../helpers/team-tickets.js';
import { useTestApp, SAME_ORIGIN_JSON } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant, signInContact, openTicket } from '../helpers/factories.js';

describeEachDialect('team inbox: filters, search, sorts, pages, counts, unread', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);
  let tt: TeamTenant;
  let bakery: Client;
  let bob: Contact;
  let tickets: Record<'tap' | 'boiler' | 'drain' | 'roof' | 'window', Ticket>;

  const ids = (rows: readonly TTeamTicketRow[]) => rows.map((r) => r.id);
  const idsOf = (...names: (keyof typeof tickets)[]) => names.map((n) => tickets[n].id);
  const sorted = (list: string[]) => [...list].sort();

  beforeAll(async () => {
    tt = await createTeamTenant(t, { name: 'Harbor Plumbing' });
    const tenantId = tt.g.tenant.id;
    bakery = await createClient(t.deps, tenantId, { name: 'Nordic Bakery' });
    bob = await addContact(t.deps, tenantId, bakery.id, { email: 'bob@nordic.example.com', name: 'Bob Baker' });
    const open = async (client: Client, contact: Contact, title: string, body?: string) => {
      t.clock.advance(60_000);
      return openTicket(
        t.deps,
        tenantId,
        { clientId: client.id, requesterContactId: contact.id, title, ...(body ? { body } : {}), source: 'portal' },
        { kind: 'contact', id: contact.id },
      );
    };
    const patch = async (ticket: Ticket, body: object) => {
      t.clock.advance(60_000);
      expect((await tt.as.agent.patch(`/api/team/tickets/${ticket.id}`, body)).statusCode).toBe(200);
    };
    tickets = {
      tap: tt.g.ticket, // "Leaking tap", Casey's words, unanswered
      boiler: await open(bakery, bob, 'Boiler at 50% power', 'It is lukewarm.'),
      drain: await open(tt.g.client, tt.g.contact, 'Blocked_drain', 'Water stands.'),
      roof: await open(bakery, bob, 'Roof gutter'),
      window: await open(tt.g.client, tt.g.contact, 'Window seal'),
    };
    t.clock.advance(60_000);
    const reply = await tt.as.agent.post(`/api/team/tickets/${tickets.boiler.id}/messages`, { body: 'On our way.', visibility: 'public' });
    expect(reply.statusCode, reply.body).toBe(201);
    await patch(tickets.boiler, { priority: 'high' });
    await patch(tickets.drain, { status: 'closed' });
    await patch(tickets.roof, { priority: 'urgent', assigneeId: tt.g.member.id, scheduledAt: '2026-12-02T08:00:00Z' });
    await patch(tickets.window, { priority: 'low', assigneeId: tt.owner.id, scheduledAt: '2026-12-01T08:00:00Z' });
  });

  it('lists tickets not closed by default, latest activity first, with what a row shows', async () => {
    const body = await listAs(tt.as.agent);
    expect(sorted(ids(body.tickets))).toEqual(sorted(idsOf('tap', 'boiler', 'roof', 'window')));
    const times = body.tickets.map((r) => r.lastActivityAt);
    expect(times).toEqual([...times].sort().reverse());
    const roof = body.tickets.find((r) => r.id === tickets.roof.id)!;
    expect(roof).toMatchObject({
      number: tickets.roof.number,
      title: 'Roof gutter',
      status: 'new',
      priority: 'urgent',
      client: { id: bakery.id, name: 'Nordic Bakery' },
      requester: { id: bob.id, name: 'Bob Baker', email: 'bob@nordic.example.com', photoFileId: null },
      assignee: { id: tt.g.member.id, name: tt.g.member.name },
      scheduledAt: '2026-12-02T08:00:00.000Z',
      charge: null,
      awaitingReply: false,
      unread: false,
    });
  });

  it('filters by one or several statuses, or all', async () => {
    expect(ids((await listAs(tt.as.agent, 'status=closed')).tickets)).toEqual(idsOf('drain'));
    expect(sorted(ids((await listAs(tt.as.agent, 'status=new,closed')).tickets))).toEqual(
      sorted(idsOf('tap', 'boiler', 'drain', 'roof', 'window')),
    );
    expect((await listAs(tt.as.agent, 'status=all')).tickets).toHaveLength(5);
    expect((await listAs(tt.as.agent, 'status=open')).tickets).toHaveLength(0);
    for (const bad of ['status=bogus', 'status=not_closed,new', 'status=all,closed', 'sort=random', 'limit=0', 'unknown=1']) {
      const res = await tt.as.agent.get(`/api/team/tickets?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('filters by priority, assignee (me, a member, unassigned), client and unanswered customer messages', async () => {
    expect(sorted(ids((await listAs(tt.as.agent, 'priority=urgent,high')).tickets))).toEqual(sorted(idsOf('boiler', 'roof')));
    expect(ids((await listAs(tt.as.agent, 'assigneeId=me')).tickets)).toEqual(idsOf('roof'));
    expect(ids((await listAs(tt.as.owner, 'assigneeId=me')).tickets)).toEqual(idsOf('window'));
    expect(ids((await listAs(tt.as.agent, `assigneeId=${tt.owner.id}`)).tickets)).toEqual(idsOf('window'));
    expect(sorted(ids((await listAs(tt.as.agent, 'assigneeId=unassigned')).tickets))).toEqual(sorted(idsOf('tap', 'boiler')));
    expect(sorted(ids((await listAs(tt.as.agent, `clientId=${bakery.id}`)).tickets))).toEqual(sorted(idsOf('boiler', 'roof')));
    // The customer wrote last: the tap (never answered); the boiler was answered; the roof and the window have no customer words.
    expect(ids((await listAs(tt.as.agent, 'awaiting=customer')).tickets)).toEqual(idsOf('tap'));
    expect(sorted(ids((await listAs(tt.as.agent, 'awaiting=customer&status=all')).tickets))).toEqual(sorted(idsOf('tap', 'drain')));
    expect(ids((await listAs(tt.as.agent, `awaiting=customer&clientId=${bakery.id}`)).tickets)).toEqual([]);
    expect((await tt.as.agent.get('/api/team/tickets?awaiting=team')).statusCode).toBe(400);
  });

  it('searches by number, title, the requester and the client, case-insensitively, with % and _ taken literally', async () => {
    const search = async (q: string, extra = '') =>
      sorted(ids((await listAs(tt.as.agent, `status=all&q=${encodeURIComponent(q)}${extra}`)).tickets));
    expect(await search(`#${tickets.roof.number}`)).toEqual(idsOf('roof'));
    expect(await search(String(tickets.roof.number))).toContain(tickets.roof.id);
    expect(await search('LEAK')).toEqual(idsOf('tap'));
    expect(await search('bob@NORDIC')).toEqual(sorted(idsOf('boiler', 'roof')));
    expect(await search('casey')).toEqual(sorted(idsOf('tap', 'drain', 'window')));
    expect(await search('nordic bak')).toEqual(sorted(idsOf('boiler', 'roof')));
    expect(await search('50%')).toEqual(idsOf('boiler'));
    expect(await search('%')).toEqual(idsOf('boiler'));
    expect(await search('_')).toEqual(idsOf('drain'));
    expect(await search('ked_d')).toEqual(idsOf('drain'));
    expect(await search('ked%d')).toEqual([]);
    expect(await search('gutter', `&clientId=${tt.g.client.id}`)).toEqual([]);
  });

  it('sorts by activity, creation, priority and scheduled time', async () => {
    const order = async (sort: string) => ids((await listAs(tt.as.agent, `status=all&sort=${sort}`)).tickets);
    expect(await order('created')).toEqual(idsOf('window', 'roof', 'drain', 'boiler', 'tap'));
    // Urgent, high, the two normal ones by latest activity, low.
    const normalByActivity = (await order('activity')).filter((id) => idsOf('tap', 'drain').includes(id));
    expect(await order('priority')).toEqual([...idsOf('roof', 'boiler'), ...normalByActivity, tickets.window.id]);
    // Soonest first, then the unscheduled, newest first.
    expect(await order('scheduled')).toEqual(idsOf('window', 'roof', 'drain', 'boiler', 'tap'));
    const activity = (await listAs(tt.as.agent, 'status=all')).tickets;
    expect(activity.map((r) => r.lastActivityAt)).toEqual(
      activity
        .map((r) => r.lastActivityAt)
        .sort()
        .reverse(),
    );
  });

  it('pages by an opaque keyset cursor in every sort, without gaps or duplicates', async () => {
    for (const sort of ['activity', 'created', 'priority', 'scheduled']) {
      const whole = ids((await listAs(tt.as.agent, `status=all&sort=${sort}`)).tickets);
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await listAs(tt.as.agent, `status=all&sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.tickets.length).toBeLessThanOrEqual(2);
        walked.push(...ids(page.tickets));
        cursor = page.nextCursor;
      } while (cursor);
      expect(walked, sort).toEqual(whole);
    }
    const first = await listAs(tt.as.agent, 'sort=created&limit=1');
    for (const bad of [
      `sort=priority&cursor=${first.nextCursor}`,
      'cursor=not-a-cursor',
      `cursor=${Buffer.from('{"sort":"activity"}').toString('base64url')}`,
    ]) {
      const res = await tt.as.agent.get(`/api/team/tickets?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.details[0].path).toBe('cursor');
    }
  });

  it('counts per status for the current filters without the status, on the first page', async () => {
    const all = await listAs(tt.as.agent, 'limit=1');
    expect(all.counts).toEqual({ new: 4, open: 0, scheduled: 0, in_progress: 0, waiting_on_customer: 0, closed: 1 });
    const bakeryOnly = await listAs(tt.as.agent, `status=closed&clientId=${bakery.id}`);
    expect(bakeryOnly.tickets).toEqual([]);
    expect(bakeryOnly.counts).toEqual({ new: 2, open: 0, scheduled: 0, in_progress: 0, waiting_on_customer: 0, closed: 0 });
    expect((await listAs(tt.as.agent, `limit=1&cursor=${all.nextCursor}`)).counts).toBeNull();
  });

  it('marks new customer activity unread per member until that member opens the ticket', async () => {
    const unreadOf = async (api: TeamTenant['as']['agent'], id: string) =>
      (await listAs(api, 'status=all')).tickets.find((r) => r.id === id)!.unread;
    expect(await unreadOf(tt.as.agent, tickets.tap.id)).toBe(true);
    expect(await unreadOf(tt.as.owner, tickets.tap.id)).toBe(true);

    t.clock.advance(60_000);
    expect((await detailAs(tt.as.agent, tickets.tap.id)).ticket.unread).toBe(false);
    expect(await unreadOf(tt.as.agent, tickets.tap.id)).toBe(false);
    expect(await unreadOf(tt.as.owner, tickets.tap.id)).toBe(true);

    // The customer writes again in the portal: unread again for the agent, and still awaiting a reply.
    t.clock.advance(60_000);
    const cookie = await signInContact(d, tt.g.tenant, tt.g.contact.email);
    const res = await t.app.inject({
      method: 'POST',
      url: `/portal/${tt.g.tenant.slug}/api/tickets/${tickets.tap.id}/messages`,
      headers: { ...SAME_ORIGIN_JSON, cookie },
      payload: { body: 'Still dripping.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const row = (await listAs(tt.as.agent)).tickets.find((r) => r.id === tickets.tap.id)!;
    expect(row).toMatchObject({ unread: true, awaitingReply: true });

    // An internal note neither answers the customer nor reads the ticket for anyone else.
    t.clock.advance(60_000);
    expect(
      (await tt.as.owner.post(`/api/team/tickets/${tickets.tap.id}/messages`, { body: 'Check the washer', visibility: 'internal' }))
        .statusCode,
    ).toBe(201);
    expect((await listAs(tt.as.agent)).tickets.find((r) => r.id === tickets.tap.id)).toMatchObject({ unread: true, awaitingReply: true });

    // A public reply answers it, and the member who replied has read it.
    t.clock.advance(60_000);
    expect(
      (await tt.as.agent.post(`/api/team/tickets/${tickets.tap.id}/messages`, { body: 'New washer today.', visibility: 'public' }))
        .statusCode,
    ).toBe(201);
    expect((await listAs(tt.as.agent)).tickets.find((r) => r.id === tickets.tap.id)).toMatchObject({ unread: false, awaitingReply: false });
    // The owner read it when writing the note; the admin never opened it.
    expect(await unreadOf(tt.as.owner, tickets.tap.id)).toBe(false);
    expect(await unreadOf(tt.as.admin, tickets.tap.id)).toBe(true);
  });
});
