import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TPlatformSettings } from '../../features/operator/operator-tenant.schemas.js';
import { messageOf } from '../shared/api-client.js';
import { ErrorNotice, LiveStatus } from '../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../shared/page-heading.js';
import { operatorApi } from './operator-api.js';

const KEY = ['operator-settings'] as const;

/** `/operator/settings`: the installation's switches (saved as they are flipped). */
export function SettingsPage() {
  usePageTitle('Settings');
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: KEY, queryFn: ({ signal }) => operatorApi.get<TPlatformSettings>('settings', signal) });
  const save = useMutation({
    mutationFn: (patch: Partial<TPlatformSettings>) => operatorApi.patch<TPlatformSettings>('settings', patch),
    onSuccess: (saved) => queryClient.setQueryData(KEY, saved),
  });
  return (
    <div className="page">
      <PageHeading>Settings</PageHeading>
      <section className="card" aria-labelledby="certificates-title">
        <h2 className="card__heading" id="certificates-title">
          Custom domain certificates
        </h2>
        {settings.isPending ? (
          <p className="muted">Loading…</p>
        ) : settings.isError ? (
          <ErrorNotice message={messageOf(settings.error)} />
        ) : (
          <div className="switch-list">
            <label className="switch">
              <input
                type="checkbox"
                role="switch"
                checked={save.isPending ? (save.variables.autoIssueCertificates ?? false) : settings.data.autoIssueCertificates}
                disabled={save.isPending}
                onChange={(event) => save.mutate({ autoIssueCertificates: event.target.checked })}
              />
              <span className="switch__track" aria-hidden="true" />
              <span className="switch__text">
                <span className="switch__label">Issue certificates automatically</span>
                <span className="switch__hint">
                  On: as soon as an organisation&rsquo;s custom domain points at this installation, a certificate is requested and the
                  domain goes live. Off: each domain waits until an operator approves it.
                </span>
              </span>
            </label>
          </div>
        )}
        <ErrorNotice message={save.isError ? messageOf(save.error) : null} />
        <LiveStatus>{save.isSuccess ? 'Saved.' : ''}</LiveStatus>
      </section>
    </div>
  );
}
