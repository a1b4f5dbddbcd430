import { useState } from 'react';
import { fileUrl } from '../shared/attachments/file-urls.js';
import { initialsOf } from './layout/team-header.js';
import { TEAM_API_BASE } from './team-api.js';

/**
 * A person beside their message: a customer's profile photo (GET /api/team/files/{id}), or
 * initials (team members, customers without a photo, a photo that fails to load). Decorative: the
 * name is always written next to it.
 */
export function Avatar({ name, photoFileId, tone }: { name: string; photoFileId: string | null; tone: 'customer' | 'team' | 'note' }) {
  const [brokenId, setBrokenId] = useState<string | null>(null);
  if (photoFileId && brokenId !== photoFileId) {
    return (
      <img
        className="avatar"
        src={fileUrl(TEAM_API_BASE, photoFileId)}
        alt=""
        width={32}
        height={32}
        loading="lazy"
        onError={() => setBrokenId(photoFileId)}
      />
    );
  }
  return <span className={`avatar avatar--initials avatar--${tone}`} data-initials={initialsOf(name)} aria-hidden="true" />;
}
