import { addContact, createClient, type Contact } from '../../src/features/clients/client.service.js';
import { appendMessage } from '../../src/features/messages/message.service.js';
import { addTeamMember } from '../../src/features/team/team.service.js';
import { createTenant, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { changeTicket, type Ticket, touchTicket } from '../../src/features/tickets/ticket.service.js';
import type { Clock } from '../../src/platform/clock.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import type { E2eServer } from './e2e-server.js';
import { openTicket } from '../helpers/factories.js';

/**
 * The world of the portal-ticket journeys, written through the real services: one organisation,
 * a household client whose contacts see all of its tickets, a neighbour client whose ticket must
 * never show, a team member who answers, and enough closed tickets for a second page.
 */
export const ORG_NAME = 'Northwind Plumbing';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Status = 'new' | 'open' | 'scheduled' | 'in_progress' | 'waiting_on_customer' | 'closed';
type Priority = 'low' | 'normal' | 'high' | 'urgent';

interface TicketSpec {
  readonly key: string;
  readonly title: string;
  readonly by: 'jordan' | 'casey';
  readonly status: Status;
  readonly priority: Priority;
  readonly openedHoursAgo: number;
  /** Messages after the first, alternating team / requester, the last one `lastActivityHoursAgo` ago. */
  readonly conversation: readonly string[];
  readonly lastActivityHoursAgo: number;
  readonly scheduledInDays?: number;
  readonly charge?: { amount: number; currency: string };
}

const TICKETS: readonly TicketSpec[] = [
  {
    key: 'tap',
    title: 'Leaking kitchen tap',
    by: 'jordan',
    status: 'open',
    priority: 'high',
    openedHoursAgo: 72,
    conversation: [
      'The kitchen tap drips all night.\nIt started on Monday.\nThe cupboard below is damp.',
      'Thanks Jordan — we will bring a new cartridge. Meanwhile see https://example.com/care/taps?model=k2 (turn the valve under the sink).',
      'Great, thank you!',
    ],
    lastActivityHoursAgo: 2,
    scheduledInDays: 2,
    charge: { amount: 12_500, currency: 'USD' },
  },
  {
    key: 'boiler',
    title: 'Annual boiler service',
    by: 'casey',
    status: 'scheduled',
    priority: 'normal',
    openedHoursAgo: 200,
    conversation: ['Time for the yearly service, please.', 'Booked for tomorrow morning.'],
    lastActivityHoursAgo: 26,
    scheduledInDays: 1,
    charge: { amount: 8_900, currency: 'USD' },
  },
  {
    key: 'radiator',
    title: 'Radiator in the bedroom stays cold',
    by: 'jordan',
    status: 'in_progress',
    priority: 'urgent',
    openedHoursAgo: 30,
    conversation: ['The bedroom radiator is cold even with the heating on full.', 'We are ordering a new valve.'],
    lastActivityHoursAgo: 5,
    charge: { amount: 4_500, currency: 'JPY' },
  },
  {
    key: 'fan',
    title: 'Replace bathroom extractor fan',
    by: 'jordan',
    status: 'waiting_on_customer',
    priority: 'low',
    openedHoursAgo: 400,
    conversation: ['The fan rattles.', 'Which model is it? A photo of the label would help.'],
    lastActivityHoursAgo: 48,
  },
  {
    key: 'pressure',
    title: 'Water pressure check',
    by: 'casey',
    status: 'new',
    priority: 'normal',
    openedHoursAgo: 8,
    conversation: ['The pressure upstairs is low in the mornings.'],
    lastActivityHoursAgo: 8,
  },
  {
    key: 'drain',
    title: 'Blocked drain outside',
    by: 'jordan',
    status: 'closed',
    priority: 'normal',
    openedHoursAgo: 600,
    conversation: ['The drain by the back door is blocked.', 'Cleared it today.', 'All good now, thanks.'],
    lastActivityHoursAgo: 240,
    charge: { amount: 6_000, currency: 'USD' },
  },
  {
    key: 'shower',
    title: 'Dripping shower head',
    by: 'casey',
    status: 'closed',
    priority: 'low',
    openedHoursAgo: 900,
    conversation: ['The shower head drips.', 'Replaced the washer.'],
    lastActivityHoursAgo: 700,
  },
];

/** Closed tickets beyond the first page (25) of the closed and "all" lists; no digits in their titles. */
const OLD_CLOSED_TICKETS = 24;

export interface PortalTicketsWorld {
  readonly tenant: Tenant;
  readonly jordan: Contact;
  readonly casey: Contact;
  readonly tickets: Readonly<Record<string, Ticket>>;
  readonly otherClientTicket: Ticket;
}

function clockAt(ms: number): Clock {
  return { now: () => new Date(ms) };
}

export async function seedPortalTickets(server: E2eServer): Promise<PortalTicketsWorld> {
  const db = server.deps.db;
  const ctx = { db, clock: server.deps.clock };
  const now = Date.now();
  const tenant = await createTenant(ctx, { slug: 'northwind', name: ORG_NAME, accentColor: '#1d4ed8', currency: 'USD', locale: 'en-US' });
  const agent = await addTeamMember(ctx, tenant.id, { email: 'sam@northwind.example.com', name: 'Sam Fischer', role: 'agent' });
  const household = await createClient(ctx, tenant.id, { name: 'Rivera Household', ticketVisibility: 'all' });
  const jordan = await addContact(ctx, tenant.id, household.id, { name: 'Jordan Rivera', email: 'jordan@rivera.example.com' });
  const casey = await addContact(ctx, tenant.id, household.id, { name: 'Casey Rivera', email: 'casey@rivera.example.com' });
  const neighbour = await createClient(ctx, tenant.id, { name: 'Neighbour Household', ticketVisibility: 'all' });
  const neighbourContact = await addContact(ctx, tenant.id, neighbour.id, { name: 'Nina Neighbour', email: 'nina@neighbour.example.com' });
  const scope = forTenant(db, tenant.id);

  const open = async (spec: TicketSpec, contact: Contact): Promise<Ticket> => {
    const openedAt = now - spec.openedHoursAgo * HOUR;
    const [first = spec.title, ...rest] = spec.conversation;
    const ticket = await openTicket(
      { db, clock: clockAt(openedAt) },
      tenant.id,
      {
        clientId: household.id,
        requesterContactId: contact.id,
        title: spec.title,
        body: first,
        priority: spec.priority,
        status: spec.status === 'closed' ? 'open' : spec.status,
        scheduledAt:
          spec.scheduledInDays === undefined ? null : new Date(Math.floor((now + spec.scheduledInDays * DAY) / HOUR) * HOUR).toISOString(),
        charge: spec.charge ?? null,
        source: 'portal',
      },
      { kind: 'contact', id: contact.id },
    );
    const lastAt = now - spec.lastActivityHoursAgo * HOUR;
    for (const [index, body] of rest.entries()) {
      // Spread the replies between opening and the last activity; the last one IS the last activity.
      const at = new Date(openedAt + ((lastAt - openedAt) * (index + 1)) / rest.length);
      const fromTeam = index % 2 === 0;
      await appendMessage(scope, clockAt(at.getTime()), {
        ticketId: ticket.id,
        author: fromTeam ? { kind: 'team_member', id: agent.id } : { kind: 'contact', id: contact.id },
        body,
        visibility: 'public',
        via: fromTeam ? 'app' : 'portal',
        at,
      });
    }
    await touchTicket(scope, ticket.id, new Date(lastAt));
    if (spec.status === 'closed') {
      await changeTicket(forTenant(db, tenant.id), clockAt(lastAt), ticket.id, { status: 'closed' }, { kind: 'contact', id: contact.id });
    }
    return ticket;
  };

  // Oldest first, so ticket numbers follow the age of the requests.
  for (let i = 0; i < OLD_CLOSED_TICKETS; i += 1) {
    await open(
      {
        key: `old-${i}`,
        title: 'Routine filter change',
        by: 'jordan',
        status: 'closed',
        priority: 'low',
        openedHoursAgo: 2000 + (OLD_CLOSED_TICKETS - i) * 24,
        conversation: ['Please change the water filter.', 'Done.'],
        lastActivityHoursAgo: 1500 + (OLD_CLOSED_TICKETS - i) * 24,
      },
      jordan,
    );
  }
  const tickets: Record<string, Ticket> = {};
  for (const spec of [...TICKETS].sort((a, b) => b.openedHoursAgo - a.openedHoursAgo)) {
    tickets[spec.key] = await open(spec, spec.by === 'jordan' ? jordan : casey);
  }
  // Also "Leaking kitchen tap" by title: a search that must find only the household's own ticket.
  const otherClientTicket = await openTicket(
    ctx,
    tenant.id,
    {
      clientId: neighbour.id,
      requesterContactId: neighbourContact.id,
      title: 'Neighbour leaking kitchen tap',
      body: 'Private.',
      source: 'portal',
    },
    { kind: 'contact', id: neighbourContact.id },
  );
  return { tenant, jordan, casey, tickets, otherClientTicket };
}
