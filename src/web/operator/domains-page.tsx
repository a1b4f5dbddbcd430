import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { TOperatorDomain, TOperatorDomainList } from '../../features/operator/operator-domain.schemas.js';
import { messageOf } from '../shared/api-client.js';
import { ModalDialog } from '../shared/modal-dialog.js';
import { ActionButton, ErrorNotice, LiveStatus } from '../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../shared/page-heading.js';
import { operatorApi } from './operator-api.js';

type Filter = 'waiting' | 'active' | 'problems' | 'all';
const TABS: readonly { filter: Filter; label: string }[] = [
  { filter: 'waiting', label: 'Waiting for a certificate' },
  { filter: 'problems', label: 'Problems' },
  { filter: 'active', label: 'Active' },
  { filter: 'all', label: 'All' },
];
const STATE: Record<TOperatorDomain['status'], { label: string; tone: 'on' | 'off' | 'warn' }> = {
  pending_dns: { label: 'Waiting for DNS', tone: 'warn' },
  verified: { label: 'Verified', tone: 'warn' },
  issuing: { label: 'Certificate pending', tone: 'warn' },
  active: { label: 'Active', tone: 'on' },
  failed: { label: 'Failed', tone: 'off' },
  lapsed: { label: 'Lapsed', tone: 'off' },
};

/**
 * `/operator/domains`: every organisation's custom domain. The queue "verified, waiting for a
 * certificate" comes first; each claim shows its state in words and what the operator may do:
 * Issue, Renew, Revoke (with a reason), Upload a PEM certificate, Check DNS now.
 */
export function DomainsPage() {
  usePageTitle('Domains');
  const [params, setParams] = useSearchParams();
  const filter = (TABS.some((t) => t.filter === params.get('filter')) ? params.get('filter') : 'waiting') as Filter;
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const queryKey = ['operator-domains', filter, q] as const;
  const list = useQuery({
    queryKey,
    queryFn: ({ signal }) =>
      operatorApi.get<TOperatorDomainList>(`domains?filter=${filter}${q ? `&q=${encodeURIComponent(q)}` : ''}`, signal),
  });
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    if (search.trim()) next.set('q', search.trim());
    else next.delete('q');
    setParams(next);
  };
  return (
    <div className="page operator-domains">
      <PageHeading>Domains</PageHeading>
      <p className="muted">
        Organisations claim a domain in their portal settings and prove it in DNS. A verified domain waits here until you issue its
        certificate — or set <Link to="/settings">Issue certificates automatically</Link>.
        {list.data
          ? list.data.issuer === 'acme'
            ? ' Servelo issues certificates over ACME.'
            : ' Your proxy (Caddy) issues certificates on demand once a domain is approved.'
          : null}
      </p>
      <nav className="operator-tabs" aria-label="Which domains">
        {TABS.map((tab) => (
          <Link
            key={tab.filter}
            className="operator-tabs__tab"
            aria-current={tab.filter === filter ? 'page' : undefined}
            to={`?filter=${tab.filter}${q ? `&q=${encodeURIComponent(q)}` : ''}`}
          >
            {tab.label}
            {list.data ? <span className="operator-tabs__count"> {list.data.counts[tab.filter]}</span> : null}
          </Link>
        ))}
      </nav>
      <form className="operator-search" role="search" onSubmit={submitSearch}>
        <label className="visually-hidden" htmlFor="domain-search">
          Search domains by name or organisation
        </label>
        <input
          id="domain-search"
          className="field__input"
          type="search"
          placeholder="Search by domain or organisation"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <button type="submit" className="button button--secondary button--inline">
          Search
        </button>
      </form>
      {list.isPending ? (
        <p className="muted">Loading…</p>
      ) : list.isError ? (
        <ErrorNotice message={messageOf(list.error)} />
      ) : list.data.domains.length === 0 ? (
        <p className="muted">{filter === 'waiting' ? 'No domain is waiting for a certificate.' : 'No domains here.'}</p>
      ) : (
        <ul className="operator-domain-list">
          {list.data.domains.map((domain) => (
            <DomainCard key={domain.id} domain={domain} />
          ))}
        </ul>
      )}
    </div>
  );
}

type Action = 'issue' | 'renew' | 'check';

function DomainCard({ domain }: { domain: TOperatorDomain }) {
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<'revoke' | 'upload' | null>(null);
  const [done, setDone] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['operator-domains'] });
  const act = useMutation({
    mutationFn: (action: Action) => operatorApi.post<void>(`domains/${encodeURIComponent(domain.id)}/${action}`),
    onSuccess: (_data, action) => {
      setDone(action === 'issue' ? `${domain.host} approved.` : action === 'renew' ? 'Renewal requested.' : 'DNS checked.');
      void refresh();
    },
  });
  const state = STATE[domain.status];
  return (
    <li className="card operator-domain">
      <div className="operator-domain__head">
        <h2 className="operator-domain__host">{domain.host}</h2>
        <span className={`status-pill status-pill--${state.tone}`}>{state.label}</span>
      </div>
      <p className="operator-domain__tenant">
        <Link to={`/tenants/${encodeURIComponent(domain.tenant.id)}`}>{domain.tenant.name}</Link>
        {domain.tenant.status === 'suspended' ? <span className="status-pill status-pill--off">Suspended</span> : null}
      </p>
      {domain.statusReason ? <p className="muted">{domain.statusReason}</p> : null}
      <dl className="operator-facts">
        <div>
          <dt>Certificate</dt>
          <dd>
            {domain.certificate
              ? `${domain.certificate.source === 'upload' ? 'Uploaded' : 'ACME'} · ${domain.certificate.issuer} · until ${new Date(domain.certificate.notAfter).toLocaleDateString()}`
              : 'None'}
          </dd>
        </div>
        <div>
          <dt>Last DNS check</dt>
          <dd>{domain.lastCheckedAt ? new Date(domain.lastCheckedAt).toLocaleString() : 'Not yet'}</dd>
        </div>
      </dl>
      {domain.certificateError ? (
        <p className="notice notice--error">
          {domain.certificateError}
          {domain.certificateNextAttemptAt
            ? ` Attempt ${domain.certificateAttempts}; next try ${new Date(domain.certificateNextAttemptAt).toLocaleString()}.`
            : ''}
        </p>
      ) : null}
      <div className="card__actions operator-domain__actions">
        {domain.can.issue ? (
          <ActionButton
            className="button--inline"
            isPending={act.isPending && act.variables === 'issue'}
            pendingLabel="Issuing…"
            onClick={() => act.mutate('issue')}
          >
            Issue certificate
          </ActionButton>
        ) : null}
        {domain.can.renew ? (
          <ActionButton
            variant="secondary"
            className="button--inline"
            isPending={act.isPending && act.variables === 'renew'}
            pendingLabel="Requesting…"
            onClick={() => act.mutate('renew')}
          >
            Renew now
          </ActionButton>
        ) : null}
        {domain.can.upload ? (
          <button type="button" className="button button--secondary button--inline" onClick={() => setDialog('upload')}>
            Upload certificate…
          </button>
        ) : null}
        <ActionButton
          variant="secondary"
          className="button--inline"
          isPending={act.isPending && act.variables === 'check'}
          pendingLabel="Checking DNS…"
          onClick={() => act.mutate('check')}
        >
          Check DNS
        </ActionButton>
        {domain.can.revoke ? (
          <button type="button" className="button button--danger button--inline" onClick={() => setDialog('revoke')}>
            Revoke…
          </button>
        ) : null}
      </div>
      <ErrorNotice message={act.isError ? messageOf(act.error) : null} />
      <LiveStatus>{done}</LiveStatus>
      {dialog === 'revoke' ? <RevokeDialog domain={domain} onClose={() => setDialog(null)} onDone={refresh} /> : null}
      {dialog === 'upload' ? <UploadDialog domain={domain} onClose={() => setDialog(null)} onDone={refresh} /> : null}
    </li>
  );
}

function RevokeDialog({ domain, onClose, onDone }: { domain: TOperatorDomain; onClose: () => void; onDone: () => Promise<unknown> }) {
  const [reason, setReason] = useState('');
  const revoke = useMutation({
    mutationFn: () => operatorApi.post<void>(`domains/${encodeURIComponent(domain.id)}/revoke`, { reason }),
    onSuccess: async () => {
      await onDone();
      onClose();
    },
  });
  return (
    <Dialog title={`Revoke the certificate of ${domain.host}?`} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          revoke.mutate();
        }}
      >
        <p className="muted">Browsers stop trusting it and the domain is no longer served until a new certificate is issued.</p>
        <label className="field__label" htmlFor="revoke-reason">
          Why (kept in the audit log)
        </label>
        <input
          id="revoke-reason"
          className="field__input"
          required
          maxLength={500}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        <ErrorNotice message={revoke.isError ? messageOf(revoke.error) : null} />
        <div className="dialog__actions">
          <button type="button" className="button button--secondary button--inline" onClick={onClose}>
            Cancel
          </button>
          <ActionButton type="submit" variant="danger" className="button--inline" isPending={revoke.isPending} pendingLabel="Revoking…">
            Revoke
          </ActionButton>
        </div>
      </form>
    </Dialog>
  );
}

function UploadDialog({ domain, onClose, onDone }: { domain: TOperatorDomain; onClose: () => void; onDone: () => Promise<unknown> }) {
  const [certPem, setCertPem] = useState('');
  const [keyPem, setKeyPem] = useState('');
  const upload = useMutation({
    mutationFn: () => operatorApi.post<void>(`domains/${encodeURIComponent(domain.id)}/certificate`, { certPem, keyPem }),
    onSuccess: async () => {
      await onDone();
      onClose();
    },
  });
  return (
    <Dialog title={`Upload a certificate for ${domain.host}`} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          upload.mutate();
        }}
      >
        <label className="field__label" htmlFor="upload-cert">
          Certificate chain (PEM, the domain&rsquo;s certificate first)
        </label>
        <textarea
          id="upload-cert"
          className="field__input"
          required
          rows={6}
          value={certPem}
          onChange={(event) => setCertPem(event.target.value)}
        />
        <label className="field__label" htmlFor="upload-key">
          Private key (PEM)
        </label>
        <textarea
          id="upload-key"
          className="field__input"
          required
          rows={4}
          value={keyPem}
          onChange={(event) => setKeyPem(event.target.value)}
        />
        <p className="muted">It must name {domain.host}, be valid now, and match the key. It is stored encrypted.</p>
        <ErrorNotice message={upload.isError ? messageOf(upload.error) : null} />
        <div className="dialog__actions">
          <button type="button" className="button button--secondary button--inline" onClick={onClose}>
            Cancel
          </button>
          <ActionButton type="submit" className="button--inline" isPending={upload.isPending} pendingLabel="Uploading…">
            Upload
          </ActionButton>
        </div>
      </form>
    </Dialog>
  );
}

function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  return (
    <ModalDialog titleId="domain-dialog-title" onClose={onClose}>
      <h2 className="dialog__title" id="domain-dialog-title">
        {title}
      </h2>
      {children}
    </ModalDialog>
  );
}
