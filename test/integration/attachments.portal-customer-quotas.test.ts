import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { addContact } from '../../src/features/clients/client.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTeamTenant, portalCookieFor, type TeamTenant } from '../helpers/factories.js';
import { injectMultipart, type PartSpec } from '../helpers/multipart-upload.js';
import { SAME_ORIGIN_JSON, useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const KB = 1024;
const big = (name: string, size: number): PartSpec => ({ field: 'files', filename: name, content: { size, fill: 'col1,col2,col3\n' } });

/**
 * Issue 11 B3: unattached uploads count against the organisation's quota until swept, so one
 * customer could fill it and lock everyone out. Each customer has a quota of uploads not sent yet
 * and a daily upload volume; the team's uploads never wait for customers' unsent ones.
 */
describeEachDialect('per-customer upload quotas', (getDb) => {
  const t = useTestApp(getDb, { FILES_TENANT_QUOTA_MB: '2', PORTAL_LIMIT_PENDING_UPLOAD_MB: '1' });

  async function world() {
    const tt = await createTeamTenant(t);
    const contact = async () =>
      portalCookieFor(
        t,
        await addContact(t.deps, tt.g.tenant.id, tt.g.client.id, { email: `${randomUUID()}@customer.example.com`, name: 'C' }),
      );
    const [a, b, c] = [await portalCookieFor(t, tt.g.contact), await contact(), await contact()];
    const portalUpload = (cookie: string, size: number) =>
      injectMultipart(t.app, `/portal/${tt.g.tenant.slug}/api/uploads`, [big(`f-${size}.csv`, size)], { cookie });
    const teamUpload = (size: number) =>
      injectMultipart(t.app, '/api/team/uploads', [big('team.csv', size)], { cookie: tt.as.agent.cookie! });
    return { tt, a, b, c, portalUpload, teamUpload };
  }

  const fileCount = async (tt: TeamTenant) => {
    const scope = forTenant(t.deps.db, tt.g.tenant.id);
    return (await scope.selectFrom('file').select('file.id').execute()).length;
  };

  it("refuses a customer's upload past their own unsent quota, while another customer and the team still upload", async () => {
    const { tt, a, b, portalUpload, teamUpload } = await world();
    expect((await portalUpload(a, 700 * KB)).statusCode).toBe(201);
    const before = await fileCount(tt);
    const refused = await portalUpload(a, 700 * KB);
    expect(refused.statusCode, refused.body).toBe(413);
    const error = refused.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe('PENDING_UPLOADS_FULL');
    expect(error.message).toMatch(/not sent yet/);
    expect(error.message).toContain('1 MB');
    expect(await fileCount(tt)).toBe(before);
    expect((await portalUpload(b, 700 * KB)).statusCode).toBe(201);
    expect((await teamUpload(300 * KB)).statusCode).toBe(201);
  });

  it('frees the unsent quota once the files are sent with a message', async () => {
    const { tt, a, portalUpload } = await world();
    const first = await portalUpload(a, 700 * KB);
    const ids = first.json<{ files: { id: string }[] }>().files.map((f) => f.id);
    expect((await portalUpload(a, 700 * KB)).statusCode).toBe(413);
    const sent = await t.app.inject({
      method: 'POST',
      url: `/portal/${tt.g.tenant.slug}/api/tickets/${tt.g.ticket.id}/messages`,
      headers: { ...SAME_ORIGIN_JSON, cookie: a },
      payload: { body: 'Here it is.', fileIds: ids },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect((await portalUpload(a, 700 * KB)).statusCode).toBe(201);
  });

  it("never refuses the team because of customers' unsent uploads, while customers meet the organisation's quota", async () => {
    const { a, b, c, portalUpload, teamUpload } = await world();
    // Two customers leave 1.8 MB unsent of the organisation's 2 MB.
    expect((await portalUpload(a, 900 * KB)).statusCode).toBe(201);
    expect((await portalUpload(b, 900 * KB)).statusCode).toBe(201);
    const third = await portalUpload(c, 700 * KB);
    expect([third.statusCode, third.json<{ error: { code: string } }>().error.code]).toEqual([413, 'TENANT_QUOTA_EXCEEDED']);
    expect((await teamUpload(900 * KB)).statusCode).toBe(201);
    // The team's own files do count for the team: past the quota with them it is refused too.
    const over = await teamUpload(1200 * KB);
    expect([over.statusCode, over.json<{ error: { code: string } }>().error.code]).toEqual([413, 'TENANT_QUOTA_EXCEEDED']);
  });

  it("refuses a customer's upload past their daily volume with 429 and Retry-After, per the organisation's setting", async () => {
    const { tt, a, b, portalUpload } = await world();
    const set = await tt.as.owner.patch('/api/team/settings/customer-limits', { uploadMbPerDay: 1, pendingUploadMb: 5 });
    expect(set.statusCode, set.body).toBe(200);
    expect((await portalUpload(a, 600 * KB)).statusCode).toBe(201);
    t.clock.advance(3_600_000);
    const refused = await portalUpload(a, 600 * KB);
    expect(refused.statusCode, refused.body).toBe(429);
    const error = refused.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe('CUSTOMER_LIMIT_REACHED');
    expect(error.message).toMatch(/You have uploaded a lot of files today\. You can upload more in about 23 hours\./);
    expect(Number(refused.headers['retry-after'])).toBe(23 * 3600);
    expect((await portalUpload(b, 600 * KB)).statusCode).toBe(201);
    t.clock.advance(23 * 3_600_000);
    expect((await portalUpload(a, 600 * KB)).statusCode).toBe(201);
  });
});
