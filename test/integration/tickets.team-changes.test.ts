import { beforeAll, expect, it } from 'vitest';
import { addTeamMember, updateTeamMember } from '../../src/features/team/team.service.js';
import { updateTicket } from '../../src/features/tickets/ticket.repository.js';
import { type Ticket } from '../../src/features/tickets/ticket.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { detailAs } from '../helpers/team-tickets.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant, signInContact, openContactTicket } from '../helpers/factories.js';

describeEachDialect('team ticket changes and their history', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);
  let tt: TeamTenant;
  let other: TeamTenant;

  beforeAll(async () => {
    tt = await createTeamTenant(t, { name: 'Harbor Plumbing' });
    other = await createTeamTenant(t, { name: 'Other Co' });
  });

  const newTicket = (): Promise<Ticket> => openContactTicket(t.deps, tt.g.contact, { title: 'Radiator', body: 'Cold.' });

  const patch = (id: string, body: unknown) => tt.as.agent.patch(`/api/team/tickets/${id}`, body);
  const changesOf = async (id: string) => (await detailAs(tt.as.agent, id)).history.filter((e) => e.kind !== 'created');
  const agentActor = () => ({ kind: 'team_member', id: tt.g.member.id, name: tt.g.member.name });

  it('records each change with its old and new value, and answers with the ticket', async () => {
    const ticket = await newTicket();
    t.clock.advance(60_000);
    const res = await patch(ticket.id, {
      status: 'in_progress',
      priority: 'urgent',
      assigneeId: tt.admin.id,
      scheduledAt: '2026-12-01T10:30:00+01:00',
      charge: { amount: 12_550, currency: 'EUR' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().ticket).toMatchObject({
      status: 'in_progress',
      priority: 'urgent',
      assignee: { id: tt.admin.id, name: tt.admin.name },
      scheduledAt: '2026-12-01T09:30:00.000Z',
      charge: { amount: 12_550, currency: 'EUR' },
    });
    const history = await changesOf(ticket.id);
    const at = t.clock.now().toISOString();
    expect(history.map(({ id: _id, ...e }) => e)).toEqual([
      { kind: 'status_changed', at, actor: expect.objectContaining(agentActor()), from: 'new', to: 'in_progress' },
      { kind: 'priority_changed', at, actor: expect.objectContaining(agentActor()), from: 'normal', to: 'urgent' },
      {
        kind: 'assignee_changed',
        at,
        actor: expect.objectContaining(agentActor()),
        from: null,
        to: { id: tt.admin.id, name: tt.admin.name },
      },
      { kind: 'scheduled_changed', at, actor: expect.objectContaining(agentActor()), from: null, to: '2026-12-01T09:30:00.000Z' },
      { kind: 'charge_changed', at, actor: expect.objectContaining(agentActor()), from: null, to: { amount: 12_550, currency: 'EUR' } },
    ]);

    t.clock.advance(60_000);
    expect(
      (await patch(ticket.id, { assigneeId: tt.owner.id, scheduledAt: '2026-12-02T08:00:00Z', charge: { amount: 9_900, currency: 'USD' } }))
        .statusCode,
    ).toBe(200);
    t.clock.advance(60_000);
    expect((await patch(ticket.id, { assigneeId: null, scheduledAt: null, charge: null, priority: 'low' })).statusCode).toBe(200);
    const later = (await changesOf(ticket.id)).slice(5);
    expect(later.map((e) => [e.kind, 'from' in e ? e.from : null, 'to' in e ? e.to : null])).toEqual([
      ['assignee_changed', { id: tt.admin.id, name: tt.admin.name }, { id: tt.owner.id, name: tt.owner.name }],
      ['scheduled_changed', '2026-12-01T09:30:00.000Z', '2026-12-02T08:00:00.000Z'],
      ['charge_changed', { amount: 12_550, currency: 'EUR' }, { amount: 9_900, currency: 'USD' }],
      ['priority_changed', 'urgent', 'low'],
      ['assignee_changed', { id: tt.owner.id, name: tt.owner.name }, null],
      ['scheduled_changed', '2026-12-02T08:00:00.000Z', null],
      ['charge_changed', { amount: 9_900, currency: 'USD' }, null],
    ]);
    const detail = await detailAs(tt.as.agent, ticket.id);
    expect(detail.ticket).toMatchObject({ priority: 'low', assignee: null, scheduledAt: null, charge: null });
  });

  it('records nothing for values equal to the current ones, or an empty change', async () => {
    const ticket = await newTicket();
    expect(
      (await patch(ticket.id, { priority: 'high', charge: { amount: 500, currency: 'EUR' }, scheduledAt: '2026-12-03T12:00:00Z' }))
        .statusCode,
    ).toBe(200);
    const before = await changesOf(ticket.id);
    const updatedAt = (await detailAs(tt.as.agent, ticket.id)).ticket.lastActivityAt;
    t.clock.advance(60_000);
    for (const same of [
      {},
      { status: 'new' },
      { priority: 'high' },
      { assigneeId: null },
      { charge: { amount: 500, currency: 'EUR' } },
      { scheduledAt: '2026-12-03T13:00:00+01:00' },
    ]) {
      const res = await patch(ticket.id, same);
      expect(res.statusCode, JSON.stringify(same)).toBe(200);
    }
    expect(await changesOf(ticket.id)).toEqual(before);
    expect((await detailAs(tt.as.agent, ticket.id)).ticket.lastActivityAt).toBe(updatedAt);
  });

  it('closing stamps who closed it and is new activity; reopening clears it; the portal shows the status history', async () => {
    const ticket = await newTicket();
    t.clock.advance(60_000);
    const closed = (await patch(ticket.id, { status: 'closed' })).json();
    expect(closed.ticket).toMatchObject({
      status: 'closed',
      closedAt: t.clock.now().toISOString(),
      lastActivityAt: t.clock.now().toISOString(),
    });
    expect(closed.ticket.closedBy).toMatchObject(agentActor());
    t.clock.advance(60_000);
    expect((await patch(ticket.id, { priority: 'high' })).json().ticket.lastActivityAt).not.toBe(t.clock.now().toISOString());
    const reopened = (await patch(ticket.id, { status: 'open' })).json();
    expect(reopened.ticket).toMatchObject({ status: 'open', closedAt: null, closedBy: null });

    const cookie = await signInContact(d, tt.g.tenant, tt.g.contact.email);
    const portal = await d.get(`/portal/${tt.g.tenant.slug}/api/tickets/${ticket.id}`, { cookie });
    expect(portal.statusCode).toBe(200);
    // Only status changes reach the portal's history (the priority change above does not).
    expect(portal.json().history.map((h: { status: string; by: string }) => [h.status, h.by])).toEqual([
      ['new', 'Casey Customer'],
      ['closed', `Agent · Harbor Plumbing`],
      ['open', `Agent · Harbor Plumbing`],
    ]);
  });

  it('shows the scheduled time and the charge in the portal', async () => {
    const ticket = await newTicket();
    await patch(ticket.id, { scheduledAt: '2026-12-05T07:15:00Z', charge: { amount: 4_200, currency: 'EUR' } });
    const cookie = await signInContact(d, tt.g.tenant, tt.g.contact.email);
    const portal = (await d.get(`/portal/${tt.g.tenant.slug}/api/tickets/${ticket.id}`, { cookie })).json();
    expect(portal.ticket).toMatchObject({ scheduledAt: '2026-12-05T07:15:00.000Z', charge: { amount: 4_200, currency: 'EUR' } });
  });

  it('assigns only active members of the organisation', async () => {
    const ticket = await newTicket();
    const res = await patch(ticket.id, { assigneeId: other.g.member.id });
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'TEAM_MEMBER_NOT_FOUND']);
    expect((await patch(ticket.id, { assigneeId: 'no-such-member' })).statusCode).toBe(404);

    const leaver = await addTeamMember(t.deps, tt.g.tenant.id, {
      email: `leaver-${tt.g.tenant.slug}@team.example.com`,
      name: 'Leaver',
      role: 'agent',
    });
    await updateTeamMember(
      t.deps,
      { tenant: tt.g.tenant, memberId: tt.owner.id, name: tt.owner.name, email: tt.owner.email, role: 'owner' },
      leaver.id,
      {
        status: 'disabled',
      },
    );
    const disabled = await patch(ticket.id, { assigneeId: leaver.id, status: 'open' });
    expect(disabled.statusCode).toBe(400);
    expect(disabled.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'assigneeId' }] });
    // One transaction: the valid part of a refused change is not applied either.
    expect((await detailAs(tt.as.agent, ticket.id)).ticket).toMatchObject({ status: 'new', assignee: null });
    expect(await changesOf(ticket.id)).toEqual([]);
  });

  it('validates the change strictly', async () => {
    const ticket = await newTicket();
    for (const bad of [
      { status: 'done' },
      { priority: 'asap' },
      { charge: { amount: -1, currency: 'EUR' } },
      { charge: { amount: 1.5, currency: 'EUR' } },
      { charge: { amount: 100, currency: 'eur' } },
      { charge: { amount: 100 } },
      { scheduledAt: '2026-12-01 10:00' },
      { scheduledAt: '2026-12-01T10:00:00' },
      { title: 'renamed' },
      { clientId: other.g.client.id },
    ]) {
      const res = await patch(ticket.id, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await changesOf(ticket.id)).toEqual([]);
  });

  it('keeps an assignee in the ticket’s organisation in the database itself', async () => {
    const ticket = await newTicket();
    const crossTenant = updateTicket(forTenant(t.deps.db, tt.g.tenant.id), ticket.id, { assignee_id: other.g.member.id });
    await expect(crossTenant).rejects.toThrow(/foreign key/i);
    expect(await updateTicket(forTenant(t.deps.db, tt.g.tenant.id), ticket.id, { assignee_id: tt.admin.id })).toBe(true);
  });
});
