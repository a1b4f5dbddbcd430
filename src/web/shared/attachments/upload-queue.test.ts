import { describe, expect, it } from 'vitest';
import type { TAttachment } from '../../../features/attachments/attachment.schemas.js';
import { ApiError } from '../api-client.js';
import { UploadQueue, type Uploader } from './upload-queue.js';

/** An uploader whose requests the test finishes by hand. */
function manualUploader() {
  const calls: { file: File; signal: AbortSignal; resolve: () => void; reject: (error: unknown) => void }[] = [];
  const upload: Uploader = (file, _onProgress, signal) =>
    new Promise<TAttachment>((resolve, reject) => {
      const attachment: TAttachment = {
        id: `id-${file.name}`,
        name: file.name,
        type: 'application/pdf',
        size: file.size,
        kind: 'document',
        status: 'ready',
        scan: 'not_scanned',
        width: null,
        height: null,
      };
      signal.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')));
      calls.push({ file, signal, resolve: () => resolve(attachment), reject });
    });
  return { upload, calls };
}

const pdf = (name: string) => new File(['%PDF-1.4'], name, { type: 'application/pdf' });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('UploadQueue', () => {
  it('uploads three at a time, in order, and starts the next as one finishes', async () => {
    const { upload, calls } = manualUploader();
    const queue = new UploadQueue(upload, 3);
    queue.add(['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf'].map(pdf));
    expect(calls.map((c) => c.file.name)).toEqual(['a.pdf', 'b.pdf', 'c.pdf']);
    expect(queue.getSnapshot().map((i) => i.state)).toEqual(['uploading', 'uploading', 'uploading', 'queued']);
    calls[1]!.resolve();
    await settle();
    expect(calls.map((c) => c.file.name)).toEqual(['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf']);
    expect(queue.getSnapshot()[1]).toMatchObject({ state: 'uploaded', progress: 100, attachment: { id: 'id-b.pdf' } });
  });

  it('refuses in the browser what the server would, and does not count it against the limit', () => {
    const { upload, calls } = manualUploader();
    const queue = new UploadQueue(upload, 20);
    queue.add([new File(['<svg/>'], 'notes.svg'), ...Array.from({ length: 11 }, (_, i) => pdf(`${i}.pdf`))]);
    const items = queue.getSnapshot();
    expect(items[0]).toMatchObject({ state: 'failed', isRefused: true });
    expect(items.filter((i) => i.state === 'uploading')).toHaveLength(10);
    expect(items[11]?.error).toBe('You can attach at most 10 files; “10.pdf” was one too many.');
    expect(calls).toHaveLength(10);
  });

  it('aborts an upload in flight when its file is removed, and frees its slot', async () => {
    const { upload, calls } = manualUploader();
    const queue = new UploadQueue(upload, 1);
    queue.add([pdf('a.pdf'), pdf('b.pdf')]);
    queue.remove(queue.getSnapshot()[0]!.key);
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(calls[1]?.file.name).toBe('b.pdf');
    await settle();
    expect(queue.getSnapshot().map((i) => i.file.name)).toEqual(['b.pdf']);
  });

  it('offers a retry after a lost connection but not after a refusal', async () => {
    const { upload, calls } = manualUploader();
    const queue = new UploadQueue(upload, 3);
    queue.add([pdf('a.pdf'), pdf('b.pdf')]);
    calls[0]!.reject(new ApiError('NETWORK_ERROR', 'offline', 0));
    calls[1]!.reject(new ApiError('FILE_TYPE_NOT_ALLOWED', '“b.pdf” is not a file type we accept.', 415));
    await settle();
    expect(queue.getSnapshot().map((i) => [i.state, i.isRefused])).toEqual([
      ['failed', false],
      ['failed', true],
    ]);
    queue.retry(queue.getSnapshot()[0]!.key);
    queue.retry(queue.getSnapshot()[1]!.key);
    expect(calls.map((c) => c.file.name)).toEqual(['a.pdf', 'b.pdf', 'a.pdf']);
  });

  it('hands the uploaded files over for sending and takes them back for editing', async () => {
    const { upload, calls } = manualUploader();
    const queue = new UploadQueue(upload, 3);
    queue.add([pdf('a.pdf'), pdf('b.pdf')]);
    calls[0]!.resolve();
    calls[1]!.reject(new ApiError('NETWORK_ERROR', 'offline', 0));
    await settle();
    const taken = queue.take();
    expect(taken.map((i) => i.file.name)).toEqual(['a.pdf']);
    expect(queue.getSnapshot()).toEqual([]);
    queue.restore(taken);
    expect(queue.getSnapshot().map((i) => i.state)).toEqual(['uploaded']);
  });
});
