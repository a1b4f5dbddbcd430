import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { createTenantGraph, type TenantGraph } from '../../../test/helpers/factories.js';
import { ManualClock } from '../../platform/clock.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { newId } from '../../platform/ids.js';
import { insertFile } from './file.repository.js';
import { LocalFileStore } from '../../platform/storage/local-file-store.js';
import { createSweepFilesHandler, SWEEP_FILES_JOB } from './file-jobs.js';

const QUOTA = 1024 * 1024;
const HOUR = 3_600_000;

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

    await createSweepFilesHandler(
      { db: getDb().db, clock, files: new LocalFileStore(root) },
      { tenantQuotaBytes: QUOTA, abandonedAfterMs: 30 * 60_000 },
    )(undefined, {
      id: 'job-1',
      kind: SWEEP_FILES_JOB,
      tenantId: null,
      attempt: 1,
    });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(root, 'tenants'))).toBe(false);
  });

  it("removes customers' unsent uploads after an hour instead of a day when their organisation is above 80 % of its quota", async () => {
    const clock = new ManualClock(new Date('2026-12-05T12:00:00.000Z'));
    const ctx = { db: getDb().db, clock, files: new LocalFileStore(root) };
    const [full, roomy] = [await createTenantGraph(ctx), await createTenantGraph(ctx)];
    const upload = async (g: TenantGraph, size: number, ageMs: number, attached = false) => {
      const id = newId();
      const at = toDbTime(new Date(clock.now().getTime() - ageMs));
      await insertFile(forTenant(ctx.db, g.tenant.id), {
        id,
        purpose: 'attachment',
        uploaded_by_kind: 'contact',
        uploaded_by_id: g.contact.id,
        name: `${id}.csv`,
        type: 'text/csv',
        size,
        status: 'ready',
        width: null,
        height: null,
        display_size: null,
        thumb_size: null,
        ticket_id: attached ? g.ticket.id : null,
        message_id: null,
        attached_at: attached ? at : null,
        created_at: at,
        updated_at: at,
      });
      return id;
    };
    // 900 KB of 1 MB: above 80 %. Unsent for two hours: gone; for half an hour: kept; sent: kept.
    const stale = await upload(full, 500 * 1024, 2 * HOUR);
    const fresh = await upload(full, 100 * 1024, HOUR / 2);
    const sent = await upload(full, 300 * 1024, 2 * HOUR, true);
    // 100 KB of 1 MB: the usual day applies.
    const roomyStale = await upload(roomy, 100 * 1024, 2 * HOUR);

    await createSweepFilesHandler(ctx, { tenantQuotaBytes: QUOTA, abandonedAfterMs: 30 * 60_000 })(undefined, {
      id: 'job-2',
      kind: SWEEP_FILES_JOB,
      tenantId: null,
      attempt: 1,
    });
    const ids = async (g: TenantGraph) => {
      const scope = forTenant(ctx.db, g.tenant.id);
      return (await scope.selectFrom('file').select('file.id').execute()).map((r) => r.id).sort();
    };
    expect(await ids(full)).toEqual([fresh, sent].sort());
    expect(stale).not.toBe(fresh);
    expect(await ids(roomy)).toEqual([roomyStale]);
  });
});
