import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { TQuarantineDecision, TQuarantinedMessage, TQuarantineList } from '../../../features/inbound-mail/team-inbound.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice, LiveStatus } from '../../shared/form-controls.js';
import { DateTime } from '../../shared/formatted.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { ListEmpty, ListError, ListSkeleton } from '../layout/list-states.js';
import { teamApi } from '../team-api.js';

const QUARANTINE_KEY = ['inbound', 'quarantine'] as const;

/**
 * `/app/quarantine` (any member): emailed replies held back because the sender could not be
 * trusted (a From that is not the person the reply address was sent to, DMARC failing) or because
 * too many came at once. Each shows what it claimed, why it was held and the start of its text as
 * plain text; Release posts it to its ticket as that person's reply, Discard drops it.
 */
export function QuarantinePage() {
  usePageTitle('Quarantine');
  const list = useQuery({
    queryKey: QUARANTINE_KEY,
    queryFn: ({ signal }) => teamApi.get<TQuarantineList>('inbound/quarantine', signal),
  });
  const [announcement, setAnnouncement] = useState('');
  const messages = list.data?.messages ?? [];
  return (
    <div className="page page--quarantine">
      <div className="page-head">
        <PageHeading>Quarantine</PageHeading>
      </div>
      <p className="muted">
        Emailed replies we did not post because the sender may not be who they say, or too many came at once. Release one to post it as its
        sender’s reply; discard it otherwise.
      </p>
      {list.isError ? (
        <ListError message={messageOf(list.error)} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <ListSkeleton rows={3} />
      ) : messages.length === 0 ? (
        <ListEmpty title="Nothing is held back." />
      ) : (
        <ul className="quarantine-list">
          {messages.map((message) => (
            <QuarantineItem key={message.id} message={message} onDone={setAnnouncement} />
          ))}
        </ul>
      )}
      <LiveStatus>{announcement}</LiveStatus>
    </div>
  );
}

function QuarantineItem({ message, onDone }: { message: TQuarantinedMessage; onDone: (text: string) => void }) {
  const queryClient = useQueryClient();
  const decide = useMutation({
    mutationFn: (action: 'release' | 'discard') =>
      teamApi.post<TQuarantineDecision>(`inbound/quarantine/${encodeURIComponent(message.id)}/${action}`, {}),
    onSuccess: (answer) => {
      onDone(
        answer.status === 'released'
          ? `The email from ${message.from ?? 'an unknown sender'} was posted to ticket #${message.ticket.number}.`
          : `The email from ${message.from ?? 'an unknown sender'} was discarded.`,
      );
      void queryClient.invalidateQueries({ queryKey: QUARANTINE_KEY });
    },
  });
  const titleId = `quarantine-${message.id}`;
  return (
    <li className="card quarantine-item" aria-labelledby={titleId}>
      <h2 className="card__heading quarantine-item__title" id={titleId}>
        {message.subject || '(no subject)'}
      </h2>
      <dl className="quarantine-item__facts">
        <dt>From</dt>
        <dd>{message.from ?? 'unknown'}</dd>
        <dt>Received</dt>
        <dd>
          <DateTime iso={message.receivedAt} />
        </dd>
        <dt>Ticket</dt>
        <dd>
          <Link to={`/tickets/${message.ticket.id}`}>
            #{message.ticket.number} {message.ticket.title}
          </Link>
        </dd>
        <dt>Held because</dt>
        <dd>{message.reason ?? '—'}</dd>
      </dl>
      {message.preview ? <p className="quarantine-item__preview">{message.preview}</p> : null}
      {decide.isError ? <ErrorNotice message={messageOf(decide.error)} /> : null}
      <div className="card__actions">
        <ActionButton
          className="button--inline"
          isPending={decide.isPending && decide.variables === 'release'}
          pendingLabel="Releasing…"
          onClick={() => decide.mutate('release')}
        >
          Release<span className="visually-hidden"> the email from {message.from ?? 'an unknown sender'}</span>
        </ActionButton>
        <ActionButton
          className="button--inline"
          variant="secondary"
          isPending={decide.isPending && decide.variables === 'discard'}
          pendingLabel="Discarding…"
          onClick={() => decide.mutate('discard')}
        >
          Discard<span className="visually-hidden"> the email from {message.from ?? 'an unknown sender'}</span>
        </ActionButton>
      </div>
    </li>
  );
}
