import { useState } from 'react';
import { fileUrl } from '../shared/attachments/file-urls.js';
import { usePortal } from './portal-context.js';

/** "JR" for Jordan Rivera, "M" for Madonna: the first letters of the first and last words. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  return `${Array.from(first)[0] ?? ''}${Array.from(last)[0] ?? ''}`.toUpperCase() || '?';
}

/**
 * The customer's profile photo (re-encoded by the server to a square of at most 512 px), or their
 * initials without one (or when it cannot load). Decorative: the name is always written beside it.
 */
export function Avatar({ name, photoFileId, size }: { name: string; photoFileId: string | null; size: 'small' | 'large' }) {
  const { basePath } = usePortal();
  const [brokenId, setBrokenId] = useState<string | null>(null);
  const pixels = size === 'small' ? 28 : 96;
  if (photoFileId && brokenId !== photoFileId) {
    return (
      <img
        className={`avatar avatar--${size}`}
        src={fileUrl(`${basePath}/api`, photoFileId)}
        alt=""
        width={pixels}
        height={pixels}
        onError={() => setBrokenId(photoFileId)}
      />
    );
  }
  // Drawn from the attribute by CSS: as text, the letters would become part of the name of the
  // link around the avatar ("JR Jordan Rivera"), which then no longer matches its label.
  return <span className={`avatar avatar--${size} avatar--initials`} data-initials={initialsOf(name)} aria-hidden="true" />;
}
