import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTenantGraph, portalCookieFor, type TenantGraph } from '../helpers/factories.js';
import { injectMultipart } from '../helpers/multipart-upload.js';
import { text } from '../helpers/portal-files.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** What the fake bucket answers to every write, as S3-compatible services word it. */
interface S3Failure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** A full bucket still deletes; an overloaded store refuses that too. */
  readonly deletes: boolean;
}

const FULL: S3Failure = {
  status: 507,
  code: 'XMinioStorageFull',
  message: 'Storage backend has reached its minimum free drive threshold.',
  deletes: true,
};
const SLOW_DOWN: S3Failure = { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.', deletes: false };

/**
 * The object store failing under an upload (a fake S3 endpoint, at the process boundary, that
 * answers every write with an error): a full bucket answers 507 INSUFFICIENT_STORAGE, a store that
 * is overloaded or down answers 503 with Retry-After — never 500 — and nothing of the upload stays.
 */
describe('portal uploads when the S3 store fails', () => {
  let failure: S3Failure = FULL;
  let server: Server;
  let database: TestDatabase;
  let t: TestApp;
  let g: TenantGraph;
  let cookie: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method === 'DELETE' && failure.deletes) {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(failure.status, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${failure.code}</Code><Message>${failure.message}</Message><RequestId>1</RequestId></Error>`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    database = await createTestDatabase('sqlite');
    t = await buildTestApp(database, {
      S3_BUCKET: 'full',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'test',
      S3_SECRET_ACCESS_KEY: 'test-secret',
      S3_FORCE_PATH_STYLE: 'true',
    });
    g = await createTenantGraph(t.deps);
    cookie = await portalCookieFor(t, g.contact);
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  const upload = () => injectMultipart(t.app, `/portal/${g.tenant.slug}/api/uploads`, [text('meter.csv')], { cookie });
  const fileRows = () => {
    const scope = forTenant(t.deps.db, g.tenant.id);
    return scope.selectFrom('file').select(['file.id', 'file.status']).execute();
  };

  it('answers 507 with a plain message when the bucket is full, and keeps nothing', async () => {
    failure = FULL;
    const res = await upload();
    expect(res.statusCode, res.body).toBe(507);
    expect(res.json().error.code).toBe('INSUFFICIENT_STORAGE');
    expect(await fileRows()).toEqual([]);
  });

  it('answers 503 with Retry-After when the store is overloaded; what it could not delete is left to the sweep', async () => {
    failure = SLOW_DOWN;
    const res = await upload();
    expect(res.statusCode, res.body).toBe(503);
    expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // The store refused the deletes too: the row stays `uploading` (served to nobody), so the
    // sweep removes object and row together once the store answers again.
    expect((await fileRows()).map((f) => f.status)).toEqual(['uploading']);
  });
});
