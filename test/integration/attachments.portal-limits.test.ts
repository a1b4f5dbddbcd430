import { expect, it } from 'vitest';
import { big, MB, text, usePortalFiles } from '../helpers/portal-files.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** Portal uploads at and past their limits: counts, sizes, malformed bodies and lost connections leave nothing behind. */
describeEachDialect('portal files: upload limits', (getDb) => {
  const w = usePortalFiles(getDb);
  const { base, upload, rowsOf, snapshot, expectNothingLeft, ok, cookieOf } = w;

  it('takes exactly 10 files of exactly 10 MB', async () => {
    const files = ok(
      await upload(
        w.alice,
        Array.from({ length: 10 }, (_, i) => big(`sheet-${i}.csv`, 10 * MB)),
      ),
    );
    expect(files).toHaveLength(10);
    expect(files.every((f) => f.size === 10 * MB && f.status === 'ready')).toBe(true);
  });
  it('refuses an 11th file, naming it, and keeps nothing of that upload', async () => {
    const before = await snapshot(w.tenant.id);
    const res = await upload(
      w.alice,
      Array.from({ length: 11 }, (_, i) => text(`part-${i + 1}.txt`)),
    );
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('TOO_MANY_FILES');
    expect(res.json.error?.message).toContain('part-11.txt');
    expect(res.json.error?.message).toContain('10 files');
    await expectNothingLeft(w.tenant.id, before);
  });
  it('refuses the first byte past 10 MB, naming the file, and keeps nothing (not even the files before it)', async () => {
    const before = await snapshot(w.tenant.id);
    const res = await upload(w.alice, [text('fine.txt'), big('huge.csv', 10 * MB + 1)]);
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('FILE_TOO_LARGE');
    expect(res.json.error?.message).toContain('huge.csv');
    expect(res.json.error?.message).toContain('10 MB');
    await expectNothingLeft(w.tenant.id, before);
  });
  it('refuses a body without a Content-Length, a flood of tiny parts and unexpected fields', async () => {
    const before = await snapshot(w.tenant.id);
    const chunked = await upload(w.alice, [text('a.txt')], { chunked: true });
    expect([chunked.status, chunked.json.error?.code]).toEqual([411, 'LENGTH_REQUIRED']);

    const flood = await upload(
      w.alice,
      Array.from({ length: 1000 }, (_, i) => text(`t${i}.txt`, 'x')),
    );
    expect([flood.status, flood.json.error?.code]).toEqual([413, 'TOO_MANY_FILES']);
    const fields = await upload(
      w.alice,
      Array.from({ length: 1000 }, (_, i) => ({ field: `f${i}`, content: Buffer.from('x') })),
    );
    expect([fields.status, fields.json.error?.code]).toEqual([400, 'UPLOAD_INVALID']);
    const extra = await upload(w.alice, [text('a.txt'), { field: 'ticketId', content: Buffer.from(w.aliceTicket.id) }]);
    expect([extra.status, extra.json.error?.code]).toEqual([400, 'UPLOAD_INVALID']);
    expect(extra.json.error?.message).toContain('ticketId');
    // A body that ends inside a file (no closing boundary) is the client's fault, not ours.
    const truncated = await fetch(`${base(w.alice)}/uploads`, {
      method: 'POST',
      headers: { cookie: cookieOf(w.alice), 'sec-fetch-site': 'same-origin', 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello, this never ends',
    });
    expect(truncated.status).toBe(400);
    expect(((await truncated.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_INVALID');
    const none = await upload(w.alice, []);
    expect(none.status).toBe(400);
    const notMultipart = await fetch(`${base(w.alice)}/uploads`, {
      method: 'POST',
      headers: { cookie: cookieOf(w.alice), 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notMultipart.status).toBe(400);
    await expectNothingLeft(w.tenant.id, before);
  });
  it('leaves no object and no row when the upload is cut off mid-way', async () => {
    const before = await snapshot(w.tenant.id);
    const res = await upload(w.alice, [text('first.txt'), big('second.csv', 5 * MB)], { abortAfterBytes: 2 * MB });
    expect(res.status).toBe(0);
    // The server notices the lost connection on its own time.
    for (let i = 0; i < 50 && (await rowsOf(w.tenant.id)) !== before.rows; i++) await new Promise((r) => setTimeout(r, 50));
    await expectNothingLeft(w.tenant.id, before);
  });
});
