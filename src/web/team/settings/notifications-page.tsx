import { useState } from 'react';
import type { TNotificationSettings } from '../../../features/tenants/team-settings.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { ActionButton, LiveStatus } from '../../shared/form-controls.js';
import { LoadErrorCard } from '../../shared/states.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { UndeliveredMailCard } from './undelivered-mail-card.js';
import { useNotificationSettings, useUpdateNotificationSettings } from './use-settings.js';

/** `/app/settings/notifications`: who gets an email when a customer writes, opens or closes a ticket. */
export function NotificationSettingsPage() {
  usePageTitle('Notification settings');
  const settings = useNotificationSettings();
  if (settings.data) return <RecipientsForm settings={settings.data} />;
  if (settings.isError)
    return <LoadErrorCard message={messageOf(settings.error)} onRetry={() => void settings.refetch()} isRetrying={settings.isFetching} />;
  return (
    <div aria-busy="true">
      <PageHeading>Notifications</PageHeading>
      <span className="skeleton skeleton--block" />
    </div>
  );
}

function RecipientsForm({ settings }: { settings: TNotificationSettings }) {
  const update = useUpdateNotificationSettings();
  const [chosen, setChosen] = useState(() => new Set(settings.recipients));
  const isChanged = chosen.size !== settings.recipients.length || settings.recipients.some((id) => !chosen.has(id));
  return (
    <div className="settings-section">
      <PageHeading>Notifications</PageHeading>
      <form
        className="card form"
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate({ recipients: [...chosen] });
        }}
      >
        <fieldset className="choice">
          <legend className="card__heading">Email about customer activity</legend>
          <p className="field__hint">New requests, replies and closed tickets from the portal or by email.</p>
          {settings.members.map((member) => (
            <label key={member.id} className="choice__option">
              <input
                type="checkbox"
                checked={chosen.has(member.id)}
                onChange={(e) =>
                  setChosen((current) => {
                    const next = new Set(current);
                    if (e.target.checked) next.add(member.id);
                    else next.delete(member.id);
                    return next;
                  })
                }
              />
              <span>
                {member.name} <span className="muted">{member.email}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {chosen.size === 0 ? <p className="notice notice--warning">Nobody will be emailed; check the inbox for new activity.</p> : null}
        {update.isError ? (
          <p className="notice notice--error" role="alert">
            {messageOf(update.error)}
          </p>
        ) : null}
        <div className="card__actions">
          <ActionButton type="submit" className="button--inline" isPending={update.isPending} pendingLabel="Saving…">
            Save recipients
          </ActionButton>
          {update.isSuccess && !isChanged ? <span className="saved-note">Saved</span> : null}
        </div>
      </form>
      <LiveStatus>{update.isSuccess ? 'Recipients saved.' : ''}</LiveStatus>
      <UndeliveredMailCard />
    </div>
  );
}
