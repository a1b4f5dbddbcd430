import { expect, it } from 'vitest';
import { claimDueJobs, findJob, markJobDead } from '../../src/platform/jobs/outbox.repository.js';
import { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { createSendMailHandler, enqueueMail, MAIL_SEND_JOB } from '../../src/platform/mail/send-mail.job.js';
import { SmtpMailer } from '../../src/platform/mail/smtp-mailer.js';
import { createTeamTenant } from '../helpers/factories.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Email the outbox finally gave up on is not lost in silence: the organisation's owners and admins
 * see each one (recipient, subject, the relay's last answer) and can send it again; another
 * organisation's undelivered email is a foreign object (404) and never listed.
 */
describeEachDialect('undelivered email in the team app', (getDb) => {
  const t = useTestApp(getDb);

  /** A mail of the tenant whose retries ran out while the relay was refusing it. */
  async function deadMail(tenantId: string, to: string) {
    const id = await enqueueMail(
      t.deps.db,
      t.clock,
      {
        from: { name: 'Acme', address: 'no-reply@example.com' },
        to,
        subject: `Re: your request (${to})`,
        text: 'Hello',
        html: '<p>Hello</p>',
      },
      { tenantId },
    );
    if (!id) throw new Error('not queued');
    const claimed = await claimDueJobs(t.deps.db, { now: t.clock.now(), workerId: 'test', leaseMs: 30_000, limit: 100 });
    expect(claimed.map((job) => job.id)).toContain(id);
    await markJobDead(t.deps.db, { id, workerId: 'test', now: t.clock.now(), error: '421 relay unavailable' });
    return id;
  }

  it('lists the organisation’s undelivered email to owners and admins, and sends it again once', async () => {
    const a = await createTeamTenant(t);
    const b = await createTeamTenant(t);
    const mine = await deadMail(a.g.tenant.id, 'casey@customer.example.com');
    const theirs = await deadMail(b.g.tenant.id, 'someone@elsewhere.example.com');

    const listed = await a.as.admin.get('/api/team/mail/undelivered');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().mails).toEqual([
      expect.objectContaining({
        id: mine,
        kind: 'email',
        to: 'casey@customer.example.com',
        subject: 'Re: your request (casey@customer.example.com)',
        lastError: '421 relay unavailable',
      }),
    ]);
    expect((await a.as.owner.get('/api/team/mail/undelivered')).statusCode).toBe(200);
    expect((await a.as.agent.get('/api/team/mail/undelivered')).statusCode).toBe(403);
    expect((await a.as.agent.post('/api/team/mail/undelivered/retry', {})).statusCode).toBe(403);

    // Another organisation's email is a foreign object, and naming it changes nothing.
    const foreign = await a.as.admin.post('/api/team/mail/undelivered/retry', { ids: [theirs] });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('UNDELIVERED_MAIL_NOT_FOUND');
    expect((await findJob(t.deps.db, theirs))?.status).toBe('dead');

    const retried = await a.as.admin.post('/api/team/mail/undelivered/retry', { ids: [mine] });
    expect(retried.json()).toEqual({ requeued: 1 });
    expect(await findJob(t.deps.db, mine)).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await findJob(t.deps.db, theirs))?.status).toBe('dead');
    expect((await a.as.admin.get('/api/team/mail/undelivered')).json().mails).toEqual([]);

    // The relay is back: the email goes out once.
    const sink = await startSmtpSink();
    const mailer = new SmtpMailer({ smtpUrl: `smtp://127.0.0.1:${sink.port}` });
    try {
      const worker = new OutboxWorker({
        db: t.deps.db,
        clock: t.clock,
        handlers: { [MAIL_SEND_JOB]: createSendMailHandler(mailer) },
        logger: quiet,
      });
      while ((await worker.runOnce()) > 0);
      expect(sink.received.map((m) => m.rcptTo)).toEqual([['casey@customer.example.com']]);
      expect((await findJob(t.deps.db, mine))?.status).toBe('done');
    } finally {
      await mailer.close();
      await sink.close();
    }
  });

  it('sends all of the organisation’s undelivered email again when no ids are named', async () => {
    const a = await createTeamTenant(t);
    const b = await createTeamTenant(t);
    const first = await deadMail(a.g.tenant.id, 'one@customer.example.com');
    const second = await deadMail(a.g.tenant.id, 'two@customer.example.com');
    const theirs = await deadMail(b.g.tenant.id, 'three@elsewhere.example.com');
    expect((await a.as.owner.post('/api/team/mail/undelivered/retry', {})).json()).toEqual({ requeued: 2 });
    expect([(await findJob(t.deps.db, first))?.status, (await findJob(t.deps.db, second))?.status]).toEqual(['pending', 'pending']);
    expect((await findJob(t.deps.db, theirs))?.status).toBe('dead');
  });
});
