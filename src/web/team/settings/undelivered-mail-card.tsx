import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TUndeliveredMail } from '../../../features/notifications/team-undelivered-mail.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice, LiveStatus } from '../../shared/form-controls.js';
import { DateTime } from '../../shared/formatted.js';
import { teamApi } from '../team-api.js';

const UNDELIVERED_KEY = ['mail', 'undelivered'] as const;

const KIND_LABEL: Record<TUndeliveredMail['kind'], string> = {
  email: 'Email',
  team_notification: 'Team notification',
  sign_in_link: 'Sign-in link',
  invitation: 'Invitation',
};

/**
 * "Undelivered email" on the notifications page: what the mail relay refused for about two days,
 * with its last answer, and a button that sends it all again. Shows nothing more than a line when
 * everything was delivered.
 */
export function UndeliveredMailCard() {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: UNDELIVERED_KEY,
    queryFn: ({ signal }) => teamApi.get<{ mails: TUndeliveredMail[] }>('mail/undelivered', signal),
  });
  const retry = useMutation({
    mutationFn: () => teamApi.post<{ requeued: number }>('mail/undelivered/retry', {}),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: UNDELIVERED_KEY }),
  });
  const mails = list.data?.mails ?? [];
  return (
    <section className="card" aria-labelledby="undelivered-title" aria-busy={list.isPending}>
      <h2 className="card__heading" id="undelivered-title">
        Undelivered email
      </h2>
      {list.isError ? <ErrorNotice message={messageOf(list.error)} /> : null}
      {list.data && mails.length === 0 ? <p className="muted">Every email was delivered.</p> : null}
      {mails.length > 0 ? (
        <>
          <p className="field__hint">
            The mail server refused these for about two days. Check the addresses and your mail settings, then send them again.
          </p>
          <ul className="undelivered-list">
            {mails.map((mail) => (
              <li key={mail.id} className="undelivered-list__item">
                <span>
                  <strong>{KIND_LABEL[mail.kind]}</strong> {mail.to ? <>to {mail.to}</> : null}
                  {mail.subject ? <span className="muted"> — {mail.subject}</span> : null}
                </span>
                <span className="muted">
                  Last tried <DateTime iso={mail.failedAt} />
                  {mail.lastError ? `: ${mail.lastError}` : ''}
                </span>
              </li>
            ))}
          </ul>
          {retry.isError ? <ErrorNotice message={messageOf(retry.error)} /> : null}
          <div className="card__actions">
            <ActionButton className="button--inline" isPending={retry.isPending} pendingLabel="Sending…" onClick={() => retry.mutate()}>
              Send all again
            </ActionButton>
          </div>
        </>
      ) : null}
      <LiveStatus>{retry.isSuccess ? `${retry.data.requeued} emails will be sent again.` : ''}</LiveStatus>
    </section>
  );
}
