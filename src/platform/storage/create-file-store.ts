import type { Config } from '../../config/config.js';
import type { FileStore } from './file-store.js';
import { LocalFileStore } from './local-file-store.js';
import { S3FileStore } from './s3-file-store.js';

/** The configured FileStore: local disk below DATA_DIR by default, an S3 bucket when S3_BUCKET is set. */
export function createFileStore(config: Pick<Config, 'storage'>): FileStore {
  const storage = config.storage;
  if (storage.kind === 'local') return new LocalFileStore(storage.dir);
  return new S3FileStore(storage);
}
