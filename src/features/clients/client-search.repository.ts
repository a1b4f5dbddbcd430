import { sql } from 'kysely';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { type Client, toClient } from './client.repository.js';

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

/** `%` and `_` typed in the search box are searched for literally. */
function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
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
    const pattern = sql<string>`${likePattern(search.q)} escape '\\'`;
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
