import { useEffect, useId, useRef, useState, type ChangeEvent, type RefObject } from 'react';
import { formatFileSize } from '../format.js';
import { LiveStatus } from '../form-controls.js';
import { CameraIcon, DocumentIcon, PaperclipIcon } from './attachment-icons.js';
import { ACCEPT, LIMITS_TEXT } from './file-rules.js';
import type { UploadItem } from './upload-queue.js';
import type { Uploads } from './use-uploads.js';
import { UploadProgress } from './upload-progress.js';

/**
 * Files for a new request or a reply: "Add files" (and "Take photo" on touch screens), files
 * dropped anywhere on the page, images pasted into the form. Each file uploads at once with its
 * own progress bar; a refused one says why beside its name and is simply not sent.
 */
export function AttachmentPicker({ uploads, locale, label = 'Attachments' }: { uploads: Uploads; locale: string; label?: string }) {
  const { queue, items } = uploads;
  const id = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const fileInputRef = useRef<HTMLInputElement>(null);
  const cameraInputRef = useRef<HTMLInputElement>(null);
  const isDragging = useFileDrop((files) => queue.add(files));
  usePasteInto(rootRef, (files) => queue.add(files));
  const announcement = useUploadAnnouncement(items);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);

  // After a removal the focus goes to the next file's Remove button, or back to "Add files".
  useEffect(() => {
    if (focusIndex === null) return;
    const buttons = rootRef.current?.querySelectorAll<HTMLButtonElement>('.upload__remove') ?? [];
    (buttons[Math.min(focusIndex, buttons.length - 1)] ?? addRef.current)?.focus();
    setFocusIndex(null);
  }, [focusIndex, items]);

  const onChosen = (event: ChangeEvent<HTMLInputElement>) => {
    queue.add(Array.from(event.target.files ?? []));
    // The same file may be chosen again after it was removed.
    event.target.value = '';
  };

  return (
    <div ref={rootRef} className="attach" role="group" aria-labelledby={`${id}-label`}>
      <p className="field__label" id={`${id}-label`}>
        {label} <span className="attach__optional">(optional)</span>
      </p>
      <div className={isDragging ? 'dropzone dropzone--active' : 'dropzone'}>
        <p className="dropzone__text" aria-hidden="true">
          <PaperclipIcon />
          <span className="dropzone__text--pointer">
            {isDragging ? 'Drop the files to attach them' : 'Drag files here or paste images'}
          </span>
          <span className="dropzone__text--touch">Add photos or documents</span>
        </p>
        <div className="dropzone__actions">
          <button
            ref={addRef}
            type="button"
            className="button button--secondary button--small button--inline"
            aria-describedby={`${id}-limits`}
            onClick={() => fileInputRef.current?.click()}
          >
            <PaperclipIcon size={18} /> Add files
          </button>
          <button
            type="button"
            className="button button--secondary button--small button--inline dropzone__camera"
            onClick={() => cameraInputRef.current?.click()}
          >
            <CameraIcon size={18} /> Take photo
          </button>
        </div>
        <p className="dropzone__limits" id={`${id}-limits`}>
          {LIMITS_TEXT}
        </p>
        <input ref={fileInputRef} type="file" multiple accept={ACCEPT} hidden onChange={onChosen} data-testid="attach-input" />
        <input ref={cameraInputRef} type="file" accept="image/*" capture="environment" hidden onChange={onChosen} />
      </div>
      {items.length > 0 ? (
        <ul className="upload-list" aria-label="Chosen files">
          {items.map((item, index) => (
            <UploadRow
              key={item.key}
              item={item}
              locale={locale}
              onRemove={() => {
                queue.remove(item.key);
                setFocusIndex(index);
              }}
              onRetry={() => queue.retry(item.key)}
            />
          ))}
        </ul>
      ) : null}
      <LiveStatus>{announcement}</LiveStatus>
    </div>
  );
}

function UploadRow({ item, locale, onRemove, onRetry }: { item: UploadItem; locale: string; onRemove: () => void; onRetry: () => void }) {
  const name = item.file.name;
  // A file named like a photo that is not one: its preview cannot draw, the icon stands in.
  const [isPreviewBroken, setIsPreviewBroken] = useState(false);
  const isMoving = item.state === 'queued' || item.state === 'uploading';
  return (
    <li className={`upload upload--${item.state}`}>
      <span className="upload__thumb">
        {item.previewUrl && !isPreviewBroken ? (
          <img src={item.previewUrl} alt="" width={48} height={48} onError={() => setIsPreviewBroken(true)} />
        ) : (
          <DocumentIcon size={22} />
        )}
      </span>
      <div className="upload__main">
        <span className="upload__name">{name}</span>
        <span className="upload__meta">
          {formatFileSize(item.file.size, locale)}
          {item.state === 'queued' ? ' · Waiting…' : null}
          {item.state === 'uploading' ? ` · ${item.progress < 100 ? `${item.progress}%` : 'Finishing…'}` : null}
          {item.state === 'uploaded' ? (
            <span className="upload__done">
              {' · '}
              <span aria-hidden="true">✓</span> Uploaded
            </span>
          ) : null}
        </span>
        {isMoving ? <UploadProgress label={`Uploading ${name}`} percent={item.progress} /> : null}
        {item.state === 'failed' ? (
          <p className="upload__error">
            <span aria-hidden="true" className="field__error-mark">
              !
            </span>
            <span>
              {item.error}
              {item.isRefused ? ' It will not be sent.' : null}
            </span>
          </p>
        ) : null}
      </div>
      <div className="upload__actions">
        {item.state === 'failed' && !item.isRefused ? (
          <button type="button" className="button button--secondary button--small button--inline" onClick={onRetry}>
            Retry
          </button>
        ) : null}
        <button type="button" className="upload__remove" aria-label={`Remove ${name}`} onClick={onRemove}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
    </li>
  );
}

/**
 * Files dragged anywhere over the page land in this picker (there is one per page), and a file
 * dropped beside it no longer replaces the page with the file. True while files are over the page.
 */
function useFileDrop(onFiles: (files: File[]) => void): boolean {
  const [depth, setDepth] = useState(0);
  const onFilesRef = useRef(onFiles);
  onFilesRef.current = onFiles;
  useEffect(() => {
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (event: DragEvent) => {
      if (hasFiles(event)) setDepth((d) => d + 1);
    };
    const onLeave = (event: DragEvent) => {
      if (hasFiles(event)) setDepth((d) => Math.max(0, d - 1));
    };
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      setDepth(0);
      onFilesRef.current(Array.from(event.dataTransfer?.files ?? []));
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  return depth > 0;
}

/** Images pasted anywhere in the picker's form (a screenshot into the message box) are attached. */
function usePasteInto(rootRef: RefObject<HTMLDivElement | null>, onFiles: (files: File[]) => void): void {
  const onFilesRef = useRef(onFiles);
  onFilesRef.current = onFiles;
  useEffect(() => {
    const form = rootRef.current?.closest('form');
    if (!form) return;
    let pasted = 0;
    const onPaste = (event: ClipboardEvent) => {
      const files = Array.from(event.clipboardData?.files ?? []);
      if (files.length === 0) return;
      event.preventDefault();
      // Screenshots arrive as "image.png": give each a name the customer can tell apart.
      onFilesRef.current(
        files.map((file) =>
          /^image\.\w+$/.test(file.name)
            ? new File([file], `Pasted image ${(pasted += 1)}${file.name.slice(5)}`, { type: file.type })
            : file,
        ),
      );
    };
    form.addEventListener('paste', onPaste);
    return () => form.removeEventListener('paste', onPaste);
  }, [rootRef]);
}

/** One polite sentence per change that matters: a file uploaded or refused, not every percent. */
function useUploadAnnouncement(items: readonly UploadItem[]): string {
  const [text, setText] = useState('');
  const seen = useRef(new Map<string, UploadItem['state']>());
  useEffect(() => {
    const sentences: string[] = [];
    for (const item of items) {
      const before = seen.current.get(item.key);
      if (before !== item.state) {
        if (item.state === 'uploaded') sentences.push(`${item.file.name} uploaded.`);
        if (item.state === 'failed' && item.error) sentences.push(item.error);
      }
    }
    seen.current = new Map(items.map((item) => [item.key, item.state]));
    if (sentences.length > 0) setText(sentences.join(' '));
  }, [items]);
  return text;
}
