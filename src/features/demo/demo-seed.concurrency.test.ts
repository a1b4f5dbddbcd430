import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { ManualClock } from '../../platform/clock.js';
import { createDb } from '../../platform/db/create-db.js';
import { LocalFileStore } from '../../platform/storage/local-file-store.js';
import { seedDemoTenant } from './demo-seed.service.js';

/** Two instances starting together on an empty database: one seeds, the other finds its tenant. */
describeEachDialect('demo seed from two instances at once', (getDb) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'servelo-seed-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the demo tenant once and neither instance fails', async () => {
    // A second connection of its own, as a second process would have.
    const other = createDb(getDb().config);
    try {
      const files = new LocalFileStore(dir);
      const clock = new ManualClock('2026-11-24T15:00:00Z');
      const results = await Promise.all([seedDemoTenant({ db: getDb().db, clock, files }), seedDemoTenant({ db: other, clock, files })]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect(results[0].tenant.id).toBe(results[1].tenant.id);
      const tenants = await getDb().db.selectFrom('tenant').select('id').where('slug', '=', 'demo').execute();
      expect(tenants).toHaveLength(1);
    } finally {
      await other.destroy();
    }
  }, 60_000);
});
