import { ModalDialog } from '../shared/modal-dialog.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { TOperatorTenant } from '../../features/operator/operator-tenant.schemas.js';
import { messageOf } from '../shared/api-client.js';
import { ActionButton, ErrorNotice } from '../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../shared/page-heading.js';
import { operatorApi } from './operator-api.js';
import { formatBytes, TenantStatusBadge } from './tenant-labels.js';

/** `/operator/tenants/:id`: an organisation's counts, its portal, and suspending or resuming it. */
export function TenantPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const tenant = useQuery({
    queryKey: ['operator-tenant', id],
    queryFn: ({ signal }) => operatorApi.get<TOperatorTenant>(`tenants/${encodeURIComponent(id)}`, signal),
  });
  usePageTitle(tenant.data?.name ?? null);
  const [confirming, setConfirming] = useState(false);
  const change = useMutation({
    mutationFn: (action: 'suspend' | 'resume') => operatorApi.post<TOperatorTenant>(`tenants/${encodeURIComponent(id)}/${action}`),
    onSuccess: (updated) => {
      queryClient.setQueryData(['operator-tenant', id], updated);
      void queryClient.invalidateQueries({ queryKey: ['operator-tenants'] });
      setConfirming(false);
    },
  });

  if (tenant.isPending) return <p className="muted">Loading…</p>;
  if (tenant.isError) {
    return (
      <div className="page">
        <PageHeading>Organisation not found</PageHeading>
        <p className="muted">{messageOf(tenant.error)}</p>
        <Link to="/tenants">All organisations</Link>
      </div>
    );
  }
  const t = tenant.data;
  const suspended = t.status === 'suspended';
  return (
    <div className="page operator-tenant">
      <p className="operator-back">
        <Link to="/tenants">← All organisations</Link>
      </p>
      <div className="page-head">
        <PageHeading>{t.name}</PageHeading>
        <TenantStatusBadge status={t.status} />
      </div>
      <section className="card" aria-labelledby="tenant-counts">
        <h2 className="card__heading" id="tenant-counts">
          At a glance
        </h2>
        <dl className="operator-facts">
          <div>
            <dt>Tickets</dt>
            <dd>{t.counts.tickets}</dd>
          </div>
          <div>
            <dt>Contacts</dt>
            <dd>{t.counts.contacts}</dd>
          </div>
          <div>
            <dt>Storage used</dt>
            <dd>{formatBytes(t.counts.storageBytes)}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{new Date(t.createdAt).toLocaleString()}</dd>
          </div>
          <div>
            <dt>Portal</dt>
            <dd>
              {suspended ? (
                <span>{t.portalPath} (answers “not found” while suspended)</span>
              ) : (
                <a href={t.portalPath} target="_blank" rel="noopener noreferrer">
                  {t.portalPath}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>
              )}
            </dd>
          </div>
          <div>
            <dt>Custom domain</dt>
            <dd>
              {t.domain ? (
                <Link to={`/domains?filter=all&q=${encodeURIComponent(t.domain.host)}`}>
                  {t.domain.host} ({t.domain.status.replace('_', ' ')})
                </Link>
              ) : (
                'None'
              )}
            </dd>
          </div>
          <div>
            <dt>Activity</dt>
            <dd>
              <Link to={`/audit?tenant=${encodeURIComponent(t.id)}`}>Audit log</Link>
            </dd>
          </div>
        </dl>
      </section>
      <section className="card" aria-labelledby="tenant-status">
        <h2 className="card__heading" id="tenant-status">
          {suspended ? 'Suspended' : 'Suspend this organisation'}
        </h2>
        <p className="muted">
          {suspended
            ? 'Its portal answers “not found” and its team cannot sign in. Resuming lets everyone sign in again; nothing was deleted.'
            : 'Stops the organisation at once: its portal answers “not found”, everyone signed in is signed out and nobody on its team can sign in. Nothing is deleted.'}
        </p>
        <div className="card__actions">
          {suspended ? (
            <ActionButton
              className="button--inline"
              isPending={change.isPending}
              pendingLabel="Resuming…"
              onClick={() => change.mutate('resume')}
            >
              Resume organisation
            </ActionButton>
          ) : (
            <button type="button" className="button button--danger button--inline" onClick={() => setConfirming(true)}>
              Suspend organisation…
            </button>
          )}
        </div>
        {suspended ? <ErrorNotice message={change.isError ? messageOf(change.error) : null} /> : null}
      </section>
      {confirming ? (
        <SuspendDialog
          name={t.name}
          isPending={change.isPending}
          error={change.isError ? messageOf(change.error) : null}
          onConfirm={() => change.mutate('suspend')}
          onClose={() => {
            change.reset();
            setConfirming(false);
          }}
        />
      ) : null}
    </div>
  );
}

function SuspendDialog(props: { name: string; isPending: boolean; error: string | null; onConfirm: () => void; onClose: () => void }) {
  return (
    <ModalDialog titleId="suspend-title" describedBy="suspend-text" onClose={props.onClose}>
      <h2 className="dialog__title" id="suspend-title">
        Suspend {props.name}?
      </h2>
      <div id="suspend-text">
        <ul className="operator-consequences">
          <li>Its customer portal answers “not found”.</li>
          <li>Every customer and team member signed in is signed out now, and unused sign-in links stop working.</li>
          <li>Nobody on its team can sign in until you resume it.</li>
        </ul>
        <p className="muted">Nothing is deleted; resume it any time.</p>
      </div>
      <ErrorNotice message={props.error} />
      <div className="dialog__actions">
        <button type="button" className="button button--secondary button--inline" onClick={props.onClose} autoFocus>
          Cancel
        </button>
        <ActionButton
          variant="danger"
          className="button--inline"
          isPending={props.isPending}
          pendingLabel="Suspending…"
          onClick={props.onConfirm}
        >
          Suspend
        </ActionButton>
      </div>
    </ModalDialog>
  );
}
