import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendMessage } from '../../src/features/messages/message.service.js';
import { getTicket, recordTicketMessage } from '../../src/features/tickets/ticket.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTenantGraph, openTicket, type TenantGraph } from '../helpers/factories.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * A ticket's activity times never move backwards: many replies committing in any order leave
 * last_activity_at (and the side's latest word) at the newest message, not at whichever
 * transaction committed last.
 */
describeEachDialect('ticket activity times', (getDb) => {
  let t: TestApp;
  let g: TenantGraph;

  beforeAll(async () => {
    t = await buildTestApp(getDb());
    g = await createTenantGraph(t.deps);
  });
  afterAll(async () => t.close());

  const base = Date.parse('2026-12-01T10:00:00.000Z');
  const scopeOf = () => forTenant(t.deps.db, g.tenant.id);
  const reply = (ticketId: string, at: number, author: 'contact' | 'team_member', delayMs: number) =>
    scopeOf().transaction(async (scope) => {
      const message = await appendMessage(scope, t.clock, {
        ticketId,
        author: author === 'contact' ? { kind: 'contact', id: g.contact.id } : { kind: 'team_member', id: g.member.id },
        body: `at ${at}`,
        visibility: 'public',
        via: 'app',
        at: new Date(at),
      });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await recordTicketMessage(scope, message);
    });

  it('an older reply recorded after a newer one leaves the newer times in place', async () => {
    const ticket = await openTicket(t.deps, g.tenant.id, {
      clientId: g.client.id,
      requesterContactId: g.contact.id,
      title: 'Order',
      source: 'app',
    });
    await reply(ticket.id, base + 2_000, 'contact', 0);
    await reply(ticket.id, base + 1_000, 'contact', 0);
    await reply(ticket.id, base + 500, 'team_member', 0);
    const after = await getTicket(scopeOf(), ticket.id);
    expect(after.lastActivityAt.toISOString()).toBe(new Date(base + 2_000).toISOString());
    expect(after.lastCustomerMessageAt?.toISOString()).toBe(new Date(base + 2_000).toISOString());
    expect(after.lastTeamReplyAt?.toISOString()).toBe(new Date(base + 500).toISOString());
  });

  it('forty concurrent replies committing newest-first end at the newest message', async () => {
    const ticket = await openTicket(t.deps, g.tenant.id, {
      clientId: g.client.id,
      requesterContactId: g.contact.id,
      title: 'Rush',
      source: 'app',
    });
    // The oldest reply waits longest before it records, so it commits last.
    await Promise.all(Array.from({ length: 40 }, (_, i) => reply(ticket.id, base + i * 10, 'contact', (40 - i) * 2)));
    const after = await getTicket(scopeOf(), ticket.id);
    expect(after.lastActivityAt.toISOString()).toBe(new Date(base + 390).toISOString());
    expect(after.lastCustomerMessageAt?.toISOString()).toBe(new Date(base + 390).toISOString());
  });
});
