import { expect } from 'vitest';
import type { AppContext } from '../../src/platform/context.js';
import { findTeamAccountById, setTeamAccountPassword } from '../../src/features/auth/team-account.service.js';
import { addContact, createClient, type Client, type Contact } from '../../src/features/clients/client.service.js';
import { openSession, sessionLifetimesOf } from '../../src/features/sessions/session.service.js';
import { openTeamSession } from '../../src/features/sessions/team-session.service.js';
import { addTeamMember, type TeamMember } from '../../src/features/team/team.service.js';
import { createTenant, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { type Actor, createTicket, type Ticket } from '../../src/features/tickets/ticket.service.js';
import type { TCreateTicketRequest } from '../../src/features/tickets/ticket.schemas.js';
import { sessionCookieName } from '../../src/http/session-cookie.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { sessionCookieOf, type SignInDriver } from './sign-in.js';
import { teamApi, type TeamApi } from './team-api.js';
import type { TestApp } from './test-app.js';

/**
 * The one place tests build what they need: tenants, members, clients, contacts, tickets and
 * signed-in sessions, always through the real services (the same rows and checks as production).
 */

let counter = 0;
function unique(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter}`;
}

/** A new address per call, so per-email limits and unique constraints never mix tests. */
export function uniqueEmail(label: string, domain = 'team.example.com'): string {
  return `${label}-${unique()}@${domain}`;
}

/** A new tenant slug per call (slugs are global). */
export function uniqueSlug(label: string): string {
  return `${label}-${unique()}`;
}

/** The password every team member made by `createTeamMemberWithPassword` signs in with, unless told otherwise. */
export const TEAM_PASSWORD = 'correct horse battery staple';

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
  const ticket = await openContactTicket(ctx, contact, { title: 'Leaking tap', body: 'It drips.' });
  return { tenant, member, client, contact, ticket };
}

/** A ticket opened through the real service (`ctx.clock` dates it), in its own transaction. */
export async function openTicket(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  tenantId: string,
  input: TCreateTicketRequest,
  actor: Actor = { kind: 'system', id: null },
): Promise<Ticket> {
  const { ticket } = await createTicket(forTenant(ctx.db, tenantId), ctx.clock, input, actor);
  return ticket;
}

/** A ticket a contact opened in the portal (for their own client). */
export function openContactTicket(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  contact: Contact,
  input: { title: string; body: string },
): Promise<Ticket> {
  return openTicket(
    ctx,
    contact.tenantId,
    { clientId: contact.clientId, requesterContactId: contact.id, title: input.title, body: input.body, source: 'portal' },
    { kind: 'contact', id: contact.id },
  );
}

/** A tenant graph (its member is an agent) plus an owner and an admin, each with a team API. */
export interface TeamTenant {
  readonly g: TenantGraph;
  readonly owner: TeamMember;
  readonly admin: TeamMember;
  readonly as: { readonly owner: TeamApi; readonly admin: TeamApi; readonly agent: TeamApi };
}

export async function createTeamTenant(t: TestApp, overrides: { name?: string } = {}): Promise<TeamTenant> {
  const g = await createTenantGraph(t.deps, overrides);
  const add = (role: 'owner' | 'admin') =>
    addTeamMember(t.deps, g.tenant.id, { email: `${role}-${g.tenant.slug}@team.example.com`, name: `${role} of ${g.tenant.slug}`, role });
  const owner = await add('owner');
  const admin = await add('admin');
  const api = async (memberId: string) => teamApi(t, await teamCookieFor(t, g.tenant.id, memberId));
  return { g, owner, admin, as: { owner: await api(owner.id), admin: await api(admin.id), agent: await api(g.member.id) } };
}

/**
 * The `Cookie` header value (`servelo_team=…`) of a new team session for this membership, opened
 * through the session service (the same rows and checks as a sign-in, without the password round
 * trip); the team API then re-reads tenant, membership status and role on every request.
 */
export async function teamCookieFor(t: Pick<TestApp, 'deps' | 'config'>, tenantId: string, memberId: string): Promise<string> {
  const { token } = await openTeamSession(
    t.deps,
    { id: memberId, tenantId },
    sessionLifetimesOf(t.config, 'team'),
    { ip: null, userAgent: null },
    undefined,
  );
  return `${sessionCookieName(t.config, 'team')}=${token}`;
}

/** An active member with a password (a new account, or the existing account of that email) and a signed-in cookie. */
export async function createTeamMemberWithPassword(
  t: Pick<TestApp, 'deps' | 'config'>,
  tenantId: string,
  input: { email: string; name: string; role: TeamMember['role']; password: string },
): Promise<{ member: TeamMember; cookie: string }> {
  const member = await addTeamMember(t.deps, tenantId, { email: input.email, name: input.name, role: input.role });
  const account = await findTeamAccountById(t.deps.db, member.accountId);
  if (!account) throw new Error('the member has no account');
  await setTeamAccountPassword(t.deps, account, input.password, t.config.teamAuth.argon2);
  return { member, cookie: await teamCookieFor(t, tenantId, member.id) };
}

/** The `Cookie` header of a portal session for a contact, opened through the session service (the rows a sign-in writes). */
export async function portalCookieFor(t: TestApp, contact: Pick<Contact, 'id' | 'tenantId'>): Promise<string> {
  const { token } = await openSession(forTenant(t.deps.db, contact.tenantId), t.clock, {
    audience: 'portal',
    subjectId: contact.id,
    lifetimes: sessionLifetimesOf(t.config, 'portal'),
    meta: { ip: null, userAgent: null },
  });
  return `${sessionCookieName(t.config, 'portal')}=${token}`;
}

/**
 * The `Cookie` header of a portal session signed in the whole way: a sign-in link by email (the
 * link limiter is passed by asking the service) and its confirmation over HTTP, with a cookie to
 * replace if given.
 */
export async function signInContact(d: SignInDriver, tenant: Pick<Tenant, 'id' | 'slug'>, email: string, cookie?: string): Promise<string> {
  const { token } = await d.serviceLinkFor(tenant.id, email);
  const res = await d.confirm(tenant.slug, token, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return sessionCookieOf(res);
}
