import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { ManualClock } from '../../platform/clock.js';
import { LocalFileStore } from '../../platform/storage/local-file-store.js';
import { createSweepFilesHandler, SWEEP_FILES_JOB } from './file-jobs.js';

/** The worker's hourly sweep also clears what an upload cut off by kill -9 left on disk. */
describeEachDialect('the files sweep job', (getDb) => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'servelo-sweep-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('removes a temporary file an interrupted upload left, with its empty folders', async () => {
    const clock = new ManualClock(new Date());
    const file = path.join(root, 'tenants/t9/files/f9/.upload.0123456789abcdef.tmp');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.alloc(10 * 1024));
    const old = new Date(clock.now().getTime() - 2 * 3_600_000);
    utimesSync(file, old, old);

    await createSweepFilesHandler({ db: getDb().db, clock, files: new LocalFileStore(root) })(undefined, {
      id: 'job-1',
      kind: SWEEP_FILES_JOB,
      tenantId: null,
      attempt: 1,
    });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(root, 'tenants'))).toBe(false);
  });
});
