import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { newId } from '../ids.js';
import { claimDueJobs, extendJobLease, markJobDead, markJobDone, markJobFailed, type OutboxJob } from './outbox.repository.js';
import { enqueueJob } from './enqueue-job.js';

/** Runs one job. Throwing (or rejecting) counts as a failed attempt; it may run more than once. */
export type JobHandler = (payload: unknown, job: { id: string; kind: string; tenantId: string | null; attempt: number }) => Promise<void>;

/** The slice of a pino logger the worker uses, so Fastify's logger or a test recorder fits. */
export interface WorkerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxWorkerOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  readonly logger: WorkerLogger;
  /** Pause between polls when the outbox is idle (config `worker.pollIntervalMs`). */
  readonly pollIntervalMs?: number;
  /** Attempts for jobs enqueued without their own limit (config `worker.maxAttempts`). */
  readonly maxAttempts?: number;
  /**
   * How long a claim is exclusive without news from its worker; after that another worker may
   * take the job over. Short, so a crashed worker's jobs run again soon: a live worker renews the
   * lease of each job it runs every `leaseRenewMs` (a third of the lease by default).
   */
  readonly leaseMs?: number;
  readonly leaseRenewMs?: number;
  /** A handler's time limit (default 4 minutes); a handler that outlives it counts as failed. */
  readonly jobTimeoutMs?: number;
  /** Jobs claimed per poll and run side by side. */
  readonly concurrency?: number;
  /** Retry delay: `min(maxMs, baseMs * 2^(attempt-1))` plus up to 10 % jitter. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  /** Names this worker in `locked_by` and in logs; unique per instance by default. */
  readonly workerId?: string;
  /**
   * Jobs queued once per period (housekeeping such as the sweep of abandoned uploads). Every
   * worker queues them, with a dedupe key per period, so however many run, each period gets one.
   */
  readonly recurring?: readonly RecurringJob[];
}

export interface RecurringJob {
  readonly kind: string;
  readonly everyMs: number;
  /**
   * Also run once when this worker starts, whatever the period (the files sweep: after a crash,
   * what the dead process left should not wait for the next period, which it may already have had).
   */
  readonly atStart?: boolean;
}

/** What a worker uses for the options it is not given. */
export const OUTBOX_WORKER_DEFAULTS = {
  pollIntervalMs: 1000,
  maxAttempts: 8,
  leaseMs: 30_000,
  jobTimeoutMs: 4 * 60_000,
  concurrency: 10,
  backoff: { baseMs: 10_000, maxMs: 60 * 60_000 },
} as const;

/** last_error is for people reading the outbox; a whole stack or a huge message is noise there. */
const MAX_ERROR_LENGTH = 2000;

/**
 * Runs outbox jobs after their transaction committed (ARCHITECTURE.md §4.8). Any number of
 * workers, in any number of processes, may poll the same outbox: a claim leases jobs to one
 * worker, failures back off exponentially, and a job that keeps failing ends `dead`. Delivery is
 * at least once: a worker that dies mid-job stops renewing its lease, which expires within
 * `leaseMs`, and the job runs again.
 */
export class OutboxWorker {
  readonly workerId: string;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly handlers: Readonly<Record<string, JobHandler>>;
  private readonly logger: WorkerLogger;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly leaseRenewMs: number;
  private readonly jobTimeoutMs: number;
  private readonly concurrency: number;
  private readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  private readonly recurring: readonly RecurringJob[];
  private readonly lastPeriod = new Map<string, number>();

  private running = false;
  private stopped = false;
  private polling = false;
  private wakeRequested = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<number>>();
  /** Jobs started by the background loop, each holding one of `concurrency` slots. */
  private readonly active = new Set<Promise<void>>();

  constructor(options: OutboxWorkerOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.handlers = options.handlers;
    this.logger = options.logger;
    this.pollIntervalMs = options.pollIntervalMs ?? OUTBOX_WORKER_DEFAULTS.pollIntervalMs;
    this.maxAttempts = options.maxAttempts ?? OUTBOX_WORKER_DEFAULTS.maxAttempts;
    this.leaseMs = options.leaseMs ?? OUTBOX_WORKER_DEFAULTS.leaseMs;
    this.leaseRenewMs = options.leaseRenewMs ?? Math.floor(this.leaseMs / 3);
    this.jobTimeoutMs = options.jobTimeoutMs ?? OUTBOX_WORKER_DEFAULTS.jobTimeoutMs;
    this.concurrency = options.concurrency ?? OUTBOX_WORKER_DEFAULTS.concurrency;
    this.backoff = options.backoff ?? OUTBOX_WORKER_DEFAULTS.backoff;
    this.recurring = options.recurring ?? [];
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${newId()}`;
    if (!(this.jobTimeoutMs > 0)) throw new RangeError(`jobTimeoutMs (${this.jobTimeoutMs}) must be positive`);
    // A renewal must land before the lease it extends runs out, or another worker starts the job beside this one.
    if (!(this.leaseRenewMs > 0 && this.leaseRenewMs < this.leaseMs)) {
      throw new RangeError(`leaseRenewMs (${this.leaseRenewMs}) must be positive and shorter than leaseMs (${this.leaseMs})`);
    }
    if (!(Number.isInteger(this.concurrency) && this.concurrency >= 1)) throw new RangeError('concurrency must be a positive integer');
  }

  /** Starts polling in the background; the timer is unref'd so it never keeps the process alive. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    this.schedule(0);
  }

  /** Polls soon instead of at the next interval; call it after a commit that queued jobs. */
  wake(): void {
    if (!this.running) return;
    // A poll under way drains the outbox anyway, but may already have missed the new jobs.
    if (this.polling) this.wakeRequested = true;
    else this.schedule(0);
  }

  /** Claims one batch of due jobs and runs it to the end; resolves to how many jobs ran. */
  async runOnce(): Promise<number> {
    if (this.stopped) return 0;
    await this.queueRecurring();
    const run = this.claimAndRun();
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  /** Stops polling and waits for the jobs under way to finish (graceful shutdown). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight, ...this.active]);
  }

  /** Queues each recurring job once per period: a period's dedupe key is the same in every worker. */
  private async queueRecurring(): Promise<void> {
    const now = this.clock.now().getTime();
    for (const job of this.recurring) {
      const period = Math.floor(now / job.everyMs);
      if (job.atStart && !this.lastPeriod.has(job.kind)) {
        await enqueueJob(this.db, this.clock, { kind: job.kind, payload: {}, dedupeKey: `${job.kind}:start:${this.workerId}` });
      }
      if (this.lastPeriod.get(job.kind) === period) continue;
      await enqueueJob(this.db, this.clock, { kind: job.kind, payload: {}, dedupeKey: `${job.kind}:${period}` });
      this.lastPeriod.set(job.kind, period);
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Keeps up to `concurrency` jobs running: whenever one finishes, its slot is filled by a new
   * claim, so a slow job (a relay taking seconds over one message) does not hold back the jobs
   * claimed with it. Stops claiming when the outbox has fewer due jobs than free slots.
   */
  private async poll(): Promise<void> {
    if (this.polling || !this.running) return;
    this.polling = true;
    try {
      await this.queueRecurring();
      for (;;) {
        this.wakeRequested = false;
        if (!this.running) break;
        const free = this.concurrency - this.active.size;
        if (free === 0) {
          await Promise.race(this.active);
          continue;
        }
        const jobs = await claimDueJobs(this.db, { now: this.clock.now(), workerId: this.workerId, leaseMs: this.leaseMs, limit: free });
        for (const job of jobs) this.track(this.runJob(job));
        if (jobs.length < free && !this.wakeRequested) break;
      }
    } catch (error) {
      // Typically the database is unreachable; the next poll tries again.
      this.logger.error({ err: describeError(error), workerId: this.workerId }, 'outbox poll failed');
    } finally {
      this.polling = false;
    }
    if (this.running) this.schedule(this.wakeRequested ? 0 : this.pollIntervalMs);
    this.wakeRequested = false;
  }

  /**
   * Counts a running job against the slots. While the outbox is busy the poll loop waits for a
   * free slot itself; once it found fewer due jobs than slots, new work arrives by `wake()` or
   * the next tick.
   */
  private track(run: Promise<void>): void {
    this.active.add(run);
    void run.finally(() => this.active.delete(run));
  }

  private async claimAndRun(): Promise<number> {
    const jobs = await claimDueJobs(this.db, {
      now: this.clock.now(),
      workerId: this.workerId,
      leaseMs: this.leaseMs,
      limit: this.concurrency,
    });
    await Promise.all(jobs.map((job) => this.runJob(job)));
    return jobs.length;
  }

  /** Never rejects: a failing job, or a failure to record its outcome, must not stop the loop. */
  private async runJob(job: OutboxJob): Promise<void> {
    const maxAttempts = job.maxAttempts ?? this.maxAttempts;
    try {
      // The previous holder's lease expired during its last allowed attempt (it crashed or hung):
      // running it again would exceed the limit, and a job that kills workers should stop here.
      if (job.attempts > maxAttempts) {
        await this.giveUp(job, `lease expired during the last of ${maxAttempts} attempts`);
        return;
      }
      let failure: string | undefined;
      try {
        await this.invokeHandler(job);
      } catch (error) {
        failure = describeError(error);
      }
      if (failure === undefined) {
        const applied = await markJobDone(this.db, { id: job.id, workerId: this.workerId, now: this.clock.now() });
        if (!applied) this.logLostLease(job, 'done');
      } else if (job.attempts >= maxAttempts) {
        await this.giveUp(job, failure);
      } else {
        await this.retryLater(job, failure);
      }
    } catch (error) {
      // Recording the outcome failed; the lease will expire and the job will run again.
      this.logger.error(
        { err: describeError(error), jobId: job.id, kind: job.kind, workerId: this.workerId },
        'outbox job outcome not recorded',
      );
    }
  }

  private async invokeHandler(job: OutboxJob): Promise<void> {
    // Looked up as an own property, so a kind like "constructor" does not find Object's.
    const handler = Object.hasOwn(this.handlers, job.kind) ? this.handlers[job.kind] : undefined;
    // Retried rather than declared dead at once: during a rolling deploy an older worker may claim
    // a kind only newer workers know; if none ever does, the job still ends dead.
    if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
    const payload = JSON.parse(job.payload) as unknown;
    const info = { id: job.id, kind: job.kind, tenantId: job.tenantId, attempt: job.attempts };
    const renewal = setInterval(() => void this.renewLease(job), this.leaseRenewMs);
    renewal.unref();
    try {
      await withTimeout(() => handler(payload, info), this.jobTimeoutMs);
    } finally {
      clearInterval(renewal);
    }
  }

  /** Keeps a running job's lease alive; a failure only costs the lease (the job may run again). */
  private async renewLease(job: OutboxJob): Promise<void> {
    const now = this.clock.now();
    try {
      const held = await extendJobLease(this.db, {
        id: job.id,
        workerId: this.workerId,
        now,
        until: new Date(now.getTime() + this.leaseMs),
      });
      if (!held) this.logLostLease(job, 'running');
    } catch (error) {
      this.logger.warn(
        { err: describeError(error), jobId: job.id, kind: job.kind, workerId: this.workerId },
        'outbox job lease not renewed',
      );
    }
  }

  private async retryLater(job: OutboxJob, error: string): Promise<void> {
    const now = this.clock.now();
    const runAt = new Date(now.getTime() + this.retryDelayMs(job.attempts));
    const applied = await markJobFailed(this.db, { id: job.id, workerId: this.workerId, now, runAt, error });
    if (!applied) return this.logLostLease(job, 'failed');
    this.logger.warn(
      { jobId: job.id, kind: job.kind, tenantId: job.tenantId, attempt: job.attempts, retryAt: runAt.toISOString(), err: error },
      'outbox job failed; will retry',
    );
  }

  private async giveUp(job: OutboxJob, error: string): Promise<void> {
    const applied = await markJobDead(this.db, { id: job.id, workerId: this.workerId, now: this.clock.now(), error });
    if (!applied) return this.logLostLease(job, 'dead');
    this.logger.error({ jobId: job.id, kind: job.kind, tenantId: job.tenantId, attempt: job.attempts, err: error }, 'outbox job is dead');
  }

  private retryDelayMs(attempt: number): number {
    const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (attempt - 1));
    // Jitter spreads out retries of jobs that failed together (say, while the SMTP relay was down).
    return Math.round(delay * (1 + Math.random() * 0.1));
  }

  private logLostLease(job: OutboxJob, outcome: string): void {
    this.logger.warn(
      { jobId: job.id, kind: job.kind, attempt: job.attempts, workerId: this.workerId, outcome },
      'outbox job outcome discarded: its lease expired and another worker took it over',
    );
  }
}

export class JobTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`job timed out after ${timeoutMs} ms`);
    this.name = 'JobTimeoutError';
  }
}

/**
 * Settles with the handler or rejects after `timeoutMs`. The handler itself cannot be cancelled;
 * it is abandoned (its lease is no longer renewed) and the attempt is recorded as failed.
 */
async function withTimeout(run: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    // Promise.resolve().then turns a handler that throws synchronously into a rejection.
    await Promise.race([Promise.resolve().then(run), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The message alone, no stack, bounded in length. */
function describeError(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  else text = typeof error === 'string' ? error : safeJson(error);
  if (text === '') text = 'unknown error';
  return text.length > MAX_ERROR_LENGTH ? text.slice(0, MAX_ERROR_LENGTH) : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
