import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTeamTenant, signInContact, type TeamTenant } from '../helpers/factories.js';
import { sendMultipart } from '../helpers/multipart-upload.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { buildTestApp, SAME_ORIGIN_JSON, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../helpers/test-database.js';

const noSpace = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/**
 * A full disk: an upload answers 507 with words a person understands and leaves nothing behind;
 * everything else keeps working; /readyz takes the instance out of rotation before it happens.
 */
describeEachDialect('storage full', (getDb) => {
  let t: TestApp;
  let tt: TeamTenant;
  let cookie: string;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp(getDb());
    tt = await createTeamTenant(t);
    cookie = await signInContact(new SignInDriver(t), tt.g.tenant, tt.g.contact.email);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/portal/${tt.g.tenant.slug}/api`;
  });
  afterAll(async () => t.close());

  it('answers an upload with 507 when the file store is full, keeps no file, and serves everything else', async () => {
    const put = t.deps.files.put.bind(t.deps.files);
    t.deps.files.put = async () => {
      throw noSpace();
    };
    try {
      const res = await sendMultipart(
        `${base}/uploads`,
        [{ field: 'files', filename: 'a.txt', content: Buffer.from('hello'), contentType: 'text/plain' }],
        { cookie },
      );
      expect(res.status).toBe(507);
      expect(res.json.error).toMatchObject({ code: 'INSUFFICIENT_STORAGE', message: expect.stringContaining('run out of storage space') });
    } finally {
      t.deps.files.put = put;
    }
    const scope = forTenant(t.deps.db, tt.g.tenant.id);
    const files = await scope.selectFrom('file').select('file.id').execute();
    expect(files).toEqual([]);
    const list = await t.app.inject({ method: 'GET', url: `/portal/${tt.g.tenant.slug}/api/tickets`, headers: { cookie } });
    expect(list.statusCode).toBe(200);
  });
});

describe('readiness with little disk left', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => database.destroy());

  it('reports not ready when DATA_DIR has less free space than MIN_FREE_DISK_MB', async () => {
    const roomy = await buildTestApp(database, { MIN_FREE_DISK_MB: '0' });
    const cramped = await buildTestApp(database, { MIN_FREE_DISK_MB: '100000000' });
    try {
      expect((await roomy.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const res = await cramped.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toBe('The server is running out of storage space.');
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await roomy.close();
      await cramped.close();
    }
  });

  it('answers 507 when the SQLite file cannot grow, says so instead of a rollback error, and recovers', async () => {
    const t = await buildTestApp(database);
    try {
      const tt = await createTeamTenant(t);
      const [{ page_count: pages }] = (await sql<{ page_count: number }>`pragma page_count`.execute(t.deps.db)).rows as [
        { page_count: number },
      ];
      await sql.raw(`pragma max_page_count = ${pages}`).execute(t.deps.db);
      const big = 'x'.repeat(19_000);
      const refused = await t.app.inject({
        method: 'POST',
        url: `/api/team/tickets/${tt.g.ticket.id}/messages`,
        headers: { ...SAME_ORIGIN_JSON, cookie: tt.as.agent.cookie ?? '' },
        payload: { body: big, visibility: 'internal' },
      });
      expect(refused.statusCode, refused.body).toBe(507);
      expect(refused.json().error.code).toBe('INSUFFICIENT_STORAGE');
      await sql.raw('pragma max_page_count = 1073741823').execute(t.deps.db);
      const accepted = await tt.as.agent.post(`/api/team/tickets/${tt.g.ticket.id}/messages`, {
        body: 'Room again',
        visibility: 'internal',
      });
      expect(accepted.statusCode).toBe(201);
    } finally {
      await t.close();
    }
  });
});
