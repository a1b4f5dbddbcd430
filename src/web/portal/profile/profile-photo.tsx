import { useRef, useState, type ChangeEvent } from 'react';
import type { TMe } from '../../../features/auth/portal-auth.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { isAbortError } from '../../shared/upload-file.js';
import { extensionOf, IMAGE_EXTENSIONS, MAX_FILE_BYTES } from '../../shared/attachments/file-rules.js';
import { Avatar } from '../../shared/avatar.js';
import { ActionButton, ErrorNotice, LiveStatus } from '../../shared/form-controls.js';
import { useProfilePhoto } from './use-profile-photo.js';
import { UploadProgress } from '../../shared/attachments/upload-progress.js';

const PHOTO_ACCEPT = ['image/*', ...IMAGE_EXTENSIONS.map((extension) => `.${extension}`)].join(',');

/** Why a file cannot be a profile photo, or null (the server checks again, by its bytes). */
function photoProblem(file: File): string | null {
  if (!IMAGE_EXTENSIONS.includes(extensionOf(file.name)))
    return `“${file.name}” is not a photo. Choose a JPEG, PNG, WebP, GIF or HEIC image.`;
  if (file.size > MAX_FILE_BYTES) return `“${file.name}” is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB, the limit for one file.`;
  return null;
}

/** The customer's photo on the profile page: upload (with progress), change, remove. */
export function ProfilePhoto({ me }: { me: TMe }) {
  const { upload, remove, progress } = useProfilePhoto();
  const inputRef = useRef<HTMLInputElement>(null);
  const buttonRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const photoFileId = me.contact.photoFileId ?? null;
  const isBusy = upload.isPending || remove.isPending;

  const onChosen = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const problem = photoProblem(file);
    setError(problem);
    if (problem) return;
    setStatus('Uploading your photo…');
    upload.mutate(file, {
      onSuccess: () => setStatus('Your photo is saved.'),
      onError: (failure) => {
        setStatus('');
        if (!isAbortError(failure)) setError(messageOf(failure));
      },
    });
  };
  const onRemove = () => {
    setError(null);
    remove.mutate(undefined, {
      onSuccess: () => {
        setStatus('Your photo is removed.');
        // "Remove" is gone with the photo: the focus stays on this section's main button.
        buttonRef.current?.querySelector('button')?.focus();
      },
      onError: (failure) => setError(messageOf(failure)),
    });
  };

  return (
    <div className="profile-photo" role="group" aria-labelledby="profile-photo-label">
      <Avatar name={me.contact.name} photoFileId={photoFileId} size="large" pixels={96} />
      <div className="profile-photo__body">
        <p className="field__label" id="profile-photo-label">
          Photo
        </p>
        <p className="field__hint" id="profile-photo-hint">
          Optional. A JPEG, PNG, WebP, GIF or HEIC image up to 10 MB; it is cropped to a square.
        </p>
        <div className="profile-photo__actions" ref={buttonRef}>
          <ActionButton
            variant="secondary"
            className="button--inline button--small"
            isPending={upload.isPending}
            pendingLabel="Uploading…"
            onClick={() => {
              if (!isBusy) inputRef.current?.click();
            }}
          >
            {photoFileId ? 'Change photo' : 'Upload photo'}
          </ActionButton>
          {photoFileId ? (
            <ActionButton
              variant="secondary"
              className="button--inline button--small"
              isPending={remove.isPending}
              pendingLabel="Removing…"
              onClick={() => {
                if (!isBusy) onRemove();
              }}
            >
              Remove
            </ActionButton>
          ) : null}
        </div>
        {upload.isPending ? <UploadProgress label="Uploading your photo" percent={progress} /> : null}
        <ErrorNotice message={error} />
        <input ref={inputRef} type="file" accept={PHOTO_ACCEPT} hidden onChange={onChosen} aria-describedby="profile-photo-hint" />
        <LiveStatus>{status}</LiveStatus>
      </div>
    </div>
  );
}
