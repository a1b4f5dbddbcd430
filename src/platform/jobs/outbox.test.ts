import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { ManualClock } from '../clock.js';
import { createDb } from '../db/create-db.js';
import type { Db } from '../db/database.js';
import { enqueueJob } from './enqueue-job.js';
import { claimDueJobs, countJobsByStatus, findJob, listJobs, markJobDead, markJobDone, markJobFailed } from './outbox.repository.js';
import { type JobHandler, OutboxWorker, type OutboxWorkerOptions } from './worker.js';

const DAY = 86_400_000;
const BASE = 10_000;
let era = Date.parse('2300-01-01T00:00:00.000Z');

/**
 * The tests of a block share one database and `runOnce` claims any due job. Each test's clock
 * starts 30 days before the previous test's, so jobs an earlier test left pending are never due
 * for a later one (no test moves its clock by more than a few hours).
 */
function newClock(): ManualClock {
  era -= 30 * DAY;
  return new ManualClock(new Date(era));
}

function recordingLogger() {
  const entries: { level: string; obj: object; msg?: string }[] = [];
  const log = (level: string) => (obj: object, msg?: string) => void entries.push({ level, obj, msg });
  return { entries, info: log('info'), warn: log('warn'), error: log('error') };
}

function makeWorker(db: Db, clock: ManualClock, handlers: Record<string, JobHandler>, options: Partial<OutboxWorkerOptions> = {}) {
  const logger = recordingLogger();
  const worker = new OutboxWorker({ db, clock, handlers, logger, backoff: { baseMs: BASE, maxMs: 3_600_000 }, ...options });
  return { worker, logger };
}

async function getJob(db: Db, id: string | undefined) {
  const job = id === undefined ? undefined : await findJob(db, id);
  if (!job) throw new Error(`job ${id} not found`);
  return job;
}

describeEachDialect('outbox', (get) => {
  it('runs a due job once, with its payload and attempt, and marks it done', async () => {
    const { db } = get();
    const clock = newClock();
    const handler = vi.fn<JobHandler>(async () => undefined);
    const id = await enqueueJob(db, clock, { kind: 'test.ok', payload: { ticketId: 't1' } });
    const { worker } = makeWorker(db, clock, { 'test.ok': handler });

    expect([await worker.runOnce(), await worker.runOnce()]).toEqual([1, 0]);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler).toHaveBeenCalledWith({ ticketId: 't1' }, { id, kind: 'test.ok', tenantId: null, attempt: 1 });
    const job = await getJob(db, id);
    expect(job).toMatchObject({ status: 'done', attempts: 1, lockedBy: null, lockedUntil: null, lastError: null });
    expect(job.doneAt).toEqual(clock.now());
  });

  it('queues a recurring job once per period, however many workers poll', async () => {
    const { db } = get();
    const clock = newClock();
    const kind = `test.recurring.${clock.now().getTime()}`;
    const handler = vi.fn<JobHandler>(async () => undefined);
    const recurring = [{ kind, everyMs: 3_600_000 }];
    const first = makeWorker(db, clock, { [kind]: handler }, { recurring }).worker;
    const second = makeWorker(db, clock, { [kind]: handler }, { recurring }).worker;

    await first.runOnce();
    await second.runOnce();
    await first.runOnce();
    expect(handler).toHaveBeenCalledTimes(1);
    clock.advance(3_600_000);
    await second.runOnce();
    await first.runOnce();
    expect(handler).toHaveBeenCalledTimes(2);
    expect(await listJobs(db, { kind })).toHaveLength(2);
  });

  it('does not run a job before its run_at', async () => {
    const { db } = get();
    const clock = newClock();
    await enqueueJob(db, clock, { kind: 'test.later', payload: null, runAt: new Date(clock.now().getTime() + 3_600_000) });
    const { worker } = makeWorker(db, clock, { 'test.later': async () => undefined });

    expect(await worker.runOnce()).toBe(0);
    clock.advance(3_600_000 - 1);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(1);
    expect([await worker.runOnce(), await worker.runOnce()]).toEqual([1, 0]);
  });

  it('retries a failing job with exponential backoff, capped, and ends it dead with last_error', async () => {
    const { db } = get();
    const clock = newClock();
    const handler = vi.fn<JobHandler>(() => Promise.reject(new Error('smtp down')));
    const id = await enqueueJob(db, clock, { kind: 'test.fail', payload: {}, maxAttempts: 5 });
    const { worker, logger } = makeWorker(db, clock, { 'test.fail': handler }, { backoff: { baseMs: BASE, maxMs: 6 * BASE } });

    // base, 2 × base, 4 × base, then the cap (8 × base would exceed it); each up to 10 % more.
    for (const expected of [BASE, 2 * BASE, 4 * BASE, 6 * BASE]) {
      const failedAt = clock.now().getTime();
      expect(await worker.runOnce()).toBe(1);
      const job = await getJob(db, id);
      expect(job).toMatchObject({ status: 'pending', lastError: 'smtp down', lockedBy: null });
      const delay = job.runAt.getTime() - failedAt;
      expect(delay).toBeGreaterThanOrEqual(expected);
      expect(delay).toBeLessThanOrEqual(expected * 1.1);
      clock.set(new Date(job.runAt.getTime() - 1));
      expect(await worker.runOnce()).toBe(0);
      clock.set(job.runAt);
    }
    expect(await worker.runOnce()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'dead', attempts: 5, lastError: 'smtp down', lockedBy: null, doneAt: null });
    expect(handler.mock.calls.map(([, job]) => job.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(4);
    expect(logger.entries.filter((e) => e.level === 'error')).toMatchObject([
      { obj: { jobId: id, attempt: 5 }, msg: 'outbox job is dead' },
    ]);
    clock.advance(DAY);
    expect(await worker.runOnce()).toBe(0);
  });

  it("uses the worker's max attempts for jobs enqueued without one", async () => {
    const { db } = get();
    const clock = newClock();
    const id = await enqueueJob(db, clock, { kind: 'test.default-max', payload: {} });
    expect((await getJob(db, id)).maxAttempts).toBeNull();
    const { worker } = makeWorker(db, clock, { 'test.default-max': () => Promise.reject(new Error('nope')) }, { maxAttempts: 1 });

    expect(await worker.runOnce()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('keeps only the message of an error, cut to 2000 characters, even from a handler that throws synchronously', async () => {
    const { db } = get();
    const clock = newClock();
    const id = await enqueueJob(db, clock, { kind: 'test.throws', payload: {}, maxAttempts: 1 });
    const throwsAtOnce = (() => {
      throw new TypeError('x'.repeat(5000));
    }) as JobHandler;
    const { worker } = makeWorker(db, clock, { 'test.throws': throwsAtOnce });

    expect(await worker.runOnce()).toBe(1);
    const job = await getJob(db, id);
    expect(job.status).toBe('dead');
    expect(job.lastError).toHaveLength(2000);
    expect(job.lastError).toMatch(/^TypeError: x+$/);
  });

  it('treats an unknown kind as a failure, so the job ends dead rather than done', async () => {
    const { db } = get();
    const clock = newClock();
    const id = await enqueueJob(db, clock, { kind: 'test.nobody-handles-this', payload: {}, maxAttempts: 2 });
    const { worker } = makeWorker(db, clock, {});

    expect(await worker.runOnce()).toBe(1);
    const failed = await getJob(db, id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'no handler for job kind "test.nobody-handles-this"' });
    clock.set(failed.runAt);
    expect(await worker.runOnce()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'dead', attempts: 2 });
  });

  it('counts a handler that outlives its timeout as a failed attempt', async () => {
    const { db } = get();
    const clock = newClock();
    const id = await enqueueJob(db, clock, { kind: 'test.hangs', payload: {} });
    const hangs = () => new Promise<void>(() => undefined);
    const { worker } = makeWorker(db, clock, { 'test.hangs': hangs }, { jobTimeoutMs: 50, leaseMs: 60_000 });

    expect(await worker.runOnce()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'JobTimeoutError: job timed out after 50 ms' });
    expect(() => makeWorker(db, clock, {}, { jobTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => makeWorker(db, clock, {}, { leaseMs: 60_000, leaseRenewMs: 60_000 })).toThrow(RangeError);
  });

  it('makes a second enqueue with the same dedupe key a no-op', async () => {
    const { db } = get();
    const clock = newClock();
    const first = await enqueueJob(db, clock, { kind: 'test.dedupe', payload: { n: 1 }, dedupeKey: 'ticket-created:t1' });
    const second = await enqueueJob(db, clock, { kind: 'test.dedupe', payload: { n: 2 }, dedupeKey: 'ticket-created:t1' });
    const other = await enqueueJob(db, clock, { kind: 'test.dedupe', payload: { n: 3 }, dedupeKey: 'ticket-created:t2' });

    expect(second).toBeUndefined();
    const jobs = await listJobs(db, { kind: 'test.dedupe' });
    expect(jobs.map((j) => `${j.id} ${j.payload}`)).toEqual([`${first} {"n":1}`, `${other} {"n":3}`]);
  });

  it('leaves no job behind when the enqueuing transaction rolls back', async () => {
    const { db } = get();
    const clock = newClock();
    let id: string | undefined;
    await expect(
      db.transaction().execute(async (trx) => {
        id = await enqueueJob(trx, clock, { kind: 'test.rolled-back', payload: {} });
        expect(await findJob(trx, id ?? '')).toBeDefined();
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(id).toBeDefined();
    expect(await listJobs(db, { kind: 'test.rolled-back' })).toEqual([]);
  });

  it('lets another worker reclaim a job once its lease expired, and only then', async () => {
    const { db } = get();
    const clock = newClock();
    const id = await enqueueJob(db, clock, { kind: 'test.lease', payload: {} });
    const claim = (workerId: string) => claimDueJobs(db, { now: clock.now(), workerId, leaseMs: 60_000, limit: 10 });

    expect((await claim('worker-a')).map((j) => j.id)).toEqual([id]);
    clock.advance(59_999);
    expect(await claim('worker-b')).toEqual([]);
    clock.advance(1);
    const [reclaimed] = await claim('worker-b');
    expect(reclaimed).toMatchObject({ id, lockedBy: 'worker-b', attempts: 2, lockedUntil: new Date(clock.now().getTime() + 60_000) });
  });

  it("runs a crashed worker's job again within half a minute, not minutes", async () => {
    const { db } = get();
    const clock = newClock();
    const id = await enqueueJob(db, clock, { kind: 'test.crash', payload: {} });
    // The worker that claimed the job died with it: it never finishes and never renews its lease.
    const { worker: crashed } = makeWorker(db, clock, { 'test.crash': () => new Promise<void>(() => undefined) }, { workerId: 'crashed' });
    void crashed.runOnce();
    await vi.waitFor(async () => expect((await getJob(db, id)).lockedBy).toBe('crashed'));
    const { worker: survivor } = makeWorker(db, clock, { 'test.crash': async () => undefined }, { workerId: 'survivor' });
    expect(await survivor.runOnce()).toBe(0);
    clock.advance(30_000);
    expect(await survivor.runOnce()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('renews the lease of a long job while it runs, so no other worker starts it beside it', async () => {
    const { db } = get();
    const clock = newClock();
    const id = await enqueueJob(db, clock, { kind: 'test.long', payload: {} });
    const { worker: other } = makeWorker(db, clock, { 'test.long': async () => undefined }, { workerId: 'other' });
    const long: JobHandler = async () => {
      for (let i = 0; i < 4; i++) {
        clock.advance(20_000); // 80 s of work in all: well past one lease
        await vi.waitFor(async () => expect((await getJob(db, id)).lockedUntil?.getTime()).toBeGreaterThan(clock.now().getTime()));
        expect(await other.runOnce()).toBe(0);
      }
    };
    const { worker } = makeWorker(db, clock, { 'test.long': long }, { workerId: 'long', leaseMs: 30_000, leaseRenewMs: 10 });
    expect(await worker.runOnce()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('ignores the outcome a stale worker reports for a job someone else re-claimed', async () => {
    const { db } = get();
    const clock = newClock();
    const id = (await enqueueJob(db, clock, { kind: 'test.stale', payload: {} })) ?? '';
    await claimDueJobs(db, { now: clock.now(), workerId: 'worker-a', leaseMs: 1000, limit: 10 });
    clock.advance(1000);
    await claimDueJobs(db, { now: clock.now(), workerId: 'worker-b', leaseMs: 1000, limit: 10 });
    const stale = { id, workerId: 'worker-a', now: clock.now() };

    expect(await markJobDone(db, stale)).toBe(false);
    expect(await markJobFailed(db, { ...stale, runAt: clock.now(), error: 'late' })).toBe(false);
    expect(await markJobDead(db, { ...stale, error: 'late' })).toBe(false);
    expect(await getJob(db, id)).toMatchObject({ status: 'pending', lockedBy: 'worker-b', lastError: null });
    expect(await markJobDone(db, { ...stale, workerId: 'worker-b' })).toBe(true);
    expect(await markJobDone(db, { ...stale, workerId: 'worker-b' })).toBe(false);
    expect((await getJob(db, id)).status).toBe('done');
  });

  it('discards the result of a worker whose lease expired while its handler ran', async () => {
    const { db } = get();
    const clock = newClock();
    const id = await enqueueJob(db, clock, { kind: 'test.slow', payload: {} });
    const ranBy: string[] = [];
    const fastHandler: JobHandler = async () => void ranBy.push('fast');
    const { worker: fast } = makeWorker(db, clock, { 'test.slow': fastHandler }, { leaseMs: 60_000, workerId: 'fast' });
    const slowHandler: JobHandler = async () => {
      ranBy.push('slow');
      clock.advance(60_000);
      expect(await fast.runOnce()).toBe(1);
    };
    const { worker: slow, logger } = makeWorker(db, clock, { 'test.slow': slowHandler }, { leaseMs: 60_000, workerId: 'slow' });

    expect(await slow.runOnce()).toBe(1);
    expect(ranBy).toEqual(['slow', 'fast']);
    expect(await getJob(db, id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(logger.entries).toMatchObject([{ level: 'warn', obj: { jobId: id, outcome: 'done' } }]);
  });

  it('keeps polling after failing jobs, wakes on demand and waits for jobs under way when stopped', async () => {
    const { db } = get();
    const clock = newClock();
    const before = await countJobsByStatus(db);
    let release: (() => void) | undefined;
    const handlers: Record<string, JobHandler> = {
      'test.loop-bad': () => Promise.reject(new Error('boom')),
      'test.loop-slow': () => new Promise<void>((resolve) => void (release = resolve)),
    };
    const { worker } = makeWorker(db, clock, handlers, { pollIntervalMs: 60_000, maxAttempts: 1 });
    await enqueueJob(db, clock, { kind: 'test.loop-bad', payload: {} });
    worker.start();
    await vi.waitFor(async () => expect((await countJobsByStatus(db)).dead).toBe(before.dead + 1));

    const id = await enqueueJob(db, clock, { kind: 'test.loop-slow', payload: {} });
    worker.wake();
    await vi.waitFor(() => expect(release).toBeDefined());
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    release?.();
    await stopping;
    expect((await getJob(db, id)).status).toBe('done');
    expect(await countJobsByStatus(db)).toEqual({ pending: before.pending, done: before.done + 1, dead: before.dead + 1 });
    expect(await worker.runOnce()).toBe(0);
  });

  it('fills a slot as soon as its job ends: one slow job does not hold back the jobs claimed with it', async () => {
    const { db } = get();
    const clock = newClock();
    let release: (() => void) | undefined;
    const quick: number[] = [];
    const handlers: Record<string, JobHandler> = {
      'test.pipe-slow': () => new Promise<void>((resolve) => void (release = resolve)),
      'test.pipe-quick': async (payload) => void quick.push((payload as { n: number }).n),
    };
    const { worker } = makeWorker(db, clock, handlers, { concurrency: 2, pollIntervalMs: 60_000 });
    await enqueueJob(db, clock, { kind: 'test.pipe-slow', payload: {} });
    clock.advance(1);
    for (let n = 0; n < 6; n++) await enqueueJob(db, clock, { kind: 'test.pipe-quick', payload: { n } });
    worker.start();
    try {
      // The slow job holds one slot the whole time; the other slot works through all six.
      await vi.waitFor(() => expect(quick.sort()).toEqual([0, 1, 2, 3, 4, 5]));
      expect(release).toBeDefined();
      expect((await listJobs(db, { kind: 'test.pipe-slow' }))[0]?.status).toBe('pending');
    } finally {
      release?.();
      await worker.stop();
    }
    expect((await listJobs(db, { kind: 'test.pipe-slow' }))[0]?.status).toBe('done');
  });
});

describeEachDialect('outbox with two workers on separate connections', (get) => {
  it('runs each of 200 jobs exactly once, never twice at the same time', async () => {
    const database = get();
    const second = createDb(database.config);
    try {
      const clock = newClock();
      await database.db.transaction().execute(async (trx) => {
        for (let n = 0; n < 200; n++) await enqueueJob(trx, clock, { kind: 'test.race', payload: { n } });
      });
      const runs: { jobId: string; workerId: string; start: number; end: number }[] = [];
      const recordRun = async (workerId: string, jobId: string) => {
        const start = performance.now();
        await sleep(2);
        runs.push({ jobId, workerId, start, end: performance.now() });
      };
      const a = makeWorker(database.db, clock, { 'test.race': (_payload, job) => recordRun('a', job.id) }).worker;
      const b = makeWorker(second, clock, { 'test.race': (_payload, job) => recordRun('b', job.id) }).worker;
      const drain = async (worker: OutboxWorker) => {
        while ((await worker.runOnce()) > 0);
      };
      await Promise.all([drain(a), drain(b)]);

      expect(await listJobs(database.db, { kind: 'test.race', status: 'done' })).toHaveLength(200);
      // Exactly once: 200 runs, 200 distinct jobs.
      expect([runs.length, new Set(runs.map((r) => r.jobId)).size]).toEqual([200, 200]);
      const sorted = [...runs].sort((x, y) => x.jobId.localeCompare(y.jobId) || x.start - y.start);
      const overlapping = sorted.filter((run, i) => i > 0 && sorted[i - 1]?.jobId === run.jobId && run.start < (sorted[i - 1]?.end ?? 0));
      expect(overlapping).toEqual([]);
      // Both workers took part, so the claims really did compete.
      expect(runs.some((r) => r.workerId === 'a') && runs.some((r) => r.workerId === 'b')).toBe(true);
    } finally {
      await second.destroy();
    }
  });

  it('runs each of 300 jobs exactly once when both poll in the background', async () => {
    const database = get();
    const second = createDb(database.config);
    const clock = newClock();
    await database.db.transaction().execute(async (trx) => {
      for (let n = 0; n < 300; n++) await enqueueJob(trx, clock, { kind: 'test.race-bg', payload: { n } });
    });
    const seen: string[] = [];
    const handler: JobHandler = async (_payload, job) => {
      seen.push(job.id);
      await sleep(1);
    };
    const a = makeWorker(database.db, clock, { 'test.race-bg': handler }, { pollIntervalMs: 20 }).worker;
    const b = makeWorker(second, clock, { 'test.race-bg': handler }, { pollIntervalMs: 20 }).worker;
    try {
      a.start();
      b.start();
      await vi.waitFor(async () => expect(await listJobs(database.db, { kind: 'test.race-bg', status: 'done' })).toHaveLength(300), {
        timeout: 30_000,
      });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await second.destroy();
    }
    expect([seen.length, new Set(seen).size]).toEqual([300, 300]);
  });
});
