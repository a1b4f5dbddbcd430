import { type Selectable, sql } from 'kysely';
import type { ClientTable, ContactTable } from '../../platform/db/database.js';
import { containsPattern } from '../../platform/db/like.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

export interface Client {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly ticketVisibility: 'all' | 'own';
  readonly createdAt: Date;
}

export interface Contact {
  readonly id: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly email: string;
  readonly name: string;
  readonly phone: string | null;
  /** The re-encoded profile photo (a `file` row), if any. */
  readonly photoFileId: string | null;
  readonly status: 'active' | 'disabled';
  /** A bounce of our mail said this address does not receive email (when, and the bounce's words). */
  readonly emailUndeliverable: { readonly at: Date; readonly reason: string | null } | null;
  readonly createdAt: Date;
  /** When the contact stopped non-essential emails about their tickets; null: updates on. */
  readonly emailUpdatesOffAt: Date | null;
}

export function toClient(row: Selectable<ClientTable>): Client {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    ticketVisibility: row.ticket_visibility,
    createdAt: fromDbTime(row.created_at),
  };
}

function toContact(row: Selectable<ContactTable>): Contact {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    photoFileId: row.photo_file_id,
    status: row.status,
    emailUndeliverable:
      row.email_undeliverable_at === null || row.email_undeliverable_at === undefined
        ? null
        : { at: fromDbTime(row.email_undeliverable_at), reason: row.email_undeliverable_reason ?? null },
    createdAt: fromDbTime(row.created_at),
    emailUpdatesOffAt: row.email_updates_off_at ? fromDbTime(row.email_updates_off_at) : null,
  };
}

export async function insertClient(
  scope: TenantScope,
  c: { id: string; name: string; ticketVisibility: 'all' | 'own'; now: string },
): Promise<Client> {
  const row = await scope
    .insertInto('client', { id: c.id, name: c.name, ticket_visibility: c.ticketVisibility, created_at: c.now, updated_at: c.now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toClient(row);
}

export async function findClientById(scope: TenantScope, id: string): Promise<Client | undefined> {
  const row = await scope.selectFrom('client').selectAll().where('client.id', '=', id).executeTakeFirst();
  return row && toClient(row);
}

/** Several clients at once (one query). */
export async function findClientsByIds(scope: TenantScope, ids: readonly string[]): Promise<Client[]> {
  if (ids.length === 0) return [];
  const rows = await scope
    .selectFrom('client')
    .selectAll()
    .where('client.id', 'in', [...ids])
    .execute();
  return rows.map((r) => toClient(r));
}

export async function listClients(scope: TenantScope): Promise<Client[]> {
  const rows = await scope.selectFrom('client').selectAll().orderBy('client.name').orderBy('client.id').execute();
  return rows.map((r) => toClient(r));
}

export async function insertContact(
  scope: TenantScope,
  c: { id: string; clientId: string; email: string; name: string; phone: string | null; now: string },
): Promise<Contact> {
  const row = await scope
    .insertInto('contact', {
      id: c.id,
      client_id: c.clientId,
      email: c.email,
      name: c.name,
      phone: c.phone,
      photo_file_id: null,
      created_at: c.now,
      updated_at: c.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toContact(row);
}

export async function findContactByEmail(scope: TenantScope, email: string): Promise<Contact | undefined> {
  const row = await scope.selectFrom('contact').selectAll().where('contact.email', '=', email).executeTakeFirst();
  return row && toContact(row);
}

export async function findContactById(scope: TenantScope, id: string): Promise<Contact | undefined> {
  const row = await scope.selectFrom('contact').selectAll().where('contact.id', '=', id).executeTakeFirst();
  return row && toContact(row);
}

export async function listContactsOfClient(scope: TenantScope, clientId: string): Promise<Contact[]> {
  const rows = await scope
    .selectFrom('contact')
    .selectAll()
    .where('contact.client_id', '=', clientId)
    .orderBy('contact.name')
    .orderBy('contact.id')
    .execute();
  return rows.map((r) => toContact(r));
}

export async function setContactStatus(scope: TenantScope, id: string, status: 'active' | 'disabled', now: string): Promise<boolean> {
  const result = await scope.updateTable('contact').set({ status, updated_at: now }).where('contact.id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Turns the contact's non-essential ticket emails off (at `offAt`) or back on (null). Turning them
 * off again keeps the first time: the row says since when, not when last clicked.
 */
export async function setContactEmailUpdates(scope: TenantScope, id: string, offAt: string | null, now: string): Promise<boolean> {
  const result = await scope
    .updateTable('contact')
    .set((eb) => ({
      email_updates_off_at: offAt === null ? null : eb.fn.coalesce('contact.email_updates_off_at', eb.val(offAt)),
      updated_at: now,
    }))
    .where('contact.id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Several contacts at once (one query), for showing authors' names. */
export async function findContactsByIds(scope: TenantScope, ids: readonly string[]): Promise<Contact[]> {
  if (ids.length === 0) return [];
  const rows = await scope
    .selectFrom('contact')
    .selectAll()
    .where('contact.id', 'in', [...ids])
    .execute();
  return rows.map(toContact);
}

export async function updateContactProfile(
  scope: TenantScope,
  id: string,
  patch: { name?: string; phone?: string | null },
  now: string,
): Promise<boolean> {
  const result = await scope
    .updateTable('contact')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      updated_at: now,
    })
    .where('contact.id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Points the contact at a new photo (or none); returns the one it replaces, for deletion. */
export async function setContactPhoto(
  scope: TenantScope,
  id: string,
  fileId: string | null,
  now: string,
): Promise<{ previous: string | null } | undefined> {
  const row = await scope.selectFrom('contact').select('contact.photo_file_id').where('contact.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  await scope.updateTable('contact').set({ photo_file_id: fileId, updated_at: now }).where('contact.id', '=', id).execute();
  return { previous: row.photo_file_id };
}

/** Changes a client's name and/or ticket visibility; false when no such client in the scope. */
export async function updateClient(
  scope: TenantScope,
  id: string,
  patch: { name?: string; ticketVisibility?: 'all' | 'own' },
  now: string,
): Promise<boolean> {
  const result = await scope
    .updateTable('client')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.ticketVisibility !== undefined ? { ticket_visibility: patch.ticketVisibility } : {}),
      updated_at: now,
    })
    .where('client.id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Marks a contact's address as one our mail bounces from, only while it is still that address
 * (a bounce for an address the team has since changed says nothing about the new one).
 */
export async function markContactEmailUndeliverable(
  scope: TenantScope,
  id: string,
  mark: { email: string; reason: string; now: string },
): Promise<boolean> {
  const result = await scope
    .updateTable('contact')
    .set({ email_undeliverable_at: mark.now, email_undeliverable_reason: mark.reason, updated_at: mark.now })
    .where('contact.id', '=', id)
    .where('contact.email', '=', mark.email)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Changes what the team may change on a contact (email included); false when no such contact in the scope. */
export async function updateContactDetails(
  scope: TenantScope,
  id: string,
  patch: { email?: string; name?: string; phone?: string | null; status?: 'active' | 'disabled' },
  now: string,
): Promise<boolean> {
  const result = await scope
    .updateTable('contact')
    .set({
      // A new address has no bounce on record.
      ...(patch.email !== undefined ? { email: patch.email, email_undeliverable_at: null, email_undeliverable_reason: null } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      updated_at: now,
    })
    .where('contact.id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** How many contacts each of these clients has (one grouped query); clients without contacts are absent. */
export async function countContactsOfClients(scope: TenantScope, clientIds: readonly string[]): Promise<Map<string, number>> {
  if (clientIds.length === 0) return new Map();
  const rows = await scope
    .selectFrom('contact')
    .select((eb) => ['contact.client_id', eb.fn.countAll<number | string>().as('n')])
    .where('contact.client_id', 'in', [...clientIds])
    .groupBy('contact.client_id')
    .execute();
  return new Map(rows.map((r) => [r.client_id, Number(r.n)]));
}

export interface ClientSearch {
  /** Part of the client's name, or of one of its contacts' names or emails. */
  readonly q?: string;
  /** Keyset position: the sort key and id of the last client of the previous page. */
  readonly after?: { readonly sortKey: string; readonly id: string };
  readonly limit: number;
}

/** A client with the key it is sorted by, so the next page's cursor uses the database's own `lower()`. */
export interface ClientSearchRow {
  readonly client: Client;
  readonly sortKey: string;
}

/**
 * One page of the tenant's clients, A to Z (case-insensitive), by keyset on (lower(name), id).
 * With `q`, a client matches on its own name or on any of its contacts' names or emails; the
 * contact subquery runs on the same tenant scope, so it never sees another tenant's contacts.
 * The sort key is the database's `lower()` (ASCII-only on SQLite): the cursor must use the very
 * value the database compares, not JavaScript's lower case.
 */
export async function searchClients(scope: TenantScope, search: ClientSearch): Promise<ClientSearchRow[]> {
  const sortKey = sql<string>`lower(${sql.ref('client.name')})`;
  let query = scope.selectFrom('client').selectAll('client').select(sortKey.as('sort_key'));
  if (search.q) {
    const pattern = containsPattern(search.q);
    const byContact = scope
      .selectFrom('contact')
      .select('contact.client_id')
      .where((eb) =>
        eb.or([eb(sql`lower(${eb.ref('contact.name')})`, 'like', pattern), eb(sql`lower(${eb.ref('contact.email')})`, 'like', pattern)]),
      );
    query = query.where((eb) => eb.or([eb(sortKey, 'like', pattern), eb('client.id', 'in', byContact)]));
  }
  if (search.after) {
    const { sortKey: afterKey, id } = search.after;
    query = query.where((eb) => eb.or([eb(sortKey, '>', afterKey), eb.and([eb(sortKey, '=', afterKey), eb('client.id', '>', id)])]));
  }
  const rows = await query.orderBy(sortKey).orderBy('client.id').limit(search.limit).execute();
  return rows.map(({ sort_key, ...row }) => ({ client: toClient(row), sortKey: sort_key }));
}
