import type { Clock } from '../../platform/clock.js';
import type { AppContext, ScopeContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { requireEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { normalisePhone } from '../../platform/phone.js';
import { parseInput } from '../../platform/validation.js';
import { revokeContactAccess } from '../auth/contact-access.service.js';
import { findTenantById } from '../tenants/tenant.service.js';
import * as repo from './client.repository.js';
import type { Client, ClientSearch, ClientSearchRow, Contact } from './client.repository.js';
import { type TCreateClientRequest, type TCreateContactRequest, ZCreateClientRequest, ZCreateContactRequest } from './client.schemas.js';

export type { Client, ClientSearch, ClientSearchRow, Contact } from './client.repository.js';

/**
 * Creates a client (a customer organisation or household) of the tenant, with the tenant's
 * default ticket visibility unless one is given.
 * @throws VALIDATION_FAILED, TENANT_NOT_FOUND
 */
export async function createClient(ctx: ScopeContext, tenantId: string, input: TCreateClientRequest): Promise<Client> {
  const data = parseInput(ZCreateClientRequest, input);
  const tenant = await findTenantById(ctx.db, tenantId);
  if (!tenant) throw new AppError('TENANT_NOT_FOUND');
  return repo.insertClient(forTenant(ctx.db, tenantId), {
    id: newId(),
    name: data.name,
    ticketVisibility: data.ticketVisibility ?? tenant.portal.clientVisibilityDefault,
    now: toDbTime(ctx.clock.now()),
  });
}

/**
 * Adds a contact (a person who signs in to the portal) to a client; the email is canonicalised and
 * unique within the tenant.
 * @throws VALIDATION_FAILED, CLIENT_NOT_FOUND, EMAIL_TAKEN
 */
export async function addContact(ctx: ScopeContext, tenantId: string, clientId: string, input: TCreateContactRequest): Promise<Contact> {
  const data = parseInput(ZCreateContactRequest, input);
  const email = requireEmail(data.email);
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    if (!(await repo.findClientById(scope, clientId))) throw new AppError('CLIENT_NOT_FOUND');
    if (await repo.findContactByEmail(scope, email)) throw new AppError('EMAIL_TAKEN');
    return repo.insertContact(scope, {
      id: newId(),
      clientId,
      email,
      name: data.name,
      phone: data.phone ?? null,
      now: toDbTime(ctx.clock.now()),
    });
  });
}

/** @throws CLIENT_NOT_FOUND (also for another tenant's client) */
export async function getClient(scope: TenantScope, clientId: string): Promise<Client> {
  const client = await repo.findClientById(scope, clientId);
  if (!client) throw new AppError('CLIENT_NOT_FOUND');
  return client;
}

/** @throws CONTACT_NOT_FOUND (also for another tenant's contact) */
export async function getContact(scope: TenantScope, contactId: string): Promise<Contact> {
  const contact = await repo.findContactById(scope, contactId);
  if (!contact) throw new AppError('CONTACT_NOT_FOUND');
  return contact;
}

export async function findContactById(scope: TenantScope, contactId: string): Promise<Contact | undefined> {
  return repo.findContactById(scope, contactId);
}

/** The client a contact belongs to (undefined if it was unlinked). */
export async function findClientOfContact(scope: TenantScope, contact: Contact): Promise<Client | undefined> {
  return repo.findClientById(scope, contact.clientId);
}

/**
 * THE way a contact is disabled, for every caller: it can no longer sign in, and its unspent
 * sign-in links and its sessions end at once, in the same transaction (the caller's, when `ctx.db`
 * is a scope). Disabling a disabled contact changes nothing and revokes nothing.
 * @throws CONTACT_NOT_FOUND
 * @returns how many links and sessions ended, or null when the contact was already disabled
 */
export async function disableContact(
  ctx: ScopeContext,
  tenantId: string,
  contactId: string,
): Promise<{ tokens: number; sessions: number } | null> {
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    const before = await getContact(scope, contactId);
    if (before.status === 'disabled') return null;
    await repo.setContactStatus(scope, contactId, 'disabled', toDbTime(ctx.clock.now()));
    return revokeContactAccess(scope, ctx.clock, contactId);
  });
}

export async function findContactByEmail(scope: TenantScope, email: string): Promise<Contact | undefined> {
  return repo.findContactByEmail(scope, email);
}

/**
 * Records that our mail to a contact's address bounced (inbound mail's DSN handling), in the
 * caller's transaction; false when the contact no longer has that address.
 */
export async function markContactEmailUndeliverable(
  scope: TenantScope,
  clock: Clock,
  contactId: string,
  bounce: { readonly email: string; readonly reason: string },
): Promise<boolean> {
  return repo.markContactEmailUndeliverable(scope, contactId, { ...bounce, now: toDbTime(clock.now()) });
}

/** Several clients at once (one query), e.g. the clients of a page of quotes. */
export async function findClientsByIds(scope: TenantScope, ids: readonly string[]): Promise<Client[]> {
  return repo.findClientsByIds(scope, ids);
}

export async function listClients(scope: TenantScope): Promise<Client[]> {
  return repo.listClients(scope);
}

export async function listContactsOfClient(scope: TenantScope, clientId: string): Promise<Contact[]> {
  return repo.listContactsOfClient(scope, clientId);
}

/** Several contacts at once (one query), e.g. the authors of a conversation. */
export async function findContactsByIds(scope: TenantScope, ids: readonly string[]): Promise<Contact[]> {
  return repo.findContactsByIds(scope, ids);
}

/**
 * Updates a contact's own profile: name, phone read in the organisation's region and stored as
 * E.164 (null or empty clears it), and whether they get non-essential ticket emails. The email is
 * not changeable here (SECURITY.md D4).
 * @throws CONTACT_NOT_FOUND, PHONE_INVALID
 */
export async function updateContactProfile(
  ctx: AppContext,
  tenantId: string,
  contactId: string,
  input: { name?: string; phone?: string | null; emailUpdates?: boolean },
  locale: string,
): Promise<Contact> {
  const phone = normalisePhone(input.phone, locale);
  const name = input.name?.trim();
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    const now = toDbTime(ctx.clock.now());
    if (!(await repo.updateContactProfile(scope, contactId, { name, phone }, now))) throw new AppError('CONTACT_NOT_FOUND');
    if (input.emailUpdates !== undefined) await repo.setContactEmailUpdates(scope, contactId, input.emailUpdates ? null : now, now);
    return getContact(scope, contactId);
  });
}

/**
 * Stops (or restarts) a contact's non-essential ticket emails, inside the caller's transaction:
 * the one-click unsubscribe. Stopping twice keeps the first time.
 * @throws CONTACT_NOT_FOUND
 */
export async function setContactEmailUpdates(scope: TenantScope, clock: Clock, contactId: string, on: boolean): Promise<void> {
  const now = toDbTime(clock.now());
  if (!(await repo.setContactEmailUpdates(scope, contactId, on ? null : now, now))) throw new AppError('CONTACT_NOT_FOUND');
}

/**
 * Sets or clears a contact's profile photo inside the caller's transaction; returns the id of the
 * photo it replaced, which the caller deletes once committed.
 * @throws CONTACT_NOT_FOUND
 */
export async function setContactPhoto(scope: TenantScope, clock: Clock, contactId: string, fileId: string | null): Promise<string | null> {
  const result = await repo.setContactPhoto(scope, contactId, fileId, toDbTime(clock.now()));
  if (!result) throw new AppError('CONTACT_NOT_FOUND');
  return result.previous;
}

/** One page of the scope's clients matching a search (their name, or a contact's name or email), A to Z. */
export async function searchClients(scope: TenantScope, search: ClientSearch): Promise<ClientSearchRow[]> {
  return repo.searchClients(scope, search);
}

/** How many contacts each client has (one query); clients without contacts are absent from the map. */
export async function countContactsOfClients(scope: TenantScope, clientIds: readonly string[]): Promise<Map<string, number>> {
  return repo.countContactsOfClients(scope, clientIds);
}

/**
 * Renames a client and/or changes which tickets its contacts see in the portal (takes effect on
 * their next request: the portal re-reads the client every time).
 * @throws CLIENT_NOT_FOUND (also for another tenant's client)
 */
export async function updateClient(
  scope: TenantScope,
  clock: Clock,
  clientId: string,
  patch: { name?: string; ticketVisibility?: 'all' | 'own' },
): Promise<Client> {
  if (!(await repo.updateClient(scope, clientId, patch, toDbTime(clock.now())))) throw new AppError('CLIENT_NOT_FOUND');
  return getClient(scope, clientId);
}

/**
 * Writes a contact's details as the team changes them, email and status included. Revoking the
 * contact's access when the email changes or it is disabled is the caller's part, in the same
 * transaction (SECURITY.md §1).
 * @throws CONTACT_NOT_FOUND (also for another tenant's contact)
 */
export async function updateContactDetails(
  scope: TenantScope,
  clock: Clock,
  contactId: string,
  patch: { email?: string; name?: string; phone?: string | null; status?: 'active' | 'disabled' },
): Promise<Contact> {
  if (!(await repo.updateContactDetails(scope, contactId, patch, toDbTime(clock.now())))) throw new AppError('CONTACT_NOT_FOUND');
  return getContact(scope, contactId);
}
