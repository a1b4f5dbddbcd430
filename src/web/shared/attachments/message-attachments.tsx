import type { TAttachment } from '../../../features/attachments/attachment.schemas.js';
import { formatFileSize } from '../format.js';
import { DocumentIcon, DownloadIcon, ImageIcon } from './attachment-icons.js';
import { fileUrl } from './file-urls.js';

const REMOVED = 'Removed (failed a virus scan)';
const CHECKING = 'being checked for viruses';

/**
 * The files of one message: images as a grid of thumbnails (each opens the lightbox), other
 * files as rows that download the original. A file still being checked for viruses, or an image
 * still being re-encoded, shows a placeholder until the ticket's next refresh brings it ready; a
 * file that failed the virus scan is shown as removed, never as a link.
 */
export function MessageAttachments({
  apiBase,
  locale,
  attachments,
  onOpenImage,
}: {
  /** Where the files are served: `B/api` (portal) or `/api/team` (team app). */
  apiBase: string;
  locale: string;
  attachments: readonly TAttachment[];
  onOpenImage: (id: string) => void;
}) {
  const images = attachments.filter((a) => a.kind === 'image');
  const documents = attachments.filter((a) => a.kind !== 'image');
  return (
    <div className="attachments">
      {images.length > 0 ? (
        <ul className="attachment-grid" aria-label={images.length === 1 ? 'Image' : `${images.length} images`}>
          {images.map((image) => (
            <li key={image.id}>
              <ImageTile apiBase={apiBase} image={image} onOpen={() => onOpenImage(image.id)} />
            </li>
          ))}
        </ul>
      ) : null}
      {documents.length > 0 ? (
        <ul className="attachment-files" aria-label={documents.length === 1 ? 'File' : `${documents.length} files`}>
          {documents.map((document) => (
            <li key={document.id}>
              <DocumentRow apiBase={apiBase} locale={locale} document={document} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ImageTile({ apiBase, image, onOpen }: { apiBase: string; image: TAttachment; onOpen: () => void }) {
  if (image.scan === 'infected') {
    return (
      <div className="attachment-thumb attachment-thumb--placeholder attachment-thumb--failed">
        <ImageIcon size={22} />
        <span className="attachment-thumb__note">{REMOVED}</span>
        <span className="attachment-thumb__name">{image.name}</span>
      </div>
    );
  }
  if (image.scan === 'pending') {
    return (
      <div className="attachment-thumb attachment-thumb--placeholder" role="img" aria-label={`${image.name}, ${CHECKING}`}>
        <span className="attachment-thumb__spinner" aria-hidden="true" />
        <span className="attachment-thumb__note" aria-hidden="true">
          Being checked…
        </span>
      </div>
    );
  }
  if (image.status === 'processing') {
    return (
      <div className="attachment-thumb attachment-thumb--placeholder" role="img" aria-label={`${image.name}, still being processed`}>
        <span className="attachment-thumb__spinner" aria-hidden="true" />
        <span className="attachment-thumb__note" aria-hidden="true">
          Processing…
        </span>
      </div>
    );
  }
  if (image.status === 'failed') {
    return (
      <div className="attachment-thumb attachment-thumb--placeholder attachment-thumb--failed">
        <ImageIcon size={22} />
        <span className="attachment-thumb__note">This image could not be processed</span>
        <span className="attachment-thumb__name">{image.name}</span>
      </div>
    );
  }
  return (
    <button type="button" className="attachment-thumb" aria-haspopup="dialog" data-file-id={image.id} onClick={onOpen}>
      <img
        src={fileUrl(apiBase, image.id, 'thumb')}
        alt={image.name}
        loading="lazy"
        decoding="async"
        width={image.width ?? undefined}
        height={image.height ?? undefined}
      />
    </button>
  );
}

function DocumentRow({ apiBase, locale, document }: { apiBase: string; locale: string; document: TAttachment }) {
  if (document.scan === 'infected' || document.scan === 'pending') {
    const infected = document.scan === 'infected';
    return (
      <div className={`attachment-file attachment-file--unavailable${infected ? ' attachment-file--removed' : ''}`}>
        <span className="attachment-file__icon">
          <DocumentIcon size={22} />
        </span>
        <span className="attachment-file__text">
          <span className="attachment-file__name">{document.name}</span>
          <span className="attachment-file__size">{infected ? REMOVED : CHECKING}</span>
        </span>
      </div>
    );
  }
  return (
    <a className="attachment-file" href={fileUrl(apiBase, document.id)} download={document.name}>
      <span className="attachment-file__icon">
        <DocumentIcon size={22} />
      </span>
      <span className="attachment-file__text">
        <span className="attachment-file__name">{document.name}</span>
        <span className="attachment-file__size">{formatFileSize(document.size, locale)}</span>
      </span>
      <span className="attachment-file__action">
        <DownloadIcon size={18} />
        <span className="visually-hidden">Download</span>
      </span>
    </a>
  );
}
