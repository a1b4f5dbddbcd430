import type { AppContext } from '../../src/platform/context.js';
import { addContact, createClient, type Client, type Contact } from '../../src/features/clients/client.service.js';
import { addTeamMember, type TeamMember } from '../../src/features/team/team.service.js';
import { createTenant, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { createTicket, type Ticket } from '../../src/features/tickets/ticket.service.js';

let counter = 0;
function unique(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter}`;
}

export interface TenantGraph {
  readonly tenant: Tenant;
  readonly member: TeamMember;
  readonly client: Client;
  readonly contact: Contact;
  readonly ticket: Ticket;
}

/** A tenant with one of everything, through the real services; overrides name the parts a test cares about. */
export async function createTenantGraph(ctx: AppContext, overrides: { slug?: string; name?: string } = {}): Promise<TenantGraph> {
  const id = unique();
  const tenant = await createTenant(ctx, { slug: overrides.slug ?? `t-${id}`, name: overrides.name ?? `Tenant ${id}` });
  const member = await addTeamMember(ctx, tenant.id, { email: `agent-${id}@team.example.com`, name: 'Agent', role: 'agent' });
  const client = await createClient(ctx, tenant.id, { name: `Client ${id}` });
  const contact = await addContact(ctx, tenant.id, client.id, { email: `contact-${id}@customer.example.com`, name: 'Casey Customer' });
  const ticket = await createTicket(
    ctx,
    tenant.id,
    { clientId: client.id, requesterContactId: contact.id, title: 'Leaking tap', body: 'It drips.', source: 'portal' },
    { kind: 'contact', id: contact.id },
  );
  return { tenant, member, client, contact, ticket };
}
