import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { getTicket, listTicketHistory, type Ticket } from '../../src/features/tickets/ticket.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { openTicket, createTeamTenant, type TeamTenant, signInContact } from '../helpers/factories.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp, SAME_ORIGIN_JSON } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * Every path that moves a ticket between closed and open goes through the one transition
 * (changeTicket): closing stamps closed_at/closed_by and a history entry; anything that reopens
 * clears them — whether the team reopens it or a customer's reply does.
 */
describeEachDialect('ticket transitions from the portal and the team', (getDb) => {
  const t = useTestApp(getDb);
  let tt: TeamTenant;
  let cookie: string;

  beforeAll(async () => {
    tt = await createTeamTenant(t, { name: 'Harbor Plumbing' });
    cookie = await signInContact(new SignInDriver(t), tt.g.tenant, tt.g.contact.email);
  });

  const portalPost = (path: string, payload: object): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: 'POST', url: `/portal/${tt.g.tenant.slug}/api${path}`, headers: { ...SAME_ORIGIN_JSON, cookie }, payload });
  const stored = (id: string) => getTicket(forTenant(t.deps.db, tt.g.tenant.id), id);
  const statusHistory = async (id: string) =>
    (await listTicketHistory(forTenant(t.deps.db, tt.g.tenant.id), id))
      .filter((e) => e.kind === 'status_changed')
      .map((e) => `${e.from}→${e.to} by ${e.actor.kind}`);
  const newTicket = (): Promise<Ticket> =>
    openTicket(
      t.deps,
      tt.g.tenant.id,
      { clientId: tt.g.client.id, requesterContactId: tt.g.contact.id, title: 'Radiator', body: 'Cold.', source: 'portal' },
      { kind: 'contact', id: tt.g.contact.id },
    );

  it('a portal close stamps who closed it and when; a portal reply reopens it and clears both', async () => {
    const ticket = await newTicket();
    t.clock.advance(60_000);
    const closedAt = t.clock.now();
    expect((await portalPost(`/tickets/${ticket.id}/close`, { message: 'Fixed it myself' })).statusCode).toBe(200);
    const closed = await stored(ticket.id);
    expect(closed).toMatchObject({ status: 'closed', closedAt, closedBy: { kind: 'contact', id: tt.g.contact.id } });
    expect(closed.lastActivityAt).toEqual(closedAt);
    expect(closed.lastCustomerMessageAt).toEqual(closedAt);

    t.clock.advance(60_000);
    const repliedAt = t.clock.now();
    const reply = await portalPost(`/tickets/${ticket.id}/messages`, { body: 'It is dripping again' });
    expect(reply.statusCode, reply.body).toBe(201);
    const reopened = await stored(ticket.id);
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, closedBy: null });
    expect(reopened.lastActivityAt).toEqual(repliedAt);
    expect(reopened.lastCustomerMessageAt).toEqual(repliedAt);
    expect(await statusHistory(ticket.id)).toEqual(['new→closed by contact', 'closed→open by contact']);
  });

  it('a customer reply also clears what the team stamped when it closed the ticket', async () => {
    const ticket = await newTicket();
    t.clock.advance(60_000);
    expect((await tt.as.agent.patch(`/api/team/tickets/${ticket.id}`, { status: 'closed' })).statusCode).toBe(200);
    expect(await stored(ticket.id)).toMatchObject({ status: 'closed', closedBy: { kind: 'team_member', id: tt.g.member.id } });

    t.clock.advance(60_000);
    expect((await portalPost(`/tickets/${ticket.id}/messages`, { body: 'Not fixed' })).statusCode).toBe(201);
    expect(await stored(ticket.id)).toMatchObject({ status: 'open', closedAt: null, closedBy: null });
    expect(await statusHistory(ticket.id)).toEqual(['new→closed by team_member', 'closed→open by contact']);
  });

  it('the team reopening a ticket clears closed_at and closed_by too', async () => {
    const ticket = await newTicket();
    expect((await portalPost(`/tickets/${ticket.id}/close`, { message: 'Done' })).statusCode).toBe(200);
    t.clock.advance(60_000);
    expect((await tt.as.agent.patch(`/api/team/tickets/${ticket.id}`, { status: 'in_progress' })).statusCode).toBe(200);
    expect(await stored(ticket.id)).toMatchObject({ status: 'in_progress', closedAt: null, closedBy: null });
  });

  it('a reply to an open ticket changes no status and records no transition', async () => {
    const ticket = await newTicket();
    t.clock.advance(60_000);
    expect((await portalPost(`/tickets/${ticket.id}/messages`, { body: 'Any news?' })).statusCode).toBe(201);
    expect(await stored(ticket.id)).toMatchObject({ status: 'new', closedAt: null, closedBy: null });
    expect(await statusHistory(ticket.id)).toEqual([]);
  });
});
