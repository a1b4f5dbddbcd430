import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { claimDueJobs, findJob, markJobDead } from '../../src/platform/jobs/outbox.repository.js';
import { enqueueMail } from '../../src/platform/mail/send-mail.job.js';
import { runCli } from '../helpers/run-cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/test-database.js';

/** What the worker gave up on is visible to the operator and can be queued again. */
for (const dialect of DIALECTS) {
  describe(`servelo outbox [${dialect}]`, () => {
    let database: TestDatabase;
    let env: Record<string, string>;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      env = { DATABASE_URL: database.url, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'servelo-cli-')) };
    });
    afterAll(async () => {
      await database.destroy();
      rmSync(env.DATA_DIR ?? '', { recursive: true, force: true });
    });

    it('lists dead jobs with their last error and requeues them to run now', async () => {
      const clock = new ManualClock('2026-11-24T10:00:00.000Z');
      const mail = { from: { address: 'no-reply@example.com' }, to: 'ann@example.com', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' };
      const id = (await enqueueMail(database.db, clock, mail)) ?? '';
      await claimDueJobs(database.db, { now: clock.now(), workerId: 'w', leaseMs: 1000, limit: 10 });
      expect(await markJobDead(database.db, { id, workerId: 'w', now: clock.now(), error: 'connect ECONNREFUSED 127.0.0.1:25' })).toBe(
        true,
      );

      const listed = await runCli(['outbox', 'dead'], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(`${id}  mail.send  tenant -  1 attempts  last: connect ECONNREFUSED 127.0.0.1:25`);
      expect(listed.stdout).toContain('1 dead job(s).');

      const refused = await runCli(['outbox', 'retry'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('name the jobs to requeue, or pass --all');

      const retried = await runCli(['outbox', 'retry', '--all'], env);
      expect(retried).toMatchObject({ code: 0, stdout: 'Requeued 1 job(s); the worker sends them on its next poll.\n' });
      expect(await findJob(database.db, id)).toMatchObject({ status: 'pending', attempts: 0, lockedBy: null });
      expect((await runCli(['outbox', 'dead'], env)).stdout).toBe('No dead jobs.\n');
    }, 120_000);
  });
}
