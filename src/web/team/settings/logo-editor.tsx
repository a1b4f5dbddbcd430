import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ChangeEvent } from 'react';
import type { TOrganisationSettings } from '../../../features/tenants/team-settings.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { extensionOf, IMAGE_EXTENSIONS, MAX_FILE_BYTES } from '../../shared/attachments/file-rules.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { uploadFile } from '../../shared/upload-file.js';
import { TEAM_API_BASE, teamApi } from '../team-api.js';
import { ORGANISATION_KEY } from './use-settings.js';
import { UploadProgress } from '../../shared/attachments/upload-progress.js';

/**
 * The organisation's logo: a preview as the portal shows it, "Upload a logo" (any photo format;
 * the server re-encodes it to a PNG inside 512×512) with progress, and "Remove".
 */
export function LogoEditor({
  name,
  logoUrl,
  onChanged,
}: {
  name: string;
  logoUrl: string | null;
  onChanged: (settings: TOrganisationSettings) => void;
}) {
  const queryClient = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const store = (settings: TOrganisationSettings) => {
    queryClient.setQueryData(ORGANISATION_KEY, settings);
    onChanged(settings);
  };
  const remove = useMutation({
    mutationFn: () => teamApi.delete<TOrganisationSettings>('settings/organisation/logo'),
    onSuccess: (settings) => {
      store(settings);
      setAnnouncement('The logo was removed.');
    },
    onError: (failure) => setError(messageOf(failure)),
  });

  const onChosen = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (!IMAGE_EXTENSIONS.includes(extensionOf(file.name)))
      return setError(`“${file.name}” is not an image. Choose a PNG, JPEG, WebP, GIF or HEIC file.`);
    if (file.size > MAX_FILE_BYTES) return setError(`“${file.name}” is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB.`);
    setError(null);
    setProgress(0);
    uploadFile<TOrganisationSettings>(`${TEAM_API_BASE}/settings/organisation/logo`, file, {
      method: 'PUT',
      field: 'logo',
      onProgress: setProgress,
    }).then(
      (settings) => {
        setProgress(null);
        store(settings);
        setAnnouncement('The new logo is in place.');
      },
      (failure: unknown) => {
        setProgress(null);
        setError(messageOf(failure));
      },
    );
  };

  return (
    <section className="card logo-editor" aria-labelledby="logo-title">
      <div className="logo-editor__preview" aria-hidden={logoUrl ? undefined : true}>
        {logoUrl ? <img src={logoUrl} alt={`${name} logo`} width={72} height={72} /> : <span className="logo-editor__empty">No logo</span>}
      </div>
      <div className="logo-editor__body">
        <h2 className="card__heading" id="logo-title">
          Logo
        </h2>
        <p className="muted">Shown in the portal&rsquo;s header and in emails. A square image works best; it is resized to fit 512×512.</p>
        {progress !== null ? <UploadProgress label="Uploading the logo" percent={progress} /> : null}
        {error ? (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="card__actions">
          <button
            type="button"
            className="button button--secondary button--inline"
            onClick={() => inputRef.current?.click()}
            aria-disabled={progress !== null || undefined}
          >
            {progress !== null ? `Uploading… ${progress}%` : logoUrl ? 'Replace the logo' : 'Upload a logo'}
          </button>
          {logoUrl ? (
            <button type="button" className="button button--quiet button--inline" onClick={() => remove.mutate()}>
              Remove
            </button>
          ) : null}
        </div>
        <input ref={inputRef} type="file" accept="image/*,.heic,.heif" hidden onChange={onChosen} data-testid="logo-input" />
      </div>
      <LiveStatus>{announcement}</LiveStatus>
    </section>
  );
}
