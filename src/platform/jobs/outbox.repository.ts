import { type Selectable, sql } from 'kysely';
import { dialectOf } from '../db/create-db.js';
import type { Db, Executor, OutboxStatus, OutboxTable } from '../db/database.js';
import { fromDbTime, toDbTime } from '../db/time.js';
import { executorOf, type ExecutorOrScope } from '../db/tenant-scope.js';

/**
 * The outbox (ARCHITECTURE.md §4.8): jobs written in the transaction of the change that caused
 * them, run after commit by `OutboxWorker`. The table is installation-wide (the worker serves
 * every tenant), so it is queried directly rather than through the tenant scope; `tenant_id` is
 * carried for the handlers and for operators.
 *
 * A claimed job holds a lease: `locked_by` names the worker, `locked_until` is when others may
 * take it over. Every write after the claim is conditional on `locked_by`, so a worker whose lease
 * expired (and whose job another worker took over) cannot overwrite the newer outcome.
 */
export interface OutboxJob {
  readonly id: string;
  readonly tenantId: string | null;
  readonly kind: string;
  /** JSON text, exactly as enqueued; the worker parses it. */
  readonly payload: string;
  readonly dedupeKey: string | null;
  readonly status: OutboxStatus;
  readonly runAt: Date;
  /** Claims so far, including the current one while the job is locked. */
  readonly attempts: number;
  /** Null means "the worker's configured default" (OUTBOX_MAX_ATTEMPTS). */
  readonly maxAttempts: number | null;
  readonly lastError: string | null;
  readonly lockedBy: string | null;
  readonly lockedUntil: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly doneAt: Date | null;
}

function toJob(row: Selectable<OutboxTable>): OutboxJob {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    payload: row.payload,
    dedupeKey: row.dedupe_key,
    status: row.status,
    runAt: fromDbTime(row.run_at),
    attempts: Number(row.attempts),
    // null: the worker's configured default applies.
    maxAttempts: row.max_attempts === null ? null : Number(row.max_attempts),
    lastError: row.last_error,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until === null ? null : fromDbTime(row.locked_until),
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
    doneAt: row.done_at === null ? null : fromDbTime(row.done_at),
  };
}

export interface NewJobRow {
  readonly id: string;
  readonly tenantId: string | null;
  readonly kind: string;
  readonly payload: string;
  readonly dedupeKey: string | null;
  readonly runAt: Date;
  readonly maxAttempts: number | null;
  readonly now: Date;
}

/** Inserts a pending job; returns false when a job with the same dedupe key already exists. */
export async function insertJob(target: ExecutorOrScope, row: NewJobRow): Promise<boolean> {
  const now = toDbTime(row.now);
  const inserted = await executorOf(target)
    .insertInto('outbox')
    .values({
      id: row.id,
      tenant_id: row.tenantId,
      kind: row.kind,
      payload: row.payload,
      dedupe_key: row.dedupeKey,
      status: 'pending',
      run_at: toDbTime(row.runAt),
      attempts: 0,
      max_attempts: row.maxAttempts,
      last_error: null,
      locked_by: null,
      locked_until: null,
      created_at: now,
      updated_at: now,
      done_at: null,
    })
    // Only the dedupe key may conflict quietly; a clash on the primary key is still an error.
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Runs the worker's own bookkeeping (a claim, a lease renewal, a job done or to retry) without
 * waiting for PostgreSQL to flush it to disk (`synchronous_commit = off`, this transaction only).
 * Losing one of these in a database crash can only make a job run once more, which at-least-once
 * delivery allows anyway; waiting for two flushes per job cut the worker to a third of what the
 * relay takes. Enqueueing is not done here: a queued job is part of the change that caused it and
 * is as durable as that change. SQLite (WAL, synchronous=NORMAL) does not flush per commit.
 */
async function relaxedCommit<T>(db: Executor, run: (executor: Executor) => Promise<T>): Promise<T> {
  if (dialectOf(db) !== 'postgres' || db.isTransaction) return run(db);
  return db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit to off`.execute(trx);
    return run(trx);
  });
}

export interface ClaimOptions {
  readonly now: Date;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly limit: number;
}

/**
 * Leases up to `limit` due jobs to `workerId` in one statement and counts the attempt; the
 * oldest due jobs go first. Takes the pool, not a transaction: the claim must commit at once.
 */
export async function claimDueJobs(db: Db, options: ClaimOptions): Promise<OutboxJob[]> {
  const now = toDbTime(options.now);
  let due = db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .orderBy('run_at')
    .orderBy('id')
    .limit(options.limit);
  // PostgreSQL runs concurrent claims side by side: without row locks two workers' subqueries can
  // pick the same rows, and the UPDATE's re-check would not re-run the subquery. FOR UPDATE locks
  // the picked rows (re-checking the filter against their latest version) and SKIP LOCKED lets the
  // other worker move on to the next rows instead of waiting. SQLite serialises writers, so the
  // plain UPDATE … WHERE id IN (SELECT …) is already atomic there (and it has no FOR UPDATE).
  if (dialectOf(db) === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await relaxedCommit(db, (executor) =>
    executor
      .updateTable('outbox')
      .set((eb) => ({
        locked_by: options.workerId,
        locked_until: toDbTime(new Date(options.now.getTime() + options.leaseMs)),
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', due)
      .returningAll()
      .execute(),
  );
  // RETURNING follows no particular order; callers get the claim order back.
  return rows.map(toJob).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface JobOutcomeBase {
  readonly id: string;
  readonly workerId: string;
  readonly now: Date;
}

/** Extends the lease of a job `workerId` still holds to `until`; false when it lost the job. */
export async function extendJobLease(db: Executor, lease: JobOutcomeBase & { readonly until: Date }): Promise<boolean> {
  const result = await relaxedCommit(db, (executor) =>
    executor
      .updateTable('outbox')
      .set({ locked_until: toDbTime(lease.until), updated_at: toDbTime(lease.now) })
      .where('id', '=', lease.id)
      .where('status', '=', 'pending')
      .where('locked_by', '=', lease.workerId)
      .executeTakeFirst(),
  );
  return result.numUpdatedRows > 0n;
}

/** Marks a job done if `workerId` still holds it; returns whether the update applied. */
export async function markJobDone(db: Executor, outcome: JobOutcomeBase): Promise<boolean> {
  const now = toDbTime(outcome.now);
  const result = await relaxedCommit(db, (executor) =>
    executor
      .updateTable('outbox')
      .set({ status: 'done', done_at: now, updated_at: now, last_error: null, locked_by: null, locked_until: null })
      .where('id', '=', outcome.id)
      .where('status', '=', 'pending')
      .where('locked_by', '=', outcome.workerId)
      .executeTakeFirst(),
  );
  return result.numUpdatedRows > 0n;
}

/** Records a failed attempt and reschedules the job for `runAt` if `workerId` still holds it. */
export async function markJobFailed(
  db: Executor,
  outcome: JobOutcomeBase & { readonly runAt: Date; readonly error: string },
): Promise<boolean> {
  const result = await relaxedCommit(db, (executor) =>
    executor
      .updateTable('outbox')
      .set({
        run_at: toDbTime(outcome.runAt),
        last_error: outcome.error,
        updated_at: toDbTime(outcome.now),
        locked_by: null,
        locked_until: null,
      })
      .where('id', '=', outcome.id)
      .where('status', '=', 'pending')
      .where('locked_by', '=', outcome.workerId)
      .executeTakeFirst(),
  );
  return result.numUpdatedRows > 0n;
}

/** Gives up on a job (no more retries) if `workerId` still holds it; returns whether it applied. */
export async function markJobDead(db: Executor, outcome: JobOutcomeBase & { readonly error: string }): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'dead', last_error: outcome.error, updated_at: toDbTime(outcome.now), locked_by: null, locked_until: null })
    .where('id', '=', outcome.id)
    .where('status', '=', 'pending')
    .where('locked_by', '=', outcome.workerId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Puts dead jobs back in the queue to run now, with a fresh count of attempts (an operator's
 * retry after an outage). Only dead jobs move; `ids`, `tenantId` or `kinds` narrow which. Returns how many.
 */
export async function requeueDeadJobs(
  db: Executor,
  options: { readonly now: Date; readonly ids?: readonly string[]; readonly tenantId?: string; readonly kinds?: readonly string[] },
): Promise<number> {
  const now = toDbTime(options.now);
  let query = db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, run_at: now, updated_at: now, locked_by: null, locked_until: null })
    .where('status', '=', 'dead');
  if (options.ids !== undefined) {
    if (options.ids.length === 0) return 0;
    query = query.where('id', 'in', [...options.ids]);
  }
  if (options.tenantId !== undefined) query = query.where('tenant_id', '=', options.tenantId);
  if (options.kinds !== undefined) {
    if (options.kinds.length === 0) return 0;
    query = query.where('kind', 'in', [...options.kinds]);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The job with this id, or undefined. */
export async function findJob(db: Executor, id: string): Promise<OutboxJob | undefined> {
  const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toJob(row);
}

export interface JobFilter {
  readonly status?: OutboxStatus;
  readonly kind?: string;
  /** Any of these kinds. */
  readonly kinds?: readonly string[];
  readonly ids?: readonly string[];
  readonly tenantId?: string;
  readonly limit?: number;
}

/** Jobs matching the filter, oldest first (for tests and operators; not used by the worker). */
export async function listJobs(db: Executor, filter: JobFilter = {}): Promise<OutboxJob[]> {
  let query = db
    .selectFrom('outbox')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(filter.limit ?? 1000);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.kinds !== undefined) {
    if (filter.kinds.length === 0) return [];
    query = query.where('kind', 'in', [...filter.kinds]);
  }
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', [...filter.ids]);
  }
  if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
  const rows = await query.execute();
  return rows.map(toJob);
}

/** How many jobs are in each status (every status present, zero when none). */
export async function countJobsByStatus(db: Executor): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll<number | string>().as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<OutboxStatus, number> = { pending: 0, done: 0, dead: 0 };
  // PostgreSQL returns count(*) as a bigint string; SQLite as a number.
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
