import { Readable } from 'node:stream';
import sharp from 'sharp';
import { replaceContactPhoto } from '../../src/features/attachments/profile-photo.service.js';
import { addContact, createClient, type Contact } from '../../src/features/clients/client.service.js';
import { appendMessage } from '../../src/features/messages/message.service.js';
import type { TeamMember } from '../../src/features/team/team.service.js';
import type { TeamViewer } from '../../src/features/team/team-viewer.js';
import { changeTeamTicket } from '../../src/features/tickets/team-ticket.service.js';
import { createTenant, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { type Ticket, touchTicket } from '../../src/features/tickets/ticket.service.js';
import type { Clock } from '../../src/platform/clock.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import type { E2eServer } from './e2e-server.js';
import { createTeamMemberWithPassword, openTicket, TEAM_PASSWORD } from '../helpers/factories.js';

/**
 * A demo-like organisation for the team-app journeys, written through the real services: an
 * owner and an agent with passwords, three clients with contacts (one with a profile photo), and
 * about thirty tickets in every status, priority and assignment, with conversations that include
 * an internal note. The organisation works on New York time, which the journeys check.
 */
export const TEAM_ORG = 'Harbor Home Services';
/** Every member of the world signs in with the factories' password. */
export const PASSWORD = TEAM_PASSWORD;
const HOUR = 3_600_000;

type Status = 'new' | 'open' | 'scheduled' | 'in_progress' | 'waiting_on_customer' | 'closed';
type Priority = 'low' | 'normal' | 'high' | 'urgent';

export interface TeamAppWorld {
  readonly tenant: Tenant;
  readonly owner: TeamMember;
  readonly agent: TeamMember;
  readonly ownerEmail: string;
  readonly agentEmail: string;
  readonly jordan: Contact;
  readonly tickets: Readonly<Record<string, Ticket>>;
}

const FIRST = [
  ['tap', 'Kitchen tap drips all night', 'open', 'high'],
  ['boiler', 'Boiler makes a banging noise', 'new', 'urgent'],
  ['gutter', 'Gutter overflowing at the back', 'waiting_on_customer', 'normal'],
  ['heater', 'Water heater service', 'scheduled', 'normal'],
  ['outlet', 'Outlet in the garage is dead', 'in_progress', 'high'],
] as const;

const MORE_TITLES = [
  'Squeaky garage door',
  'Replace smoke alarm batteries',
  'Leak under the bathroom sink',
  'Fence panel blown down',
  'Dishwasher not draining',
  'Thermostat reads wrong',
  'Window will not close',
  'Mould in the shower corner',
  'Doorbell stopped working',
  'Sprinkler head broken',
  'Loose stair railing',
  'Attic fan noisy',
  'Clogged kitchen drain',
  'Cracked tile in hallway',
  'Porch light flickers',
  'Washing machine hose leak',
  'Radiator valve stuck',
  'Gate latch broken',
  'Chimney inspection',
  'Patio drain slow',
  'Ceiling stain after rain',
  'Basement smells damp',
  'Toilet keeps running',
  'Hot water runs out fast',
  'Annual furnace check',
] as const;
const STATUSES: readonly Status[] = ['new', 'open', 'scheduled', 'in_progress', 'waiting_on_customer', 'closed'];
const PRIORITIES: readonly Priority[] = ['low', 'normal', 'normal', 'high', 'urgent'];

function clockAt(ms: number): Clock {
  return { now: () => new Date(ms) };
}

/** A square "portrait" (a face-coloured circle on a blue ground), small and with no metadata. */
async function portraitJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">
    <rect width="256" height="256" fill="#3b82c4"/>
    <circle cx="128" cy="104" r="56" fill="#f2c9a0"/>
    <ellipse cx="128" cy="250" rx="96" ry="78" fill="#1e3a5f"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

export async function seedTeamApp(server: E2eServer): Promise<TeamAppWorld> {
  const { db } = server.deps;
  const ctx = { db, clock: server.deps.clock };
  const now = Date.now();
  const tenant = await createTenant(ctx, {
    slug: 'harbor',
    name: TEAM_ORG,
    accentColor: '#0f766e',
    currency: 'USD',
    locale: 'en-US',
    timeZone: 'America/New_York',
  });
  const ownerEmail = 'olivia@harbor.example.com';
  const agentEmail = 'sam@harbor.example.com';
  const { member: owner } = await createTeamMemberWithPassword(server, tenant.id, {
    email: ownerEmail,
    name: 'Olivia Owner',
    role: 'owner',
    password: PASSWORD,
  });
  const { member: agent } = await createTeamMemberWithPassword(server, tenant.id, {
    email: agentEmail,
    name: 'Sam Agent',
    role: 'agent',
    password: PASSWORD,
  });
  const viewer: TeamViewer = { tenant, memberId: owner.id, name: owner.name, email: ownerEmail, role: 'owner' };

  const rivera = await createClient(ctx, tenant.id, { name: 'Rivera Household', ticketVisibility: 'all' });
  const jordan = await addContact(ctx, tenant.id, rivera.id, {
    name: 'Jordan Rivera',
    email: 'jordan@rivera.example.com',
    phone: '+1 312 555 0142',
  });
  const bakery = await createClient(ctx, tenant.id, { name: 'Maple Street Bakery', ticketVisibility: 'all' });
  const mia = await addContact(ctx, tenant.id, bakery.id, { name: 'Mia Chen', email: 'mia@maplebakery.example.com' });
  const lofts = await createClient(ctx, tenant.id, { name: 'Riverside Lofts HOA', ticketVisibility: 'own' });
  const priya = await addContact(ctx, tenant.id, lofts.id, { name: 'Priya Patel', email: 'priya@riversidelofts.example.com' });
  await addContact(ctx, tenant.id, lofts.id, { name: 'Tom Becker', email: 'tom@riversidelofts.example.com' });
  await replaceContactPhoto(
    { ...ctx, files: server.deps.files },
    { tenantId: tenant.id, id: jordan.id },
    (async function* () {
      yield { fieldName: 'photo', file: { fileName: 'jordan.jpg', stream: Readable.from(await portraitJpeg()) } };
    })(),
    { maxFileBytes: server.config.files.maxFileBytes, tenantQuotaBytes: server.config.files.tenantQuotaBytes },
  );

  const scope = forTenant(db, tenant.id);
  const tickets: Record<string, Ticket> = {};
  const open = async (
    key: string,
    spec: {
      title: string;
      contact: Contact;
      clientId: string;
      status: Status;
      priority: Priority;
      hoursAgo: number;
      assignee?: string | null;
    },
  ) => {
    const openedAt = now - spec.hoursAgo * HOUR;
    const ticket = await openTicket(
      { db, clock: clockAt(openedAt) },
      tenant.id,
      {
        clientId: spec.clientId,
        requesterContactId: spec.contact.id,
        title: spec.title,
        body: `${spec.title}. Could someone come and have a look?`,
        priority: spec.priority,
        status: spec.status === 'closed' ? 'open' : spec.status,
        source: 'portal',
      },
      { kind: 'contact', id: spec.contact.id },
    );
    await touchTicket(scope, ticket.id, new Date(openedAt));
    if (spec.assignee) await changeTeamTicket(ctx, viewer, ticket.id, { assigneeId: spec.assignee });
    if (spec.status === 'closed') await changeTeamTicket(ctx, viewer, ticket.id, { status: 'closed' });
    tickets[key] = ticket;
    return ticket;
  };

  // Older tickets first, so the numbers follow age and the five below are the newest.
  for (const [index, title] of MORE_TITLES.entries()) {
    const client = [rivera, bakery, lofts][index % 3]!;
    const contact = [jordan, mia, priya][index % 3]!;
    await open(`more-${index}`, {
      title,
      contact,
      clientId: client.id,
      status: STATUSES[index % STATUSES.length]!,
      priority: PRIORITIES[index % PRIORITIES.length]!,
      hoursAgo: 300 - index * 10,
      assignee: index % 4 === 0 ? null : index % 2 === 0 ? owner.id : agent.id,
    });
  }
  for (const [index, [key, title, status, priority]] of FIRST.entries()) {
    await open(key, {
      title,
      contact: index === 0 ? jordan : index % 2 === 0 ? mia : priya,
      clientId: index === 0 ? rivera.id : index % 2 === 0 ? bakery.id : lofts.id,
      status,
      priority,
      hoursAgo: 40 - index * 8,
      assignee: index === 0 ? agent.id : index === 3 ? owner.id : null,
    });
  }

  // The tap ticket has a real conversation: the customer, the team, a note, and the customer again.
  const tap = tickets.tap!;
  const say = async (hoursAgo: number, author: 'jordan' | 'sam' | 'olivia', body: string, visibility: 'public' | 'internal') => {
    const at = new Date(now - hoursAgo * HOUR);
    const member = author === 'sam' ? agent : owner;
    await appendMessage(scope, clockAt(at.getTime()), {
      ticketId: tap.id,
      author: author === 'jordan' ? { kind: 'contact', id: jordan.id } : { kind: 'team_member', id: member.id },
      body,
      visibility,
      via: author === 'jordan' ? 'portal' : 'app',
      at,
    });
    await touchTicket(scope, tap.id, at);
  };
  await say(30, 'sam', 'Thanks Jordan, we will bring a new cartridge. Is the shut-off valve under the sink easy to reach?', 'public');
  await say(29, 'olivia', 'Cartridge K2 is in the van. The last visit here took two hours, book a long slot.', 'internal');
  await say(3, 'jordan', 'Yes, the valve is right at the front of the cupboard. Tuesday morning works for us.', 'public');
  await changeTeamTicket(ctx, viewer, tap.id, { charge: { amount: 12_500, currency: 'USD' } });
  return { tenant, owner, agent, ownerEmail, agentEmail, jordan, tickets };
}
