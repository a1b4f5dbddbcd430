import { useState } from 'react';
import type { TPortalSettings, TUpdatePortalSettingsRequest } from '../../../features/tenants/team-settings.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { VISIBILITY_LABELS } from '../clients/visibility.js';
import { LoadErrorCard } from '../../shared/states.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { CustomDomainCard } from './custom-domain-card.js';
import { CustomerLimitsCard } from './customer-limits-card.js';
import { usePortalSettings, useUpdatePortalSettings } from './use-settings.js';

/** `/app/settings/portal`: where customers find the portal, and what they may do there. Each switch saves at once. */
export function PortalSettingsPage() {
  usePageTitle('Portal settings');
  const settings = usePortalSettings();
  if (settings.data) return <PortalSettingsForm settings={settings.data} />;
  if (settings.isError)
    return <LoadErrorCard message={messageOf(settings.error)} onRetry={() => void settings.refetch()} isRetrying={settings.isFetching} />;
  return (
    <div aria-busy="true">
      <PageHeading>Customer portal</PageHeading>
      <span className="skeleton skeleton--block" />
    </div>
  );
}

function PortalSettingsForm({ settings }: { settings: TPortalSettings }) {
  const update = useUpdatePortalSettings();
  const [announcement, setAnnouncement] = useState('');
  const [copied, setCopied] = useState<string | null>(null);
  const save = (change: TUpdatePortalSettingsRequest, done: string) => update.mutate(change, { onSuccess: () => setAnnouncement(done) });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(settings.portalUrl);
      setCopied('Copied');
    } catch {
      setCopied('Select the address and copy it');
    }
  };
  return (
    <div className="settings-section">
      <PageHeading>Customer portal</PageHeading>
      <section className="card" aria-labelledby="portal-url-title">
        <h2 className="card__heading" id="portal-url-title">
          Portal address
        </h2>
        <p className="muted">Share it with your customers; they sign in with their email, no password.</p>
        <div className="copy-field">
          <input
            className="field__input copy-field__input"
            readOnly
            value={settings.portalUrl}
            aria-labelledby="portal-url-title"
            onFocus={(e) => e.target.select()}
          />
          <button type="button" className="button button--secondary button--inline" onClick={() => void copy()}>
            {copied ?? 'Copy'}
            <span className="visually-hidden"> the portal address</span>
          </button>
          <a className="button button--quiet button--inline" href={settings.portalUrl} target="_blank" rel="noopener noreferrer">
            Open<span className="visually-hidden"> the portal (new tab)</span>
          </a>
        </div>
      </section>
      <section className="card" aria-labelledby="portal-rules-title">
        <h2 className="card__heading" id="portal-rules-title">
          What customers can do
        </h2>
        <div className="switch-list">
          <Switch
            label="Customers can submit new requests"
            hint="Off: the portal shows their tickets, but new requests come by phone or email."
            checked={settings.submissionsEnabled}
            onChange={(on) =>
              save({ submissionsEnabled: on }, on ? 'Customers can submit requests.' : 'New requests are off in the portal.')
            }
          />
          <Switch
            label="A reply reopens a closed ticket"
            hint="Off: closed tickets take no more replies; the customer opens a new one."
            checked={settings.reopenOnReply}
            onChange={(on) => save({ reopenOnReply: on }, on ? 'Replies reopen closed tickets.' : 'Closed tickets take no replies.')}
          />
        </div>
        <fieldset className="choice settings-choice">
          <legend className="field__label">New clients&rsquo; contacts see</legend>
          {(['all', 'own'] as const).map((value) => (
            <label key={value} className="choice__option">
              <input
                type="radio"
                name="visibility-default"
                checked={settings.clientVisibilityDefault === value}
                onChange={() => save({ clientVisibilityDefault: value }, `New clients: ${VISIBILITY_LABELS[value].toLowerCase()}.`)}
              />
              {VISIBILITY_LABELS[value]}
            </label>
          ))}
          <p className="field__hint">Existing clients keep theirs; change it on a client&rsquo;s page.</p>
        </fieldset>
        {update.isError ? (
          <p className="notice notice--error" role="alert">
            {messageOf(update.error)}
          </p>
        ) : null}
      </section>
      <LiveStatus>{update.isPending ? 'Saving…' : announcement}</LiveStatus>
      <CustomDomainCard portalUrl={settings.defaultPortalUrl} />
      <CustomerLimitsCard />
    </div>
  );
}

export function Switch({
  label,
  hint,
  checked,
  onChange,
}: {
  label: string;
  hint: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <label className="switch">
      <input type="checkbox" role="switch" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span className="switch__track" aria-hidden="true" />
      <span className="switch__text">
        <span className="switch__label">{label}</span>
        <span className="switch__hint">{hint}</span>
      </span>
    </label>
  );
}
