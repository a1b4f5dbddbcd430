import { expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { addContact, getClient, getContact } from '../../src/features/clients/client.service.js';
import { updatePortalSettings } from '../../src/features/tenants/tenant.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { teamApi } from '../helpers/team-api.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant, openTicket, signInContact } from '../helpers/factories.js';

interface ClientJson {
  id: string;
  name: string;
  ticketVisibility: 'all' | 'own';
  contactCount: number;
}

describeEachDialect('team app: clients and contacts', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);

  /** Every page of a search, following the cursors. */
  async function allPages(tt: TeamTenant, query: string, limit: number): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const url = `/api/team/clients?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await tt.as.agent.get(url);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ clients: ClientJson[]; nextCursor: string | null }>();
      expect(body.clients.length).toBeLessThanOrEqual(limit);
      names.push(...body.clients.map((c) => c.name));
      cursor = body.nextCursor;
      if (!cursor) return names;
    }
    throw new Error('too many pages');
  }

  it('lets any member create, read and edit clients, with the visibility default and an audit trail', async () => {
    const tt = await createTeamTenant(t);
    const created = await tt.as.agent.post('/api/team/clients', { name: '  Harbour Café  ' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const client = created.json<ClientJson>();
    expect(client).toMatchObject({ name: 'Harbour Café', ticketVisibility: 'all', contactCount: 0 });

    // The default comes from the organisation's setting; an explicit value wins.
    await updatePortalSettings(t.deps, tt.g.tenant.id, { clientVisibilityDefault: 'own' });
    expect((await tt.as.agent.post('/api/team/clients', { name: 'Own Co' })).json<ClientJson>().ticketVisibility).toBe('own');
    const explicit = await tt.as.agent.post('/api/team/clients', { name: 'All Co', ticketVisibility: 'all' });
    expect(explicit.json<ClientJson>().ticketVisibility).toBe('all');

    const patched = await tt.as.agent.patch(`/api/team/clients/${client.id}`, { name: 'Harbour Café Ltd', ticketVisibility: 'own' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<ClientJson>()).toMatchObject({ id: client.id, name: 'Harbour Café Ltd', ticketVisibility: 'own' });
    const stored = await getClient(forTenant(t.deps.db, tt.g.tenant.id), client.id);
    expect(stored).toMatchObject({ name: 'Harbour Café Ltd', ticketVisibility: 'own' });

    const detail = await tt.as.agent.get(`/api/team/clients/${tt.g.client.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.headers['cache-control']).toBe('no-store');
    expect(detail.json()).toMatchObject({
      client: { id: tt.g.client.id, contactCount: 1 },
      contacts: [{ id: tt.g.contact.id, email: tt.g.contact.email, name: 'Casey Customer', status: 'active', phone: null }],
    });

    for (const [body, path] of [
      [{ name: '' }, 'name'],
      [{ name: 'x', tenantId: tt.g.tenant.id }, ''],
      [{ ticketVisibility: 'everyone' }, 'ticketVisibility'],
    ] as const) {
      const res = await tt.as.agent.patch(`/api/team/clients/${client.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.json().error.details)).toContain(path);
    }
    expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toEqual(expect.arrayContaining(['client.created', 'client.updated']));
  });

  it("searches by the client's name or a contact's name or email, A to Z, page by page", async () => {
    const tt = await createTeamTenant(t);
    const scope = forTenant(t.deps.db, tt.g.tenant.id);
    for (const name of ['delta Drains', 'Alpha Plumbing', 'charlie 100% Repairs', 'Bravo Builders', 'echo_Electric']) {
      const res = await tt.as.agent.post('/api/team/clients', { name });
      if (name === 'Bravo Builders') {
        await addContact(t.deps, tt.g.tenant.id, res.json<ClientJson>().id, { email: 'zed.quinn@bravo.example', name: 'Zed Quinn' });
      }
    }
    const everyone = await allPages(tt, '', 2);
    expect(everyone).toEqual([
      'Alpha Plumbing',
      'Bravo Builders',
      'charlie 100% Repairs',
      tt.g.client.name,
      'delta Drains',
      'echo_Electric',
    ]);
    expect(new Set(everyone).size).toBe(everyone.length);

    expect(await allPages(tt, '&q=PLUMB', 2)).toEqual(['Alpha Plumbing']);
    expect(await allPages(tt, '&q=quinn', 2)).toEqual(['Bravo Builders']);
    expect(await allPages(tt, '&q=bravo.example', 2)).toEqual(['Bravo Builders']);
    expect(await allPages(tt, `&q=${encodeURIComponent(tt.g.contact.email)}`, 5)).toEqual([tt.g.client.name]);
    // `%` and `_` are literal characters, not wildcards.
    expect(await allPages(tt, `&q=${encodeURIComponent('%')}`, 5)).toEqual(['charlie 100% Repairs']);
    expect(await allPages(tt, '&q=_', 5)).toEqual(['echo_Electric']);
    expect(await allPages(tt, '&q=nothing-like-this', 5)).toEqual([]);

    const counted = (await tt.as.agent.get('/api/team/clients?q=bravo')).json<{ clients: ClientJson[] }>().clients;
    expect(counted.map((c) => c.contactCount)).toEqual([1]);
    const bad = await tt.as.agent.get('/api/team/clients?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect((await getContact(scope, tt.g.contact.id)).email).toBe(tt.g.contact.email);
  });

  it('adds contacts with a unique email per organisation and a phone read in its region', async () => {
    const tt = await createTeamTenant(t);
    const other = await createTeamTenant(t);
    const url = `/api/team/clients/${tt.g.client.id}/contacts`;
    const added = await tt.as.agent.post(url, { email: ' Robin.Ng@Example.com ', name: 'Robin Ng', phone: '(312) 555-0142' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      clientId: tt.g.client.id,
      email: 'robin.ng@example.com',
      name: 'Robin Ng',
      phone: '+13125550142',
      phoneNational: '(312) 555-0142',
      status: 'active',
    });

    const taken = await tt.as.agent.post(url, { email: 'ROBIN.NG@example.com', name: 'Robin again' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('EMAIL_TAKEN');
    const renamedOnto = await tt.as.agent.patch(`/api/team/contacts/${tt.g.contact.id}`, { email: 'robin.ng@example.com' });
    expect(renamedOnto.statusCode).toBe(409);
    expect(renamedOnto.json().error.code).toBe('EMAIL_TAKEN');
    // Unique per organisation, not across organisations.
    expect(
      (await other.as.agent.post(`/api/team/clients/${other.g.client.id}/contacts`, { email: 'robin.ng@example.com', name: 'R' }))
        .statusCode,
    ).toBe(201);

    const phone = await tt.as.agent.post(url, { email: 'pat@example.com', name: 'Pat', phone: '12' });
    expect(phone.statusCode).toBe(400);
    expect(phone.json().error.code).toBe('PHONE_INVALID');
    for (const body of [
      { email: 'not-an-email', name: 'X' },
      { email: 'x@example.com', name: '' },
      { email: 'y@example.com', name: 'Y', status: 'active' },
    ]) {
      const res = await tt.as.agent.post(url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }

    const edited = await tt.as.agent.patch(`/api/team/contacts/${tt.g.contact.id}`, {
      name: 'Casey Q. Customer',
      phone: '+44 20 7946 0958',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ name: 'Casey Q. Customer', phone: '+442079460958', email: tt.g.contact.email });
    const cleared = await tt.as.agent.patch(`/api/team/contacts/${tt.g.contact.id}`, { phone: '' });
    expect(cleared.json().phone).toBeNull();
    expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toEqual(expect.arrayContaining(['contact.added', 'contact.updated']));
  });

  it("changes which tickets a client's contacts see in the portal, from their next request", async () => {
    const tt = await createTeamTenant(t);
    const colleague = await addContact(t.deps, tt.g.tenant.id, tt.g.client.id, {
      email: `colleague-${tt.g.tenant.slug}@example.com`,
      name: 'Colleague',
    });
    await openTicket(
      t.deps,
      tt.g.tenant.id,
      { clientId: tt.g.client.id, requesterContactId: colleague.id, title: "Colleague's request", body: 'Hello', source: 'portal' },
      { kind: 'contact', id: colleague.id },
    );
    const cookie = await signInContact(d, tt.g.tenant, tt.g.contact.email);
    const titles = async () => {
      const res = await d.get(`/portal/${tt.g.tenant.slug}/api/tickets?status=all`, { cookie });
      expect(res.statusCode).toBe(200);
      return res
        .json<{ tickets: { title: string }[] }>()
        .tickets.map((x) => x.title)
        .sort();
    };
    expect(await titles()).toEqual(["Colleague's request", 'Leaking tap']);
    expect((await tt.as.agent.patch(`/api/team/clients/${tt.g.client.id}`, { ticketVisibility: 'own' })).statusCode).toBe(200);
    expect(await titles()).toEqual(['Leaking tap']);
    expect((await tt.as.agent.patch(`/api/team/clients/${tt.g.client.id}`, { ticketVisibility: 'all' })).statusCode).toBe(200);
    expect(await titles()).toEqual(["Colleague's request", 'Leaking tap']);
  });

  it("answers 404 for another organisation's clients and contacts on every route, and 401 without a session", async () => {
    const a = await createTeamTenant(t);
    const b = await createTeamTenant(t);
    const routes = (clientId: string, contactId: string) =>
      [
        ['GET', `/api/team/clients/${clientId}`, undefined],
        ['PATCH', `/api/team/clients/${clientId}`, { name: 'Taken over' }],
        ['POST', `/api/team/clients/${clientId}/contacts`, { email: `intruder-${a.g.tenant.slug}@example.com`, name: 'Intruder' }],
        [
          'PATCH',
          `/api/team/contacts/${contactId}`,
          { name: 'Taken over', email: `new-${a.g.tenant.slug}@example.com`, status: 'disabled' },
        ],
        ['POST', `/api/team/contacts/${contactId}/invite`, {}],
        ['POST', `/api/team/contacts/${contactId}/end-sessions`, {}],
      ] as const;
    const send = (api: ReturnType<typeof teamApi>, method: string, url: string, body: unknown) =>
      method === 'GET' ? api.get(url) : method === 'PATCH' ? api.patch(url, body) : api.post(url, body);

    for (const [method, url, body] of routes(b.g.client.id, b.g.contact.id)) {
      const res = await send(a.as.owner, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(['CLIENT_NOT_FOUND', 'CONTACT_NOT_FOUND']).toContain(res.json().error.code);
    }
    // Exactly like ids that do not exist at all.
    for (const [method, url, body] of routes('01900000-0000-7000-8000-000000000000', 'nope')) {
      expect((await send(a.as.owner, method, url, body)).statusCode, `${method} ${url}`).toBe(404);
    }
    const scopeB = forTenant(t.deps.db, b.g.tenant.id);
    expect(await getClient(scopeB, b.g.client.id)).toMatchObject({ name: b.g.client.name });
    expect(await getContact(scopeB, b.g.contact.id)).toMatchObject({ name: 'Casey Customer', status: 'active', email: b.g.contact.email });
    const listed = (await a.as.owner.get(`/api/team/clients?q=${encodeURIComponent(b.g.contact.email)}`)).json<{ clients: unknown[] }>();
    expect(listed.clients).toEqual([]);

    const nobody = teamApi(t, undefined);
    for (const [method, url, body] of [
      ...routes(a.g.client.id, a.g.contact.id),
      ['GET', '/api/team/clients', undefined],
      ['POST', '/api/team/clients', { name: 'X' }],
    ] as const) {
      const res = await send(nobody, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });
});
