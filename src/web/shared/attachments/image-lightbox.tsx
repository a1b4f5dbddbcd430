import { useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { TAttachment } from '../../../features/attachments/attachment.schemas.js';
import { keepTabInside } from '../focus-trap.js';
import { DownloadIcon } from './attachment-icons.js';
import { fileUrl } from './file-urls.js';

/**
 * A ticket's images, one at a time, in a modal `<dialog>`: the display size (≤1600 px WebP), its
 * name, "Download original", and previous/next through all the ticket's images (buttons or the
 * arrow keys). Escape, the close button or a click beside the image closes it, and the focus goes
 * back to the thumbnail of the image last shown, which is where the reader "is" now.
 */
export function ImageLightbox({
  apiBase,
  images,
  startId,
  onClose,
}: {
  /** Where the files are served: `B/api` (portal) or `/api/team` (team app). */
  apiBase: string;
  images: readonly TAttachment[];
  startId: string;
  onClose: () => void;
}) {
  const titleId = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const [index, setIndex] = useState(() =>
    Math.max(
      0,
      images.findIndex((image) => image.id === startId),
    ),
  );
  // Said after previous/next only: on opening, the dialog's name (the image's) is read anyway.
  const [announcement, setAnnouncement] = useState('');
  const image = images[Math.min(index, images.length - 1)];
  const count = images.length;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    closeRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
    };
  }, []);

  // The neighbours load while this one is looked at, so "Next" shows its image at once.
  useEffect(() => {
    if (count < 2) return;
    for (const step of [1, -1]) {
      const neighbour = images[(index + step + count) % count];
      if (neighbour) new Image().src = fileUrl(apiBase, neighbour.id, 'display');
    }
  }, [apiBase, count, images, index]);

  if (!image) return null;

  const close = () => {
    if (dialogRef.current?.open) dialogRef.current.close();
    onClose();
    document.querySelector<HTMLElement>(`[data-file-id="${CSS.escape(image.id)}"]`)?.focus();
  };
  const go = (step: number) => {
    const next = (index + step + count) % count;
    setIndex(next);
    setAnnouncement(`${images[next]?.name ?? ''}, image ${next + 1} of ${count}`);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (count > 1 && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      event.preventDefault();
      go(event.key === 'ArrowRight' ? 1 : -1);
      return;
    }
    keepTabInside(event, dialogRef.current);
  };
  // A click on the backdrop or the empty stage around the picture closes, as people expect.
  const onClick = (event: MouseEvent<HTMLDialogElement>) => {
    const target = event.target as HTMLElement;
    if (target === dialogRef.current || target.classList.contains('lightbox__stage')) close();
  };

  return (
    <dialog
      ref={dialogRef}
      className="lightbox"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onClick={onClick}
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
    >
      <div className="lightbox__bar">
        <div className="lightbox__heading">
          <h2 className="lightbox__title" id={titleId}>
            {image.name}
          </h2>
          {count > 1 ? (
            <p className="lightbox__count">
              Image {index + 1} of {count}
            </p>
          ) : null}
        </div>
        <a className="lightbox__download" href={fileUrl(apiBase, image.id)} download={image.name}>
          <DownloadIcon size={18} />
          Download original
        </a>
        <button ref={closeRef} type="button" className="lightbox__button lightbox__close" aria-label="Close" onClick={close}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="lightbox__stage">
        <img
          key={image.id}
          className="lightbox__image"
          src={fileUrl(apiBase, image.id, 'display')}
          alt={image.name}
          width={image.width ?? undefined}
          height={image.height ?? undefined}
        />
        {count > 1 ? (
          <>
            <button type="button" className="lightbox__button lightbox__prev" aria-label="Previous image" onClick={() => go(-1)}>
              <span aria-hidden="true">‹</span>
            </button>
            <button type="button" className="lightbox__button lightbox__next" aria-label="Next image" onClick={() => go(1)}>
              <span aria-hidden="true">›</span>
            </button>
          </>
        ) : null}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </dialog>
  );
}
