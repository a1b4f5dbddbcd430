import type { TAttachment } from '../../../features/attachments/attachment.schemas.js';
import { ApiError, messageOf } from '../api-client.js';
import { isAbortError } from '../upload-file.js';
import { fileProblem, isPreviewableImage } from './file-rules.js';

export type UploadState = 'queued' | 'uploading' | 'uploaded' | 'failed';

/** One chosen file, from the moment it is picked until it is sent with a message (or removed). */
export interface UploadItem {
  readonly key: string;
  readonly file: File;
  /** A local `blob:` URL for an image the browser can draw; revoked when the item is dropped. */
  readonly previewUrl: string | null;
  readonly state: UploadState;
  /** Percent of the file sent, 0–100. */
  readonly progress: number;
  /** Why it failed: the browser's own check, or the server's message (shown as is). */
  readonly error: string | null;
  /** Refused (by the browser's checks or by the server's): trying again cannot help, so no Retry. */
  readonly isRefused: boolean;
  /** The server's attachment once uploaded; its id is what a message sends. */
  readonly attachment: TAttachment | null;
}

export type Uploader = (file: File, onProgress: (percent: number) => void, signal: AbortSignal) => Promise<TAttachment>;

/**
 * The files of one form, uploaded as soon as they are chosen: one request per file (so each has
 * its own progress), at most `maxConcurrent` at a time, the rest queued in order. A store for
 * `useSyncExternalStore`: every change replaces the list, so React sees it.
 *
 * Ownership of preview URLs: an item's `blob:` URL is revoked when the item is removed or the
 * queue is disposed, except for items handed out by `take()`: those belong to the caller (an
 * optimistic reply shows them) until it revokes them or gives them back with `restore()`.
 */
export class UploadQueue {
  private items: readonly UploadItem[] = [];
  private readonly controllers = new Map<string, AbortController>();
  private readonly listeners = new Set<() => void>();
  private nextKey = 0;

  constructor(
    private readonly upload: Uploader,
    private readonly maxConcurrent = 3,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly UploadItem[] => this.items;

  /** Checks each file in the browser, then queues the acceptable ones; a refused one stays listed with its reason. */
  add(files: Iterable<File>): void {
    const added: UploadItem[] = [];
    let counted = this.items.filter((item) => item.state !== 'failed').length;
    for (const file of files) {
      const problem = fileProblem(file, counted);
      if (!problem) counted += 1;
      added.push({
        key: `upload-${(this.nextKey += 1)}`,
        file,
        previewUrl: isPreviewableImage(file.name) ? URL.createObjectURL(file) : null,
        state: problem ? 'failed' : 'queued',
        progress: 0,
        error: problem,
        isRefused: problem !== null,
        attachment: null,
      });
    }
    if (added.length === 0) return;
    this.set([...this.items, ...added]);
    this.pump();
  }

  /** Drops a file; an upload in flight is aborted. */
  remove(key: string): void {
    const item = this.items.find((i) => i.key === key);
    if (!item) return;
    this.controllers.get(key)?.abort();
    this.controllers.delete(key);
    revokePreview(item);
    this.set(this.items.filter((i) => i.key !== key));
    this.pump();
  }

  /** Uploads a file that failed on the way (network, server) once more. */
  retry(key: string): void {
    this.update(key, (item) =>
      item.state === 'failed' && !item.isRefused ? { ...item, state: 'queued', progress: 0, error: null } : item,
    );
    this.pump();
  }

  /** True while any file is queued or on its way. */
  isBusy(): boolean {
    return this.items.some((item) => item.state === 'queued' || item.state === 'uploading');
  }

  /**
   * Empties the queue for sending: returns the uploaded files, whose previews now belong to the
   * caller, and drops the failed ones. Call it when nothing is uploading.
   */
  take(): UploadItem[] {
    const uploaded = this.items.filter((item) => item.state === 'uploaded');
    for (const item of this.items) if (item.state !== 'uploaded') this.remove(item.key);
    this.set([]);
    return uploaded;
  }

  /** Puts taken files back (a reply that failed is edited again). */
  restore(items: readonly UploadItem[]): void {
    if (items.length > 0) this.set([...items, ...this.items]);
  }

  /** Aborts every upload and revokes every preview; the queue stays usable (React may mount again). */
  dispose(): void {
    for (const controller of this.controllers.values()) controller.abort();
    this.controllers.clear();
    for (const item of this.items) revokePreview(item);
    this.set([]);
  }

  private pump(): void {
    while (this.controllers.size < this.maxConcurrent) {
      const next = this.items.find((item) => item.state === 'queued');
      if (!next) return;
      this.start(next);
    }
  }

  private start(item: UploadItem): void {
    const controller = new AbortController();
    this.controllers.set(item.key, controller);
    this.update(item.key, (i) => ({ ...i, state: 'uploading', progress: 0 }));
    const onProgress = (percent: number) => this.update(item.key, (i) => (i.progress === percent ? i : { ...i, progress: percent }));
    this.upload(item.file, onProgress, controller.signal).then(
      (attachment) => this.finish(item.key, controller, (i) => ({ ...i, state: 'uploaded', progress: 100, attachment })),
      (error: unknown) => {
        if (isAbortError(error)) this.finish(item.key, controller, (i) => i);
        else this.finish(item.key, controller, (i) => ({ ...i, state: 'failed', error: messageOf(error), isRefused: isRefusal(error) }));
      },
    );
  }

  private finish(key: string, controller: AbortController, change: (item: UploadItem) => UploadItem): void {
    // A removed (aborted) item is gone already; only the upload that owns the slot frees it.
    if (this.controllers.get(key) === controller) this.controllers.delete(key);
    this.update(key, change);
    this.pump();
  }

  private update(key: string, change: (item: UploadItem) => UploadItem): void {
    let changed = false;
    const next = this.items.map((item) => {
      if (item.key !== key) return item;
      const updated = change(item);
      changed ||= updated !== item;
      return updated;
    });
    if (changed) this.set(next);
  }

  private set(items: readonly UploadItem[]): void {
    this.items = items;
    for (const listener of this.listeners) listener();
  }
}

/** A 4xx about the file itself (its type, size, pixels): sending it again gives the same answer. A lost connection or a 5xx may not. */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 401 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

/** Revokes the previews of items that left the queue with `take()`, once nothing shows them. */
export function revokePreviews(items: readonly UploadItem[]): void {
  for (const item of items) revokePreview(item);
}

function revokePreview(item: UploadItem): void {
  if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
}
