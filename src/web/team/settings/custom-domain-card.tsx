import { ModalDialog } from '../../shared/modal-dialog.js';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { TCustomDomain, TCustomDomainSettings, TCustomDomainStatus } from '../../../features/domains/team-custom-domain.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { ActionButton, ErrorNotice, LiveStatus, TextField } from '../../shared/form-controls.js';
import { DateTime } from '../../shared/formatted.js';
import { useCheckCustomDomain, useClaimCustomDomain, useCustomDomain, useRemoveCustomDomain } from './use-custom-domain.js';

/** Each state in words: the badge, its look, and what it means for the organisation. */
const STATES: Record<TCustomDomainStatus, { label: string; tone: 'on' | 'warn' | 'off' | 'danger'; text: string }> = {
  pending_dns: {
    label: 'Waiting for DNS',
    tone: 'off',
    text: 'Add the two records below at your DNS provider. We check again automatically (often at first, then daily); DNS changes can take up to an hour to show.',
  },
  verified: {
    label: 'Verified',
    tone: 'warn',
    text: 'DNS is verified. The certificate is pending: the operator of this service issues it.',
  },
  issuing: {
    label: 'Certificate pending',
    tone: 'warn',
    text: 'DNS is verified and a certificate is being issued; this takes a minute or two.',
  },
  active: { label: 'Active', tone: 'on', text: 'Customers can use the portal at this address.' },
  failed: {
    label: 'Failed',
    tone: 'danger',
    text: 'We found no proof that you control this name. Fix the records below and press Check now to try again.',
  },
  lapsed: {
    label: 'Lapsed',
    tone: 'danger',
    text: 'This name no longer points to the portal. Fix the CNAME record below; it comes back by itself at the next check.',
  },
};

const STEPS: readonly { label: string; states: readonly TCustomDomainStatus[] }[] = [
  { label: 'Waiting for DNS', states: ['pending_dns', 'failed'] },
  { label: 'Verified', states: ['verified'] },
  { label: 'Certificate pending', states: ['issuing'] },
  { label: 'Active', states: ['active', 'lapsed'] },
];

/** Settings → Portal → Custom domain (owners and admins): claim a name, the records to add, and where it stands. */
export function CustomDomainCard({ portalUrl }: { portalUrl: string }) {
  const query = useCustomDomain();
  return (
    <section className="card" aria-labelledby="custom-domain-title">
      <h2 className="card__heading" id="custom-domain-title">
        Custom domain
      </h2>
      {query.data ? (
        <CustomDomainBody settings={query.data} portalUrl={portalUrl} />
      ) : query.isError ? (
        <ErrorNotice message={messageOf(query.error)} />
      ) : (
        <span className="skeleton skeleton--block" aria-busy="true" />
      )}
    </section>
  );
}

function CustomDomainBody({ settings, portalUrl }: { settings: TCustomDomainSettings; portalUrl: string }) {
  const [replacing, setReplacing] = useState(false);
  const domain = settings.domain;
  if (!domain || replacing) {
    return (
      <ClaimForm
        current={domain}
        portalUrl={portalUrl}
        onDone={() => setReplacing(false)}
        onCancel={domain ? () => setReplacing(false) : null}
      />
    );
  }
  return <DomainState domain={domain} settings={settings} portalUrl={portalUrl} onReplace={() => setReplacing(true)} />;
}

function ClaimForm({
  current,
  portalUrl,
  onDone,
  onCancel,
}: {
  current: TCustomDomain | null;
  portalUrl: string;
  onDone: () => void;
  onCancel: (() => void) | null;
}) {
  const claim = useClaimCustomDomain();
  const [host, setHost] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const errors = claim.isError
    ? formErrorsFrom(claim.error, { host: 'Domain name' }, { DOMAIN_INVALID: 'host', DOMAIN_TAKEN: 'host' })
    : null;
  useEffect(() => {
    if (errors?.fields.host) input.current?.focus();
  }, [errors?.fields.host]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    claim.mutate({ host }, { onSuccess: onDone });
  };
  return (
    <form className="custom-domain-form" onSubmit={submit} noValidate>
      <p className="muted">
        Let customers use the portal at an address of your own, such as <code>support.yourcompany.com</code>. The default address{' '}
        <span className="custom-domain__url">{portalUrl}</span> keeps working.
      </p>
      {current ? (
        <p className="notice notice--warning">
          Replacing <strong>{current.host}</strong> removes it (and its certificate) at once; the new name needs its own DNS records.
        </p>
      ) : null}
      <TextField
        ref={input}
        label="Domain name"
        hint="A name in a domain you own. You will add two DNS records for it."
        name="host"
        inputMode="url"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        placeholder="support.yourcompany.com"
        value={host}
        onChange={(e) => setHost(e.target.value)}
        error={errors?.fields.host ?? null}
      />
      <ErrorNotice message={errors?.form ?? null} />
      <div className="custom-domain__actions">
        <ActionButton type="submit" className="button--inline" isPending={claim.isPending} pendingLabel="Saving…">
          {current ? 'Use this domain instead' : 'Use this domain'}
        </ActionButton>
        {onCancel ? (
          <button type="button" className="button button--secondary button--inline" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

function DomainState({
  domain,
  settings,
  portalUrl,
  onReplace,
}: {
  domain: TCustomDomain;
  settings: TCustomDomainSettings;
  portalUrl: string;
  onReplace: () => void;
}) {
  const check = useCheckCustomDomain();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const state = STATES[domain.status];
  const proven = domain.status !== 'pending_dns' && domain.status !== 'failed';
  const runCheck = () =>
    check.mutate(undefined, { onSuccess: (s) => setAnnouncement(`Checked: ${s.domain ? STATES[s.domain.status].label : 'no domain'}.`) });
  return (
    <div className="custom-domain">
      <div className="custom-domain__head">
        <span className="custom-domain__host">{domain.host}</span>
        <span className={`status-pill status-pill--${state.tone}`} data-testid="domain-status">
          {state.label}
        </span>
      </div>
      <ol className="domain-steps" aria-label="Progress">
        {STEPS.map((step) => {
          const current = step.states.includes(domain.status);
          return (
            <li
              key={step.label}
              className={current ? 'domain-steps__step domain-steps__step--current' : 'domain-steps__step'}
              aria-current={current ? 'step' : undefined}
            >
              {step.label}
            </li>
          );
        })}
      </ol>
      <p>{state.text}</p>
      {domain.url ? (
        <p>
          <a
            className="button button--secondary button--inline custom-domain__url"
            href={domain.url}
            target="_blank"
            rel="noopener noreferrer"
          >
            {domain.url}
            <span className="visually-hidden"> (opens the portal in a new tab)</span>
          </a>
        </p>
      ) : null}
      {domain.statusReason && domain.status !== 'verified' && domain.status !== 'issuing' ? (
        <p
          className={domain.status === 'failed' || domain.status === 'lapsed' ? 'notice notice--error' : 'notice'}
          data-testid="domain-reason"
        >
          {domain.statusReason}
        </p>
      ) : null}
      {domain.observed ? <Observed domain={domain} cnameTarget={settings.cnameTarget} /> : null}

      <h3 className="custom-domain__subheading">{proven ? 'DNS records' : 'Add these two records'}</h3>
      <div className="dns-records">
        <DnsRecordRow record={domain.records.cname} purpose="Points the name at the portal." />
        <DnsRecordRow
          record={domain.records.txt}
          purpose={proven ? 'Proved that the name is yours; you may remove it now.' : 'Proves that the name is yours.'}
        />
      </div>
      <p className="field__hint">
        A root name such as <code>yourcompany.com</code> usually cannot have a CNAME record: add A (and AAAA) records with the addresses of{' '}
        {settings.cnameTarget} instead.
      </p>

      {domain.certificate ? (
        <p className="muted">
          Certificate from {domain.certificate.issuer}, {domain.certificate.status}, valid until{' '}
          <DateTime iso={domain.certificate.notAfter} />.
        </p>
      ) : null}
      <dl className="custom-domain__times">
        <div>
          <dt>Last checked</dt>
          <dd>{domain.lastCheckedAt ? <DateTime iso={domain.lastCheckedAt} /> : 'Not yet'}</dd>
        </div>
        <div>
          <dt>Next check</dt>
          <dd>{domain.nextCheckAt ? <DateTime iso={domain.nextCheckAt} /> : 'Only when you press Check now'}</dd>
        </div>
      </dl>
      {domain.status !== 'active' && domain.status !== 'lapsed' ? (
        <p className="muted">
          Until the certificate is active, browsers warn visitors who open https://{domain.host}. Keep sharing the default address{' '}
          <span className="custom-domain__url">{portalUrl}</span> until then; it keeps working afterwards too.
        </p>
      ) : null}
      <ErrorNotice message={check.isError ? messageOf(check.error) : null} />
      <div className="custom-domain__actions">
        <ActionButton className="button--inline" isPending={check.isPending} pendingLabel="Checking DNS…" onClick={runCheck}>
          Check now
        </ActionButton>
        <button type="button" className="button button--secondary button--inline" onClick={onReplace}>
          Replace
        </button>
        <button type="button" className="button button--danger button--inline" onClick={() => setConfirmRemove(true)}>
          Remove
        </button>
      </div>
      <LiveStatus>{check.isPending ? 'Checking DNS…' : announcement}</LiveStatus>
      {confirmRemove ? <RemoveDialog host={domain.host} onClose={() => setConfirmRemove(false)} /> : null}
    </div>
  );
}

/** What the last check found, in the words of DNS. */
function Observed({ domain, cnameTarget }: { domain: TCustomDomain; cnameTarget: string }) {
  const seen = domain.observed;
  if (!seen) return null;
  const txt = seen.txt.includes(domain.records.txt.value) ? 'found' : seen.txt.length > 0 ? 'a different value' : 'none';
  return (
    <dl className="custom-domain__observed" aria-label="What DNS answered at the last check">
      <div>
        <dt>CNAME</dt>
        <dd>{seen.cname ? `${seen.cname}${seen.cname === cnameTarget ? ' ✓' : ''}` : 'none'}</dd>
      </div>
      <div>
        <dt>Resolves to</dt>
        <dd>{seen.addresses.length > 0 ? seen.addresses.join(', ') : 'nothing'}</dd>
      </div>
      <div>
        <dt>TXT proof</dt>
        <dd>{txt}</dd>
      </div>
    </dl>
  );
}

function DnsRecordRow({ record, purpose }: { record: TCustomDomain['records']['cname']; purpose: string }) {
  return (
    <div className="dns-record">
      <p className="dns-record__type">
        <span className="status-pill status-pill--off">{record.type}</span> <span className="muted">{purpose}</span>
      </p>
      <CopyValue type={record.type} part="Name" value={record.name} />
      <CopyValue type={record.type} part="Value" value={record.value} />
    </div>
  );
}

function CopyValue({ type, part, value }: { type: string; part: 'Name' | 'Value'; value: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied');
    } catch {
      setCopied('Select and copy');
    }
  };
  const id = `dns-${type.toLowerCase()}-${part.toLowerCase()}`;
  return (
    <div className="dns-record__field">
      <span className="dns-record__label" id={id}>
        <span className="visually-hidden">{type} </span>
        {part}
      </span>
      <div className="copy-field">
        <input className="field__input copy-field__input" readOnly value={value} aria-labelledby={id} onFocus={(e) => e.target.select()} />
        <button type="button" className="button button--secondary button--inline" onClick={() => void copy()}>
          {copied ?? 'Copy'}
          <span className="visually-hidden">
            {' '}
            the {type} {part.toLowerCase()}
          </span>
        </button>
      </div>
    </div>
  );
}

function RemoveDialog({ host, onClose }: { host: string; onClose: () => void }) {
  const remove = useRemoveCustomDomain();
  return (
    <ModalDialog titleId="remove-domain-title" describedBy="remove-domain-text" onClose={onClose}>
      <h2 className="dialog__title" id="remove-domain-title">
        Remove {host}?
      </h2>
      <p className="muted" id="remove-domain-text">
        Customers can no longer reach the portal there, and its certificate is deleted. The default portal address keeps working. To use the
        name again later, you add a new TXT record.
      </p>
      <ErrorNotice message={remove.isError ? messageOf(remove.error) : null} />
      <div className="dialog__actions">
        <button type="button" className="button button--secondary button--inline" onClick={onClose} autoFocus>
          Keep it
        </button>
        <ActionButton
          variant="danger"
          className="button--inline"
          isPending={remove.isPending}
          pendingLabel="Removing…"
          onClick={() => remove.mutate(undefined, { onSuccess: onClose })}
        >
          Remove domain
        </ActionButton>
      </div>
    </ModalDialog>
  );
}
