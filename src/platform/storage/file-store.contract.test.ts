import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3TestServer, startS3Server } from '../../../test/helpers/s3-server.js';
import { describeFileStoreContract } from './file-store.contract.js';
import { LocalFileStore } from './local-file-store.js';
import { S3FileStore, type S3FileStoreOptions } from './s3-file-store.js';

describeFileStoreContract('LocalFileStore', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'servelo-files-'));
  return { store: new LocalFileStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

// One s3rver for the file; every test gets its own key prefix, so tests cannot see each other's objects.
let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.close();
});

function s3Options(prefix: string | null): S3FileStoreOptions {
  return {
    endpoint: s3.endpoint,
    region: 'us-east-1',
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
    prefix,
  };
}

describeFileStoreContract('S3FileStore (s3rver, path-style)', () => {
  const store = new S3FileStore(s3Options(`run-${randomUUID()}`));
  return Promise.resolve({ store, cleanup: () => store.close() });
});

describe('S3FileStore', () => {
  it('keeps every key below its prefix', async () => {
    const prefix = `run-${randomUUID()}/servelo`;
    const prefixed = new S3FileStore(s3Options(prefix));
    const whole = new S3FileStore(s3Options(null));
    try {
      await prefixed.put('tenants/t1/logo.png', Buffer.from('below the prefix'));
      const seenWhole = await whole.get(`${prefix}/tenants/t1/logo.png`);
      expect(seenWhole?.size).toBe(16);
      seenWhole?.body.destroy();
      expect(await whole.get('tenants/t1/logo.png')).toBeUndefined();
    } finally {
      await prefixed.close();
      await whole.close();
    }
  });

  it('fails loudly when the bucket does not exist, instead of answering "missing"', async () => {
    const store = new S3FileStore({ ...s3Options(null), bucket: 'no-such-bucket' });
    try {
      await expect(store.get('tenants/t1/logo.png')).rejects.toThrow();
      await expect(store.put('tenants/t1/logo.png', Buffer.from('x'))).rejects.toThrow();
    } finally {
      await store.close();
    }
  });
});
