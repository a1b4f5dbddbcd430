import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config/config.js';
import { systemClock } from '../src/platform/clock.js';
import { createDb, type Dialect } from '../src/platform/db/create-db.js';
import type { Db } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { OUTBOX_WORKER_DEFAULTS, OutboxWorker } from '../src/platform/jobs/worker.js';
import type { OutgoingMail } from '../src/platform/mail/mailer.js';
import { createSendMailHandler, enqueueMail, MAIL_SEND_JOB } from '../src/platform/mail/send-mail.job.js';
import { SmtpMailer } from '../src/platform/mail/smtp-mailer.js';
import { startSmtpSink, type SmtpSink } from '../test/helpers/smtp-sink.js';
import { spreadOf, type Spread } from './lib/stats.js';

/**
 * Issue 11: "the PostgreSQL outbox cannot keep up" (≈ 350 jobs sent in 30 s while ≈ 172 a second
 * arrived). Each round queues `jobs` mails in the outbox and times an `OutboxWorker` (production
 * defaults, the production SMTP transport, a real SMTP peer on loopback) from start until the peer
 * has every message. The baseline, in the same round and process: the same mails sent straight
 * through the same transport, as many at a time as the worker runs jobs — what the relay allows
 * without any outbox. The ratio worker ÷ baseline decides (≥ 0.5); jobs per second are reported
 * beside the 172 a second that arrived in the review.
 */
export const OUTBOX_TARGETS = { minRatio: 0.5, arrivalPerSecond: 172 } as const;

export interface OutboxRound {
  readonly baselinePerSecond: number;
  readonly workerPerSecond: number;
  readonly ratio: number;
}

export interface OutboxDialectResult {
  readonly dialect: Dialect;
  readonly rounds: readonly OutboxRound[];
  readonly ratio: Spread;
  readonly workerPerSecond: Spread;
  readonly pass: boolean;
}

export interface OutboxResult {
  readonly jobs: number;
  readonly concurrency: number;
  readonly dialects: readonly OutboxDialectResult[];
  readonly pass: boolean;
}

export interface OutboxBenchOptions {
  readonly jobs: number;
  readonly rounds: number;
  /** A PostgreSQL server to create a throwaway database on; SQLite only when absent. */
  readonly postgresUrl?: string;
  readonly log: (line: string) => void;
}

const FROM = { name: 'Bench', address: 'bench@servelo.test' };

function mailNumber(n: number): OutgoingMail {
  return {
    from: FROM,
    to: `customer-${n}@example.test`,
    subject: `Ticket #${n} has a new reply`,
    text: `Hello,\n\nThere is a new reply on your request #${n}.\n`.repeat(8),
    html: `<p>Hello,</p><p>There is a new reply on your request #${n}.</p>`.repeat(8),
  };
}

export async function runOutboxBench(options: OutboxBenchOptions): Promise<OutboxResult> {
  const sink = await startSmtpSink();
  const concurrency = OUTBOX_WORKER_DEFAULTS.concurrency;
  const dialects: OutboxDialectResult[] = [];
  try {
    for (const dialect of options.postgresUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
      const rounds: OutboxRound[] = [];
      for (let round = 1; round <= options.rounds; round += 1) {
        const database = await openDatabase(dialect, options.postgresUrl);
        try {
          const baseline = await timeBaseline(sink, options.jobs, concurrency);
          const worker = await timeWorker(database.db, sink, options.jobs);
          const result = { baselinePerSecond: baseline, workerPerSecond: worker, ratio: worker / baseline };
          rounds.push(result);
          options.log(
            `outbox ${dialect} round ${round}: baseline ${baseline.toFixed(0)}/s, worker ${worker.toFixed(0)}/s, ratio ${result.ratio.toFixed(2)}`,
          );
        } finally {
          await database.destroy();
        }
      }
      const ratio = spreadOf(rounds.map((r) => r.ratio));
      dialects.push({
        dialect,
        rounds,
        ratio,
        workerPerSecond: spreadOf(rounds.map((r) => r.workerPerSecond)),
        pass: ratio.median >= OUTBOX_TARGETS.minRatio,
      });
    }
  } finally {
    await sink.close();
  }
  return { jobs: options.jobs, concurrency, dialects, pass: dialects.every((d) => d.pass) };
}

async function timeBaseline(sink: SmtpSink, jobs: number, concurrency: number): Promise<number> {
  const mailer = new SmtpMailer({ smtpUrl: `smtp://127.0.0.1:${sink.port}` });
  sink.received.length = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs) await mailer.send(mailNumber((next += 1)));
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await mailer.close();
  if (sink.received.length !== jobs) throw new Error(`baseline: the peer has ${sink.received.length} of ${jobs} messages`);
  return jobs / seconds;
}

async function timeWorker(db: Db, sink: SmtpSink, jobs: number): Promise<number> {
  await db.transaction().execute(async (trx) => {
    for (let n = 1; n <= jobs; n += 1) await enqueueMail(trx, systemClock, mailNumber(n));
  });
  const mailer = new SmtpMailer({ smtpUrl: `smtp://127.0.0.1:${sink.port}` });
  sink.received.length = 0;
  const quiet = { info() {}, warn() {}, error: (obj: object, msg?: string) => console.error(msg, obj) };
  const worker = new OutboxWorker({ db, clock: systemClock, handlers: { [MAIL_SEND_JOB]: createSendMailHandler(mailer) }, logger: quiet });
  const started = process.hrtime.bigint();
  worker.start();
  while (sink.received.length < jobs) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await worker.stop();
  await mailer.close();
  const pending = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '!=', 'done')
    .executeTakeFirstOrThrow();
  if (Number(pending.n) !== 0) throw new Error(`worker: ${pending.n} jobs not done after the peer had every message`);
  if (sink.received.length !== jobs)
    throw new Error(`worker: the peer has ${sink.received.length} messages, expected ${jobs} (sent twice?)`);
  return jobs / seconds;
}

async function openDatabase(dialect: Dialect, postgresUrl: string | undefined): Promise<{ db: Db; destroy(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'servelo-bench-outbox-'));
    const db = createDb({ kind: 'sqlite', path: path.join(dir, 'bench.db') });
    await migrateToLatest(db);
    return {
      db,
      async destroy() {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `servelo_bench_${Date.now().toString(36)}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { kind: 'postgres', url: url.toString(), poolMax: 10 };
  const db = createDb(config);
  await migrateToLatest(db);
  return {
    db,
    async destroy() {
      await db.destroy();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function formatOutboxResult(result: OutboxResult): string {
  const lines = [
    `Outbox — ${result.jobs} mails per round, worker concurrency ${result.concurrency}, real SMTP peer on loopback`,
    '',
    '| dialect | rounds | median worker/baseline (min–max) | worker jobs/s median (min–max) | result |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const d of result.dialects) {
    lines.push(
      `| ${d.dialect} | ${d.rounds.length} | ${d.ratio.median.toFixed(2)} (${d.ratio.min.toFixed(2)}–${d.ratio.max.toFixed(2)}) | ` +
        `${d.workerPerSecond.median.toFixed(0)} (${d.workerPerSecond.min.toFixed(0)}–${d.workerPerSecond.max.toFixed(0)}) | ${d.pass ? 'pass' : 'fail'} |`,
    );
  }
  lines.push('', `Budget: median ratio ≥ ${OUTBOX_TARGETS.minRatio}; the review saw ${OUTBOX_TARGETS.arrivalPerSecond} jobs/s arrive.`);
  return lines.join('\n');
}
