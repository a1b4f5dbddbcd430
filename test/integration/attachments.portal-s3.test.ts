import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact, createClient, type Contact } from '../../src/features/clients/client.service.js';
import { createTenant, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createWorker } from '../../src/server.js';
import type { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { heicSample, HEIC_SAMPLE, jpegWithGps, hasGpsOrExif } from '../helpers/image-fixtures.js';
import { sendMultipart, type PartSpec } from '../helpers/multipart-upload.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { signInContact } from '../helpers/factories.js';

/**
 * The upload path on the S3 adapter (a real s3rver): the same all-or-nothing behaviour as on disk,
 * including a connection cut mid-upload, and images re-encoded into the bucket. The adapter itself
 * passes the shared FileStore contract suite (src/platform/storage).
 */
describe('portal files on S3-compatible storage', () => {
  let s3: S3TestServer;
  let database: TestDatabase;
  let t: TestApp;
  let origin: string;
  let worker: OutboxWorker;
  let tenant: Tenant;
  let contact: Contact;
  let cookie: string;
  let client: S3Client;

  const url = (path: string) => `${origin}/portal/${tenant.slug}/api${path}`;
  const objectKeys = async (): Promise<string[]> => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `tenants/${tenant.id}/` }));
    return (listed.Contents ?? []).map((o) => o.Key ?? '');
  };
  const upload = (parts: PartSpec[], options: { abortAfterBytes?: number } = {}) =>
    sendMultipart(url('/uploads'), parts, { cookie, ...options });

  beforeAll(async () => {
    s3 = await startS3Server();
    database = await createTestDatabase('sqlite');
    t = await buildTestApp(database, {
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(t.config.storage.kind).toBe('s3');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    worker = createWorker(t.config, t.deps, undefined);
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    tenant = await createTenant(t.deps, { slug: `s3-${Date.now().toString(36)}`, name: 'Bucket Plumbing' });
    const c = await createClient(t.deps, tenant.id, { name: 'Client' });
    contact = await addContact(t.deps, tenant.id, c.id, { email: 'pat@example.com', name: 'Pat' });
    const d = new SignInDriver(t);
    cookie = await signInContact(d, tenant, contact.email);
  });
  afterAll(async () => {
    await worker.stop();
    await t.close();
    await t.deps.files.close?.();
    client.destroy();
    await database.destroy();
    await s3.close();
  });

  it('stores uploads in the bucket, re-encodes a HEIC photo into a JPEG, and serves ranges', async () => {
    const res = await upload([
      { field: 'files', filename: 'IMG_0001.HEIC', content: await heicSample() },
      { field: 'files', filename: 'holiday.jpg', content: await jpegWithGps() },
      { field: 'files', filename: 'notes.txt', content: Buffer.from('0123456789') },
    ]);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const [heic, jpeg, notes] = [res.json.files![0]!, res.json.files![1]!, res.json.files![2]!];
    while ((await worker.runOnce()) > 0) {
      /* process the images */
    }
    const served = await fetch(url(`/files/${heic.id}`), { headers: { cookie } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('content-disposition')).toContain('filename="IMG_0001.jpg"');
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', HEIC_SAMPLE.width, HEIC_SAMPLE.height]);
    expect(await hasGpsOrExif(Buffer.from(await (await fetch(url(`/files/${jpeg.id}`), { headers: { cookie } })).arrayBuffer()))).toBe(
      false,
    );

    const range = await fetch(url(`/files/${notes.id}`), { headers: { cookie, range: 'bytes=2-4' } });
    expect([range.status, await range.text()]).toEqual([206, '234']);
    // The raw uploads are gone once re-encoded; originals and variants are in the bucket.
    const keys = await objectKeys();
    expect(keys.filter((k) => k.endsWith('/upload'))).toEqual([]);
    expect(keys.filter((k) => k.includes(heic.id)).sort()).toEqual(
      ['display', 'original', 'thumb'].map((v) => `tenants/${tenant.id}/files/${heic.id}/${v}`),
    );
  });

  it('keeps no object and no row when a refused or cut-off upload reached the bucket', async () => {
    const before = (await objectKeys()).length;
    const scope = forTenant(t.deps.db, tenant.id);
    const rows = async () => (await scope.selectFrom('file').select('file.id').execute()).length;
    const rowsBefore = await rows();
    const tooBig = await upload([
      { field: 'files', filename: 'fine.txt', content: Buffer.from('ok') },
      { field: 'files', filename: 'huge.csv', content: { size: 10 * 1024 * 1024 + 1, fill: 'a,b\n' } },
    ]);
    expect(tooBig.json.error?.code).toBe('FILE_TOO_LARGE');
    const cut = await upload([{ field: 'files', filename: 'big.csv', content: { size: 8 * 1024 * 1024, fill: 'a,b\n' } }], {
      abortAfterBytes: 6 * 1024 * 1024,
    });
    expect(cut.status).toBe(0);
    for (let i = 0; i < 60 && (await rows()) !== rowsBefore; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await rows()).toBe(rowsBefore);
    expect(await objectKeys()).toHaveLength(before);
  });
});
