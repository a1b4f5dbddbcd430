import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { acceptInboundMail, findInboundMessage, INBOUND_PROCESS_JOB } from '../../src/features/inbound-mail/inbound-mail.service.js';
import { listMessagesOfTicket } from '../../src/features/messages/message.service.js';
import { ensureReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { toDbTime } from '../../src/platform/db/time.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { createTenantGraph } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/test-database.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The real `servelo worker` process is killed (SIGKILL) after it claimed an accepted message's
 * `inbound.process` job and before it posted anything: it is stuck reading the raw message, which
 * the test swapped for a named pipe nobody writes to (a file store that hangs, deterministically,
 * with no hook in the code). After a restart the message is posted exactly once.
 */
describeEachDialect('inbound mail: the worker killed between accepting and posting', (getDb) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('posts the message exactly once after a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'servelo-inbound-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: getDb().url,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      WORKER_POLL_MS: '50',
      MIN_FREE_DISK_MB: '0',
    };
    const config = loadConfig(env);
    const deps: Deps = createDeps(config, { db: getDb().db });
    cleanups.push(() => deps.mailer.close());
    const g = await createTenantGraph(deps);
    const scope = forTenant(deps.db, g.tenant.id);
    const to = await ensureReplyAddress(scope, deps.clock, deps.appSecret, config.inboundDomain, {
      ticketId: g.ticket.id,
      contactId: g.contact.id,
    });
    const raw = Buffer.from(
      `From: Casey <${g.contact.email}>\r\nTo: ${to}\r\nSubject: Re: Leaking tap\r\nMessage-ID: <crash-1@customer.example.com>\r\n\r\n` +
        `Still dripping, please come Friday.\r\n\r\nOn Mon, Dec 7, 2026 at 10:15 AM Acme <no-reply@example.com> wrote:\r\n> When suits you?\r\n`,
    );
    const accepted = await acceptInboundMail(
      { ...deps, inboundDomain: config.inboundDomain },
      { raw, door: 'smtp', envelope: { from: g.contact.email, to: [to] }, authentication: null },
    );
    const id = accepted.ids[0]!;
    const row = await findInboundMessage(scope, id);
    // The raw message becomes a named pipe: the worker that opens it waits for a writer forever.
    const rawPath = path.join(dataDir, 'files', row!.rawKey);
    unlinkSync(rawPath);
    execFileSync('mkfifo', [rawPath]);

    const inboundJob = async () => (await listJobs(deps.db, { kind: INBOUND_PROCESS_JOB, tenantId: g.tenant.id }))[0]!;
    const posted = async () => (await listMessagesOfTicket(scope, g.ticket.id, { publicOnly: false })).filter((m) => m.via === 'email');

    let worker = startWorker(env);
    await vi.waitFor(async () => expect((await inboundJob()).lockedBy).not.toBeNull(), { timeout: 30_000, interval: 50 });
    worker.process.kill('SIGKILL');
    await exitOf(worker.process);

    // Killed mid-job: the message is accepted and claimed, nothing is posted.
    expect(await findInboundMessage(scope, id)).toMatchObject({ status: 'received', postedMessageId: null });
    expect(await posted()).toEqual([]);
    expect(await inboundJob()).toMatchObject({ status: 'pending', attempts: 1 });

    // The store works again; the dead worker's lease runs out (set to now rather than waiting 30 s).
    unlinkSync(rawPath);
    await deps.files.put(row!.rawKey, raw);
    await deps.db
      .updateTable('outbox')
      .set({ locked_until: toDbTime(new Date()) })
      .where('id', '=', (await inboundJob()).id)
      .execute();

    worker = startWorker(env);
    await vi.waitFor(async () => expect((await inboundJob()).status, worker.output()).toBe('done'), { timeout: 30_000, interval: 50 });
    const [message, ...others] = await posted();
    expect(others).toEqual([]);
    expect(message).toMatchObject({ body: 'Still dripping, please come Friday.', author: { kind: 'contact', id: g.contact.id } });
    expect(await findInboundMessage(scope, id)).toMatchObject({ status: 'posted', postedMessageId: message!.id });
    expect(await inboundJob()).toMatchObject({ attempts: 2 });
  });

  function startWorker(env: Record<string, string>): { process: ChildProcess; output: () => string } {
    // node itself, not the tsx wrapper: the signal must reach the worker's own process.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts'), 'worker'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    return { process: child, output: () => log.join('') };
  }
});

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
