import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { insertJob } from './outbox.repository.js';
import type { ExecutorOrScope } from '../db/tenant-scope.js';

export interface NewJob {
  /** Names the handler the worker runs (`handlers[kind]`). */
  readonly kind: string;
  /** Anything JSON can carry; ids rather than whole rows, so the handler reads fresh data. */
  readonly payload: unknown;
  readonly tenantId?: string | null;
  /** When the job becomes due; now when omitted. */
  readonly runAt?: Date;
  /**
   * Makes the enqueue idempotent: a second job with the same key is never created, even after the
   * first has run (the key is unique for the table's lifetime). Include whatever makes the side
   * effect unique, e.g. `ticket-created:${ticketId}:notify-team`.
   */
  readonly dedupeKey?: string;
  /** Attempts before the job is declared dead; the worker's default (OUTBOX_MAX_ATTEMPTS) when omitted. */
  readonly maxAttempts?: number;
}

/**
 * Queues a job in the outbox and returns its id, or undefined when `dedupeKey` was already used.
 *
 * Call it with the transaction of the change that causes the job (ARCHITECTURE.md §4.8): the job
 * then commits or rolls back together with that change, so a mail is never sent for a ticket that
 * was not saved, nor lost for one that was. Nothing runs until the worker claims the job after
 * commit; call `wakeWorker()` once the transaction has committed to have it run promptly. Handlers
 * may run more than once (a worker can die after the side effect but before marking it done), so
 * they must tolerate repeats.
 */
export async function enqueueJob(db: ExecutorOrScope, clock: Clock, job: NewJob): Promise<string | undefined> {
  if (job.maxAttempts !== undefined && !(Number.isInteger(job.maxAttempts) && job.maxAttempts >= 1)) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${job.maxAttempts}`);
  }
  const now = clock.now();
  const id = newId();
  const inserted = await insertJob(db, {
    id,
    tenantId: job.tenantId ?? null,
    kind: job.kind,
    // `undefined` has no JSON form and the column is NOT NULL; it reaches the handler as null.
    payload: JSON.stringify(job.payload ?? null),
    dedupeKey: job.dedupeKey ?? null,
    runAt: job.runAt ?? now,
    maxAttempts: job.maxAttempts ?? null,
    now,
  });
  return inserted ? id : undefined;
}
