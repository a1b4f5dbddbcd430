import type { Clock } from '../../platform/clock.js';
import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { generateLogoPng } from '../tenants/branding.service.js';
import { addContact, createClient } from '../clients/client.service.js';
import { addImageAttachment } from '../attachments/image-attachment.service.js';
import { appendMessage, listMessagesOfTicket } from '../messages/message.service.js';
import { addTeamMember } from '../team/team.service.js';
import { setTeamAccountPassword } from '../auth/team-account.service.js';
import { generatePassword } from '../../platform/crypto.js';
import { createTenant, findTenantBySlug, getTenantBySlug, setTenantLogo, type Tenant } from '../tenants/tenant.service.js';
import { changeTicket, createTicket, touchTicket } from '../tickets/ticket.service.js';
import { DEMO_CLIENTS, DEMO_TEAM, DEMO_TENANT } from './demo-data.js';
import { demoPhotos } from './demo-photos.js';
import { seedDemoQuotes } from './demo-quotes.js';
import { DEMO_TICKETS } from './demo-tickets.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const SEED_WAIT_MS = 30_000;

export interface DemoSeedResult {
  readonly created: boolean;
  readonly tenant: Tenant;
  /** The demo team's generated passwords, when asked for and the tenant was created now (shown once). */
  readonly teamCredentials: readonly DemoCredential[];
}

export interface DemoCredential {
  readonly email: string;
  readonly password: string;
  readonly role: 'owner' | 'admin' | 'agent';
}

/**
 * Seeds the "Acme Plumbing" demo tenant (slug `demo`) with its team, clients, contacts, about
 * thirty tickets in every status, quotes in every state, and two photos on the first ticket. Idempotent: when the tenant
 * exists nothing changes. Everything but the files (logo, photos) is written in one transaction,
 * so a failed seed leaves no half tenant; a failed file only leaves it without that file.
 */
export async function seedDemoTenant(
  ctx: AppContext & { files: FileStore },
  options: { teamPasswords?: boolean } = {},
): Promise<DemoSeedResult> {
  const existing = await findTenantBySlug(ctx.db, DEMO_TENANT.slug);
  if (existing) return { created: false, tenant: existing, teamCredentials: [] };
  // Development only (the caller decides): a random password per demo member, generated now,
  // never a literal in the code, so a demo that ends up reachable is not open to everyone.
  const teamCredentials: DemoCredential[] = options.teamPasswords
    ? DEMO_TEAM.map((m) => ({ email: m.email, password: generatePassword(20), role: m.role }))
    : [];

  const seededAt = ctx.clock.now().getTime();
  const seeded = await inTransaction(ctx.db, async (trx) => {
    const tctx: AppContext = { db: trx, clock: ctx.clock };
    const created = await createTenant(tctx, DEMO_TENANT);
    const team = [];
    for (const member of DEMO_TEAM) {
      const added = await addTeamMember(tctx, created.id, member);
      const credential = teamCredentials.find((c) => c.email === added.email);
      if (credential) await setTeamAccountPassword(tctx, { id: added.accountId, email: added.email }, credential.password);
      team.push(added);
    }
    const clients = [];
    for (const c of DEMO_CLIENTS) {
      const client = await createClient(tctx, created.id, { name: c.name, ticketVisibility: c.ticketVisibility });
      const contacts = [];
      for (const contact of c.contacts) contacts.push(await addContact(tctx, created.id, client.id, contact));
      clients.push({ client, contacts });
    }
    let photoTarget: { ticketId: string; contactId: string } | undefined;
    const ticketIds: string[] = [];
    for (const [index, t] of DEMO_TICKETS.entries()) {
      const { client, contacts } = clients[t.client] ?? raise(`demo ticket ${index} names a missing client`);
      const contact = contacts[t.contact] ?? raise(`demo ticket ${index} names a missing contact`);
      const agent = team[index % team.length] ?? raise('demo team is empty');
      const openedAt = seededAt - t.openedDaysAgo * DAY - (index % 7) * HOUR - 2 * HOUR;
      const scope = forTenant(trx, created.id);
      const { ticket } = await createTicket(
        scope,
        fixedClock(openedAt),
        {
          clientId: client.id,
          requesterContactId: contact.id,
          title: t.title,
          body: t.conversation[0],
          priority: t.priority,
          status: t.status === 'closed' ? 'open' : t.status,
          scheduledAt:
            t.scheduledInDays === undefined ? null : new Date(roundToHour(seededAt + t.scheduledInDays * DAY + 9 * HOUR)).toISOString(),
          charge: t.charge === undefined ? null : { amount: t.charge, currency: DEMO_TENANT.currency },
          source: index % 3 === 0 ? 'email' : 'portal',
        },
        { kind: 'contact', id: contact.id },
      );
      photoTarget ??= { ticketId: ticket.id, contactId: contact.id };
      ticketIds.push(ticket.id);
      let at = openedAt;
      for (const [i, body] of t.conversation.slice(1).entries()) {
        at += (i + 1) * 3 * HOUR;
        const fromTeam = i % 2 === 0;
        await appendMessage(scope, ctx.clock, {
          ticketId: ticket.id,
          author: fromTeam ? { kind: 'team_member', id: agent.id } : { kind: 'contact', id: contact.id },
          body,
          visibility: 'public',
          via: fromTeam ? 'app' : 'portal',
          at: new Date(at),
        });
        await touchTicket(scope, ticket.id, new Date(at));
      }
      if (t.status === 'closed') {
        await changeTicket(scope, fixedClock(at + HOUR), ticket.id, { status: 'closed' }, { kind: 'contact', id: contact.id });
      }
    }
    await seedDemoQuotes(forTenant(trx, created.id), created, seededAt, {
      clients: clients.map(({ client, contacts }) => ({ id: client.id, contactIds: contacts.map((c) => c.id) })),
      ticketIds,
      memberId: team[0]?.id ?? raise('demo team is empty'),
    });
    return { created, photoTarget };
  }).catch(async (error: unknown) => {
    // Two instances starting together on an empty database both seed; the one whose transaction
    // loses (the slug's unique index, or SQLite's write lock) waits for the winner's tenant instead.
    if (await waitForDemoTenant(ctx)) return undefined;
    throw error;
  });
  if (!seeded) return { created: false, tenant: await getTenantBySlug(ctx.db, DEMO_TENANT.slug), teamCredentials: [] };
  const tenant = seeded.created;
  if (seeded.photoTarget) await attachDemoPhotos(ctx, tenant.id, seeded.photoTarget);

  // The logo is a file, outside the transaction: a failure here leaves a tenant without a logo, which the portal handles.
  const logoKey = `tenants/${tenant.id}/logo.png`;
  await ctx.files.put(logoKey, await generateLogoPng(tenant.name, tenant.accentColor));
  await setTenantLogo(ctx, tenant.id, logoKey);
  return { created: true, tenant: await getTenantBySlug(ctx.db, DEMO_TENANT.slug), teamCredentials };
}

/** Whether another instance's seed commits the demo tenant within a while (a seed takes about a second). */
async function waitForDemoTenant(ctx: AppContext): Promise<boolean> {
  for (let waited = 0; waited <= SEED_WAIT_MS; waited += 100) {
    if (await findTenantBySlug(ctx.db, DEMO_TENANT.slug).catch(() => undefined)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** The first ticket's opening message gets two photos, so the portal shows attachments from the start. */
async function attachDemoPhotos(ctx: AppContext & { files: FileStore }, tenantId: string, target: { ticketId: string; contactId: string }) {
  const [first] = await listMessagesOfTicket(forTenant(ctx.db, tenantId), target.ticketId, { publicOnly: true });
  if (!first) return;
  for (const photo of await demoPhotos()) {
    await addImageAttachment(ctx, {
      tenantId,
      uploader: { kind: 'contact', id: target.contactId },
      ticketId: target.ticketId,
      messageId: first.id,
      name: photo.name,
      bytes: photo.bytes,
      type: 'image/jpeg',
    });
  }
}

function fixedClock(at: number): Clock {
  return { now: () => new Date(at) };
}

function roundToHour(ms: number): number {
  return Math.floor(ms / HOUR) * HOUR;
}

function raise(message: string): never {
  throw new Error(message);
}
