import { useState } from 'react';
import type { TTeamContact } from '../../../features/clients/team-client.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { ContactForm } from './contact-form.js';
import { useEndContactSessions, useInviteContact, useUpdateContact } from './use-clients.js';

/**
 * One contact with what the team can do for them: edit, email a portal sign-in link, end their
 * portal sessions (a lost phone), disable or enable. Disabling ends their sessions too.
 */
export function ContactRow({
  clientId,
  contact,
  onAnnounce,
}: {
  clientId: string;
  contact: TTeamContact;
  onAnnounce: (text: string) => void;
}) {
  const [isEditing, setIsEditing] = useState(false);
  const [isConfirmingDisable, setIsConfirmingDisable] = useState(false);
  const invite = useInviteContact();
  const endSessions = useEndContactSessions();
  const update = useUpdateContact(clientId);
  const isDisabled = contact.status === 'disabled';
  const error = [invite, endSessions, update].find((m) => m.isError)?.error;

  if (isEditing) {
    return (
      <li className="contact contact--editing">
        <ContactForm
          clientId={clientId}
          contact={contact}
          onDone={(saved) => {
            setIsEditing(false);
            if (saved) onAnnounce(`${saved.name} was saved.`);
          }}
        />
      </li>
    );
  }
  return (
    <li className={isDisabled ? 'contact contact--disabled' : 'contact'}>
      <div className="contact__who">
        <span className="contact__name">
          {contact.name}
          {isDisabled ? <span className="status-pill status-pill--off">Disabled</span> : null}
        </span>
        <span className="contact__detail">
          {contact.email}
          {contact.emailUndeliverable ? (
            <>
              {' '}
              <span className="status-pill status-pill--warn" title={contact.emailUndeliverable.reason ?? undefined}>
                Emails bounce
              </span>
              {contact.emailUndeliverable.reason ? <span className="visually-hidden">: {contact.emailUndeliverable.reason}</span> : null}
            </>
          ) : null}
        </span>
        {(contact.phoneNational ?? contact.phone) ? (
          <span className="contact__detail">{contact.phoneNational ?? contact.phone}</span>
        ) : null}
        {contact.emailUpdatesOffAt ? (
          <span className="contact__detail">Stopped email updates on status and visits (still gets replies and quotes)</span>
        ) : null}
      </div>
      <div className="contact__actions">
        <button type="button" className="button button--secondary button--small button--inline" onClick={() => setIsEditing(true)}>
          Edit<span className="visually-hidden"> {contact.name}</span>
        </button>
        {isDisabled ? null : (
          <button
            type="button"
            className="button button--secondary button--small button--inline"
            aria-disabled={invite.isPending || undefined}
            onClick={() =>
              invite.mutate(contact.id, { onSuccess: (answer) => onAnnounce(`A portal sign-in link is on its way to ${answer.email}.`) })
            }
          >
            {invite.isPending ? 'Sending…' : invite.isSuccess ? 'Invite sent' : 'Send portal invite'}
            <span className="visually-hidden"> to {contact.name}</span>
          </button>
        )}
        <button
          type="button"
          className="button button--secondary button--small button--inline"
          onClick={() =>
            endSessions.mutate(contact.id, {
              onSuccess: (answer) =>
                onAnnounce(
                  answer.ended === 0
                    ? `${contact.name} was not signed in anywhere.`
                    : `${contact.name} was signed out of ${answer.ended} session${answer.ended === 1 ? '' : 's'}.`,
                ),
            })
          }
        >
          End sessions<span className="visually-hidden"> of {contact.name}</span>
        </button>
        {isDisabled ? (
          <button
            type="button"
            className="button button--quiet button--small button--inline"
            onClick={() =>
              update.mutate(
                { id: contact.id, change: { status: 'active' } },
                { onSuccess: () => onAnnounce(`${contact.name} can sign in again.`) },
              )
            }
          >
            Enable<span className="visually-hidden"> {contact.name}</span>
          </button>
        ) : isConfirmingDisable ? (
          <span className="confirm-inline">
            Disable {contact.name}?
            <button
              type="button"
              className="button button--danger button--small button--inline"
              onClick={() =>
                update.mutate(
                  { id: contact.id, change: { status: 'disabled' } },
                  {
                    onSuccess: () => {
                      setIsConfirmingDisable(false);
                      onAnnounce(`${contact.name} is disabled and signed out.`);
                    },
                  },
                )
              }
            >
              Disable
            </button>
            <button
              type="button"
              className="button button--secondary button--small button--inline"
              onClick={() => setIsConfirmingDisable(false)}
            >
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="button button--quiet button--small button--inline" onClick={() => setIsConfirmingDisable(true)}>
            Disable<span className="visually-hidden"> {contact.name}</span>
          </button>
        )}
      </div>
      {error ? (
        <p className="notice notice--error contact__error" role="alert">
          {messageOf(error)}
        </p>
      ) : null}
    </li>
  );
}
