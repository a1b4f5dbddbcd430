import { useState } from 'react';
import { useAppKit } from './app-kit.js';
import { fileUrl } from './attachments/file-urls.js';

/** "JR" for Jordan Rivera, "M" for Madonna: the first letters of the first and last words. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  return `${Array.from(first)[0] ?? ''}${Array.from(last)[0] ?? ''}`.toUpperCase() || '?';
}

/**
 * A person's profile photo (re-encoded by the server to a square of at most 512 px, fetched from
 * the app's `files/{id}`), or their initials without one (or when it cannot load). Decorative: the
 * name is always written beside it. `size` and `tone` are CSS modifiers (`avatar--small`,
 * `avatar--team`): the portal sizes its avatars, the team app tints the initials by who wrote.
 */
export function Avatar({
  name,
  photoFileId,
  pixels,
  size,
  tone,
  lazy = false,
}: {
  name: string;
  photoFileId: string | null;
  pixels: number;
  size?: 'small' | 'large';
  tone?: 'customer' | 'team' | 'note';
  lazy?: boolean;
}) {
  const { apiBase } = useAppKit();
  const [brokenId, setBrokenId] = useState<string | null>(null);
  const sized = size ? `avatar avatar--${size}` : 'avatar';
  if (photoFileId && brokenId !== photoFileId) {
    return (
      <img
        className={sized}
        src={fileUrl(apiBase, photoFileId)}
        alt=""
        width={pixels}
        height={pixels}
        loading={lazy ? 'lazy' : undefined}
        onError={() => setBrokenId(photoFileId)}
      />
    );
  }
  // Drawn from the attribute by CSS: as text, the letters would become part of the name of the
  // link around the avatar ("JR Jordan Rivera"), which then no longer matches its label.
  const className = `${sized} avatar--initials${tone ? ` avatar--${tone}` : ''}`;
  return <span className={className} data-initials={initialsOf(name)} aria-hidden="true" />;
}
