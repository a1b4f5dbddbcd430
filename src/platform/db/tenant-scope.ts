import type {
  DeleteQueryBuilder,
  DeleteResult,
  InsertQueryBuilder,
  InsertResult,
  Insertable,
  SelectQueryBuilder,
  UpdateQueryBuilder,
  UpdateResult,
} from 'kysely';
import type { Database, Executor, TenantOwnedTable } from './database.js';
import { inTransaction } from './transaction.js';

export type TenantInsert<T extends TenantOwnedTable> = Omit<Insertable<Database[T]>, 'tenant_id'>;

// Set by TenantScope's static block: the one reader of a scope's private executor.
let unwrapScope: (scope: TenantScope) => Executor;

/**
 * The one place tenancy is enforced (ARCHITECTURE.md §4.3). Every query on a tenant-owned table
 * starts here: reads, updates and deletes get `tenant_id = ?` on the root table, inserts have
 * `tenant_id` stamped. Joins follow composite foreign keys `(tenant_id, x_id)`, so a joined row
 * always belongs to the same tenant as the root row. Repositories of tenant data take a
 * `TenantScope` named `scope`; a lint rule flags tenant tables queried any other way.
 *
 * The tenant id comes from the request context (slug or host) or from a trusted caller (CLI,
 * worker job payload), never from a request body or query string.
 */
export class TenantScope {
  // Private so that no caller can step around the predicate with `scope.db.selectFrom('ticket')`;
  // global tables written in the scope's transaction (outbox, team accounts, the tenant's counter)
  // take the scope itself and unwrap it with executorOf.
  readonly #db: Executor;

  static {
    unwrapScope = (scope) => scope.#db;
  }

  constructor(
    db: Executor,
    readonly tenantId: string,
  ) {
    this.#db = db;
  }

  selectFrom<T extends TenantOwnedTable>(table: T): SelectQueryBuilder<Database, T, object> {
    // The casts are confined here: Kysely cannot type a column reference built from a generic table name.
    const query = this.#db.selectFrom(table as TenantOwnedTable) as unknown as SelectQueryBuilder<Database, TenantOwnedTable, object>;
    return query.where(`${table}.tenant_id` as 'ticket.tenant_id', '=', this.tenantId) as unknown as SelectQueryBuilder<
      Database,
      T,
      object
    >;
  }

  insertInto<T extends TenantOwnedTable>(
    table: T,
    values: TenantInsert<T> | readonly TenantInsert<T>[],
  ): InsertQueryBuilder<Database, T, InsertResult> {
    const rows = (Array.isArray(values) ? values : [values]).map((row: TenantInsert<T>) => ({ ...row, tenant_id: this.tenantId }));
    return this.#db.insertInto(table).values(rows as never) as unknown as InsertQueryBuilder<Database, T, InsertResult>;
  }

  updateTable<T extends TenantOwnedTable>(table: T): UpdateQueryBuilder<Database, T, T, UpdateResult> {
    const query = this.#db.updateTable(table as TenantOwnedTable) as unknown as UpdateQueryBuilder<
      Database,
      'ticket',
      'ticket',
      UpdateResult
    >;
    return query.where(`${table}.tenant_id` as 'ticket.tenant_id', '=', this.tenantId) as unknown as UpdateQueryBuilder<
      Database,
      T,
      T,
      UpdateResult
    >;
  }

  deleteFrom<T extends TenantOwnedTable>(table: T): DeleteQueryBuilder<Database, T, DeleteResult> {
    const query = this.#db.deleteFrom(table as TenantOwnedTable) as unknown as DeleteQueryBuilder<Database, 'ticket', DeleteResult>;
    return query.where(`${table}.tenant_id` as 'ticket.tenant_id', '=', this.tenantId) as unknown as DeleteQueryBuilder<
      Database,
      T,
      DeleteResult
    >;
  }

  /** Runs `fn` in a transaction bound to the same tenant (or joins the one already open). */
  async transaction<R>(fn: (scope: TenantScope) => Promise<R>): Promise<R> {
    return inTransaction(this.#db, (trx) => fn(trx === this.#db ? this : new TenantScope(trx, this.tenantId)));
  }
}

/** The pool or transaction a repository of global tables runs on: the executor itself, or the one behind a scope. */
export type ExecutorOrScope = Executor | TenantScope;

/**
 * The raw executor behind a scope, for repositories of global tables that must write in the
 * scope's transaction. Only `platform/` and `*.repository.ts` may call it (lint); services pass
 * the scope along instead.
 */
export function executorOf(target: ExecutorOrScope): Executor {
  return target instanceof TenantScope ? unwrapScope(target) : target;
}

/**
 * The scope of one tenant. Given a scope (a caller's transaction), it is that scope — the work
 * joins the caller's transaction — and it must be the same tenant's.
 */
export function forTenant(db: ExecutorOrScope, tenantId: string): TenantScope {
  if (!(db instanceof TenantScope)) return new TenantScope(db, tenantId);
  if (db.tenantId !== tenantId) throw new Error(`a scope of tenant ${db.tenantId} was asked to serve tenant ${tenantId}`);
  return db;
}
