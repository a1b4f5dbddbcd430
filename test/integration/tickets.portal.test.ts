import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addContact, createClient, type Client, type Contact } from '../../src/features/clients/client.service.js';
import { appendMessage } from '../../src/features/messages/message.service.js';
import { addTeamMember, type TeamMember } from '../../src/features/team/team.service.js';
import { createTenant, updatePortalSettings, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { type Ticket } from '../../src/features/tickets/ticket.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { QueryCounter } from '../helpers/query-counter.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { openTicket, signInContact } from '../helpers/factories.js';

type Json = Record<string, unknown>;
let serial = 0;

describeEachDialect('portal tickets', (getDb) => {
  const counter = new QueryCounter();
  let t: TestApp;
  let d: SignInDriver;
  let tenant: Tenant;
  let other: Tenant;
  let agent: TeamMember;
  let shared: Client; // contacts see all of the client's tickets
  let own: Client; // contacts see only their own
  let alice: Contact; // shared
  let bob: Contact; // shared
  let yara: Contact; // own
  let zeno: Contact; // own
  let cookies: Record<string, string>;
  let tickets: Record<string, Ticket>;

  const ticket = (client: Client, requester: Contact, title: string, t0: TestApp) =>
    openTicket(
      t0.deps,
      client.tenantId,
      { clientId: client.id, requesterContactId: requester.id, title, body: `About: ${title}`, source: 'app' },
      { kind: 'contact', id: requester.id },
    );

  beforeAll(async () => {
    const database = getDb();
    t = await buildTestApp({ ...database, db: database.db.withPlugin(counter) });
    d = new SignInDriver(t);
    serial += 1;
    tenant = await createTenant(t.deps, {
      slug: `tickets-${serial}-${Date.now().toString(36)}`,
      name: 'Harbor Plumbing',
      currency: 'EUR',
      locale: 'de-DE',
    });
    other = await createTenant(t.deps, { slug: `other-${serial}-${Date.now().toString(36)}`, name: 'Other Co' });
    agent = await addTeamMember(t.deps, tenant.id, { email: 'sam.rivera@harbor.example.com', name: 'Sam Rivera', role: 'admin' });
    shared = await createClient(t.deps, tenant.id, { name: 'Shared Ltd', ticketVisibility: 'all' });
    own = await createClient(t.deps, tenant.id, { name: 'Own Family', ticketVisibility: 'own' });
    alice = await addContact(t.deps, tenant.id, shared.id, { email: 'alice@shared.example.com', name: 'Alice' });
    bob = await addContact(t.deps, tenant.id, shared.id, { email: 'bob@shared.example.com', name: 'Bob' });
    yara = await addContact(t.deps, tenant.id, own.id, { email: 'yara@own.example.com', name: 'Yara' });
    zeno = await addContact(t.deps, tenant.id, own.id, { email: 'zeno@own.example.com', name: 'Zeno' });
    const otherClient = await createClient(t.deps, other.id, { name: 'Elsewhere' });
    const otherContact = await addContact(t.deps, other.id, otherClient.id, { email: 'alice@shared.example.com', name: 'Alice Elsewhere' });
    tickets = {
      aliceLeak: await ticket(shared, alice, 'Leaking tap in kitchen', t),
      bobBoiler: await ticket(shared, bob, 'Boiler makes noise', t),
      yaraDrain: await ticket(own, yara, 'Blocked drain', t),
      zenoRoof: await ticket(own, zeno, 'Roof gutter', t),
      otherTenant: await openTicket(
        t.deps,
        other.id,
        { clientId: otherClient.id, requesterContactId: otherContact.id, title: 'Elsewhere', source: 'app' },
        { kind: 'system', id: null },
      ),
    };
    const scope = forTenant(t.deps.db, tenant.id);
    await appendMessage(scope, t.clock, {
      ticketId: tickets.aliceLeak!.id,
      author: { kind: 'team_member', id: agent.id },
      body: 'We will come on Monday.',
      visibility: 'public',
      via: 'app',
    });
    await appendMessage(scope, t.clock, {
      ticketId: tickets.aliceLeak!.id,
      author: { kind: 'team_member', id: agent.id },
      body: 'INTERNAL: customer is grumpy',
      visibility: 'internal',
      via: 'app',
    });
    cookies = {};
    for (const contact of [alice, bob, yara, zeno]) {
      cookies[contact.id] = await signInContact(d, tenant, contact.email);
    }
  });
  afterAll(async () => t.close());

  const api = (contact: Contact, method: 'GET' | 'POST' | 'PATCH', path: string, payload?: Json): Promise<LightMyRequestResponse> =>
    method === 'GET'
      ? d.get(`/portal/${tenant.slug}/api${path}`, { cookie: cookies[contact.id]! })
      : t.app.inject({
          method,
          url: `/portal/${tenant.slug}/api${path}`,
          headers: { origin: 'http://localhost:3000', 'content-type': 'application/json', cookie: cookies[contact.id]! },
          payload: payload ?? {},
        });
  const titles = (res: LightMyRequestResponse) => res.json<{ tickets: { title: string }[] }>().tickets.map((x) => x.title);
  const codeOf = (res: LightMyRequestResponse) => res.json<{ error: { code: string } }>().error.code;

  it('lists all of the client’s tickets where the client shares, and only the contact’s own where it does not', async () => {
    expect(titles(await api(alice, 'GET', '/tickets?status=all')).sort()).toEqual(['Boiler makes noise', 'Leaking tap in kitchen']);
    expect(titles(await api(bob, 'GET', '/tickets?status=all')).sort()).toEqual(['Boiler makes noise', 'Leaking tap in kitchen']);
    expect(titles(await api(yara, 'GET', '/tickets?status=all'))).toEqual(['Blocked drain']);
    expect(titles(await api(zeno, 'GET', '/tickets?status=all'))).toEqual(['Roof gutter']);
    expect((await api(alice, 'GET', '/tickets')).headers['cache-control']).toBe('no-store');
    expect((await d.get(`/portal/${tenant.slug}/api/tickets`)).statusCode).toBe(401);
  });

  it('filters by open and closed, searches title and number, and pages by keyset without gaps', async () => {
    const g = await addContact(t.deps, tenant.id, (await createClient(t.deps, tenant.id, { name: `Paging ${serial}` })).id, {
      email: `pager${serial}@x.example.com`,
      name: 'Pager',
    });
    const client = { id: g.clientId, tenantId: tenant.id } as Client;
    const made: Ticket[] = [];
    for (let i = 0; i < 7; i++) {
      t.clock.advance(60_000);
      made.push(await ticket(client, g, `Job ${i} ${i % 2 ? 'Heater' : 'Sink'}`, t));
    }
    await t.app.inject({ method: 'GET', url: '/healthz' });
    cookies[g.id] = await signInContact(d, tenant, g.email);
    t.clock.advance(60_000);
    await api(g, 'POST', `/tickets/${made[0]!.id}/close`, { message: 'Done, thanks' });

    expect(titles(await api(g, 'GET', '/tickets?status=closed'))).toEqual(['Job 0 Sink']);
    expect(titles(await api(g, 'GET', '/tickets'))).toHaveLength(6);
    expect(titles(await api(g, 'GET', '/tickets?status=all&q=heater'))).toEqual(['Job 5 Heater', 'Job 3 Heater', 'Job 1 Heater']);
    expect(titles(await api(g, 'GET', `/tickets?status=all&q=%23${made[4]!.number}`))).toEqual(['Job 4 Sink']);
    expect(titles(await api(g, 'GET', '/tickets?status=all&q=50%25'))).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(g, 'GET', `/tickets?status=all&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json<{ tickets: { title: string }[]; nextCursor: string | null }>();
      seen.push(...page.tickets.map((x) => x.title));
      cursor = page.nextCursor;
    } while (cursor);
    // Newest activity first: the closed one moved to the top when it was closed.
    expect(seen).toEqual(['Job 0 Sink', 'Job 6 Sink', 'Job 5 Heater', 'Job 4 Sink', 'Job 3 Heater', 'Job 2 Sink', 'Job 1 Heater']);
    expect(codeOf(await api(g, 'GET', '/tickets?cursor=garbage'))).toBe('VALIDATION_FAILED');
    expect(codeOf(await api(g, 'GET', '/tickets?status=deleted'))).toBe('VALIDATION_FAILED');
  });

  it('opens a ticket with its public conversation only, team members by first name and organisation', async () => {
    const res = await api(bob, 'GET', `/tickets/${tickets.aliceLeak!.id}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json<{ ticket: Json; messages: { body: string; author: Json }[]; history: Json[]; can: Json }>();
    expect(detail.ticket).toMatchObject({ title: 'Leaking tap in kitchen', status: 'new', requester: 'Alice' });
    expect(detail.messages.map((m) => m.body)).toEqual(['About: Leaking tap in kitchen', 'We will come on Monday.']);
    expect(detail.messages[0]!.author).toEqual({ kind: 'contact', name: 'Alice', isOwn: false });
    expect(detail.messages[1]!.author).toEqual({ kind: 'team', name: 'Sam · Harbor Plumbing', isOwn: false });
    expect(res.body).not.toContain('INTERNAL');
    expect(res.body).not.toContain(agent.email);
    expect(detail.history).toEqual([expect.objectContaining({ status: 'new', by: 'Alice' })]);
    expect(detail.can).toEqual({ reply: true, close: true, reopenByReply: true });
  });

  it('answers 404 for every read and write of a ticket the contact may not see', async () => {
    const foreign = [
      [yara, tickets.zenoRoof!.id], // same client, visibility own
      [alice, tickets.yaraDrain!.id], // another client of the same tenant
      [alice, tickets.otherTenant!.id], // another tenant
      [alice, '01a20000-0000-7000-8000-000000000000'], // missing
      [alice, 'not-an-id'],
    ] as const;
    for (const [contact, id] of foreign) {
      for (const [method, path, payload] of [
        ['GET', `/tickets/${id}`, undefined],
        ['POST', `/tickets/${id}/messages`, { body: 'Hello?' }],
        ['POST', `/tickets/${id}/close`, { message: 'Bye' }],
      ] as const) {
        const res = await api(contact, method, path, payload);
        expect(res.statusCode, `${method} ${path} as ${contact.name}`).toBe(404);
        expect(codeOf(res)).toBe('TICKET_NOT_FOUND');
      }
    }
    const zenoView = await api(zeno, 'GET', `/tickets/${tickets.zenoRoof!.id}`);
    expect(zenoView.json<{ messages: unknown[] }>().messages).toHaveLength(1);
  });

  it('submits a ticket as new from the portal, unless the organisation turned submissions off', async () => {
    const res = await api(alice, 'POST', '/tickets', { title: '  Dripping shower  ', description: 'Line one\nLine two', priority: 'high' });
    expect(res.statusCode).toBe(201);
    const detail = res.json<{ ticket: Json; messages: { body: string }[] }>();
    expect(detail.ticket).toMatchObject({ title: 'Dripping shower', status: 'new', priority: 'high', requester: 'Alice' });
    expect(detail.messages.map((m) => m.body)).toEqual(['Line one\nLine two']);
    const scope = forTenant(t.deps.db, tenant.id);
    const row = await scope
      .selectFrom('ticket')
      .select(['ticket.source'])
      .where('ticket.id', '=', detail.ticket.id as string)
      .executeTakeFirstOrThrow();
    expect(row.source).toBe('portal');

    for (const bad of [
      { title: 'x'.repeat(201), description: 'd' },
      { title: 'T', description: '   ' },
      { title: 'T', description: 'x'.repeat(20_001) },
      { title: 'T', description: 'd', status: 'closed' },
      { title: 'T', description: 'd', clientId: own.id },
    ]) {
      const refused = await api(alice, 'POST', '/tickets', bad);
      expect(refused.statusCode, JSON.stringify(bad).slice(0, 60)).toBe(400);
      expect(codeOf(refused)).toBe('VALIDATION_FAILED');
    }

    await updatePortalSettings(t.deps, tenant.id, { submissionsEnabled: false });
    try {
      const off = await api(alice, 'POST', '/tickets', { title: 'T', description: 'd' });
      expect(off.statusCode).toBe(403);
      expect(codeOf(off)).toBe('PORTAL_SUBMISSIONS_DISABLED');
      expect((await d.get(`/portal/${tenant.slug}/api/portal`)).json()).toMatchObject({
        submissionsEnabled: false,
        currency: 'EUR',
        locale: 'de-DE',
      });
    } finally {
      await updatePortalSettings(t.deps, tenant.id, { submissionsEnabled: true });
    }
  });

  it('requires a closing message, then closes; a reply reopens unless the organisation turned that off', async () => {
    const id = tickets.bobBoiler!.id;
    for (const message of ['', '   \n\t ']) {
      const res = await api(bob, 'POST', `/tickets/${id}/close`, { message });
      expect(res.statusCode).toBe(400);
      expect(codeOf(res)).toBe('CLOSING_MESSAGE_REQUIRED');
    }
    t.clock.advance(1000);
    const closed = await api(bob, 'POST', `/tickets/${id}/close`, { message: 'Fixed it myself, thanks!' });
    expect(closed.statusCode).toBe(200);
    const detail = closed.json<{ ticket: Json; messages: { body: string }[]; can: Json }>();
    expect(detail.ticket).toMatchObject({ status: 'closed', closedBy: 'Bob' });
    expect(detail.ticket.closedAt).toEqual(expect.any(String));
    expect(detail.messages.at(-1)!.body).toBe('Fixed it myself, thanks!');
    expect(codeOf(await api(bob, 'POST', `/tickets/${id}/close`, { message: 'again' }))).toBe('TICKET_CLOSED');

    await updatePortalSettings(t.deps, tenant.id, { reopenOnReply: false });
    const refused = await api(alice, 'POST', `/tickets/${id}/messages`, { body: 'It is back!' });
    expect(refused.statusCode).toBe(409);
    expect(codeOf(refused)).toBe('TICKET_CLOSED');
    await updatePortalSettings(t.deps, tenant.id, { reopenOnReply: true });

    t.clock.advance(1000);
    const reply = await api(alice, 'POST', `/tickets/${id}/messages`, { body: 'It is back!' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({
      message: { body: 'It is back!', author: { kind: 'contact', name: 'Alice', isOwn: true } },
      ticket: { status: 'open' },
    });
    const history = (await api(bob, 'GET', `/tickets/${id}`)).json<{ history: { status: string; by: string }[] }>().history;
    expect(history.map((h) => `${h.status}:${h.by}`)).toEqual(['new:Bob', 'closed:Bob', 'open:Alice']);
    expect(codeOf(await api(alice, 'POST', `/tickets/${id}/messages`, { body: '' }))).toBe('VALIDATION_FAILED');
  });

  it('updates name and phone (stored E.164, shown nationally); the email cannot be changed', async () => {
    const ok = await api(zeno, 'PATCH', '/me', { name: 'Zeno Z.', phone: '030 1234567' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      contact: { name: 'Zeno Z.', phone: '+49301234567', phoneNational: '030 1234567', email: 'zeno@own.example.com' },
    });
    const bad = await api(zeno, 'PATCH', '/me', { phone: '12' });
    expect(bad.statusCode).toBe(400);
    expect(codeOf(bad)).toBe('PHONE_INVALID');
    expect(codeOf(await api(zeno, 'PATCH', '/me', { email: 'new@evil.example.com' }))).toBe('VALIDATION_FAILED');
    expect((await api(zeno, 'PATCH', '/me', { phone: '' })).json()).toMatchObject({ contact: { phone: null, phoneNational: null } });
  });

  it('runs the same number of queries whatever the amount of data', async () => {
    // A session's idle expiry slides at most once a minute (one UPDATE): warm up so it is not counted.
    await api(yara, 'GET', '/me');
    const small = await counter.measure(() => api(yara, 'GET', '/tickets?status=all'));
    const scope = forTenant(t.deps.db, tenant.id);
    for (let i = 0; i < 30; i++) await ticket(own, yara, `Bulk ${i}`, t);
    const large = await counter.measure(() => api(yara, 'GET', '/tickets?status=all'));
    expect(large).toBe(small);

    const id = tickets.yaraDrain!.id;
    // One reply from the team first: names are looked up once per kind of author, however many messages.
    await appendMessage(scope, t.clock, {
      ticketId: id,
      author: { kind: 'team_member', id: agent.id },
      body: 'On our way',
      visibility: 'public',
      via: 'app',
    });
    const before = await counter.measure(() => api(yara, 'GET', `/tickets/${id}`));
    for (let i = 0; i < 20; i++)
      await appendMessage(scope, t.clock, {
        ticketId: id,
        author: { kind: i % 2 ? 'team_member' : 'contact', id: i % 2 ? agent.id : yara.id },
        body: `m${i}`,
        visibility: 'public',
        via: 'app',
      });
    const after = await counter.measure(() => api(yara, 'GET', `/tickets/${id}`));
    expect(after).toBe(before);
    // 10, and the ticket's quotes: one query, whose two "own" visibility subqueries the counter counts as queries too.
    expect(before).toBeLessThanOrEqual(13);
  });
});
