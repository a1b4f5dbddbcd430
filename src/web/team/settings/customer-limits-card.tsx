import { type FormEvent, useState } from 'react';
import type {
  TCustomerLimits,
  TCustomerLimitsSettings,
  TUpdateCustomerLimitsRequest,
} from '../../../features/tenants/team-settings.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice, LiveStatus, TextField } from '../../shared/form-controls.js';
import { useCustomerLimits, useUpdateCustomerLimits } from './use-settings.js';

type Limit = keyof TCustomerLimits;

/** The limits in the order a person reads them, each with its label. */
const LIMITS: readonly { readonly key: Limit; readonly label: string }[] = [
  { key: 'submissionsPerMinute', label: 'New requests per minute' },
  { key: 'submissionsPerDay', label: 'New requests per day' },
  { key: 'repliesPerMinute', label: 'Replies per minute' },
  { key: 'repliesPerDay', label: 'Replies per day' },
  { key: 'closesPerMinute', label: 'Closed tickets per minute' },
  { key: 'closesPerDay', label: 'Closed tickets per day' },
  { key: 'uploadsPerMinute', label: 'Uploads per minute' },
  { key: 'uploadsPerDay', label: 'Uploads per day' },
  { key: 'pendingUploadMb', label: 'Files uploaded but not sent yet (MB)' },
  { key: 'uploadMbPerDay', label: 'Files uploaded per day (MB)' },
];

/**
 * "Customer limits" on the portal settings page: what one customer may do, per minute and per
 * day. An empty field is the default (shown as the placeholder); saving sends only what changed.
 */
export function CustomerLimitsCard() {
  const limits = useCustomerLimits();
  if (limits.data) return <CustomerLimitsForm settings={limits.data} />;
  if (limits.isError) return <ErrorNotice message={messageOf(limits.error)} />;
  return <span className="skeleton skeleton--block" aria-busy="true" />;
}

function CustomerLimitsForm({ settings }: { settings: TCustomerLimitsSettings }) {
  const update = useUpdateCustomerLimits();
  const initial = (key: Limit) => (settings.overrides[key] === undefined ? '' : String(settings.overrides[key]));
  const [values, setValues] = useState<Record<Limit, string>>(
    () => Object.fromEntries(LIMITS.map(({ key }) => [key, initial(key)])) as Record<Limit, string>,
  );
  const [errors, setErrors] = useState<Partial<Record<Limit, string>>>({});
  const [announcement, setAnnouncement] = useState('');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    const change: Record<string, number | null> = {};
    const problems: Partial<Record<Limit, string>> = {};
    for (const { key } of LIMITS) {
      const text = values[key].trim();
      if (text === initial(key)) continue;
      if (text === '') change[key] = null;
      else if (/^\d+$/.test(text) && Number(text) >= 1) change[key] = Number(text);
      else problems[key] = 'Enter a whole number from 1, or leave it empty for the default.';
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0 || Object.keys(change).length === 0) return;
    update.mutate(change as TUpdateCustomerLimitsRequest, {
      onSuccess: () => setAnnouncement('Saved. The portal applies the limits now.'),
    });
  };

  return (
    <form className="card form settings-form" noValidate onSubmit={onSubmit} aria-labelledby="customer-limits-title">
      <h2 className="card__heading" id="customer-limits-title">
        Customer limits
      </h2>
      <p className="muted">
        How much one customer may send. Past a limit they are asked to wait, and told how long. Leave a field empty for the default.
      </p>
      {LIMITS.map(({ key, label }) => (
        <TextField
          key={key}
          label={label}
          inputMode="numeric"
          value={values[key]}
          placeholder={`${settings.defaults[key]} (default)`}
          error={errors[key]}
          onChange={(e) => setValues({ ...values, [key]: e.target.value })}
        />
      ))}
      <ErrorNotice message={update.isError ? messageOf(update.error) : null} />
      <ActionButton type="submit" isPending={update.isPending} pendingLabel="Saving…" className="button--inline">
        Save limits
      </ActionButton>
      <LiveStatus>{update.isPending ? 'Saving…' : announcement}</LiveStatus>
    </form>
  );
}
