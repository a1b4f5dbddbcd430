import { useRef, useState, type FormEvent } from 'react';
import type { TTeamMember, TTeamRole } from '../../../features/team/team.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { ActionButton, ErrorNotice, LiveStatus, SelectField, TextField } from '../../shared/form-controls.js';
import { useSignedInSession } from '../auth/use-session.js';
import { LoadErrorCard } from '../../shared/states.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { useMembers } from '../tickets/use-team-tickets.js';
import { useInviteMember, useUpdateMember } from './use-settings.js';

const ROLES: readonly { value: TTeamRole; label: string; what: string }[] = [
  { value: 'agent', label: 'Agent', what: 'works tickets, clients and contacts' },
  { value: 'admin', label: 'Admin', what: 'also changes settings and the team' },
  { value: 'owner', label: 'Owner', what: 'also reads the audit log and manages owners' },
];
const STATUS_LABELS = { active: 'Active', invited: 'Invited', disabled: 'Disabled' } as const;

/** `/app/settings/team`: who works here, their roles, and invitations. Only owners make or change owners. */
export function TeamMembersPage() {
  usePageTitle('Team');
  const session = useSignedInSession();
  const members = useMembers();
  const [announcement, setAnnouncement] = useState('');
  return (
    <div className="settings-section">
      <PageHeading>Team</PageHeading>
      <InviteForm
        isOwner={session.member.role === 'owner'}
        onInvited={(member) => setAnnouncement(`An invitation is on its way to ${member.email}.`)}
      />
      <section className="card" aria-labelledby="members-title">
        <h2 className="card__heading" id="members-title">
          Members
        </h2>
        {members.isError ? (
          <LoadErrorCard message={messageOf(members.error)} onRetry={() => void members.refetch()} isRetrying={members.isFetching} />
        ) : (
          <ul className="member-list">
            {(members.data ?? []).map((member) => (
              <MemberRow
                key={member.id}
                member={member}
                isSelf={member.id === session.member.id}
                isOwner={session.member.role === 'owner'}
                onAnnounce={setAnnouncement}
              />
            ))}
          </ul>
        )}
      </section>
      <LiveStatus>{announcement}</LiveStatus>
    </div>
  );
}

function MemberRow({
  member,
  isSelf,
  isOwner,
  onAnnounce,
}: {
  member: TTeamMember;
  isSelf: boolean;
  isOwner: boolean;
  onAnnounce: (text: string) => void;
}) {
  const update = useUpdateMember();
  const canChange = !isSelf && (isOwner || member.role !== 'owner');
  return (
    <li className="member">
      <div className="member__who">
        <span className="member__name">
          {member.name}
          {isSelf ? <span className="muted"> (you)</span> : null}
          {member.status !== 'active' ? <span className="status-pill status-pill--off">{STATUS_LABELS[member.status]}</span> : null}
        </span>
        <span className="member__email">{member.email}</span>
      </div>
      <div className="member__actions">
        <label className="visually-hidden" htmlFor={`role-${member.id}`}>
          Role of {member.name}
        </label>
        <select
          id={`role-${member.id}`}
          className="field__input field__input--select member__role"
          value={member.role}
          disabled={!canChange}
          onChange={(e) =>
            update.mutate(
              { id: member.id, change: { role: e.target.value as TTeamRole } },
              { onSuccess: (saved) => onAnnounce(`${saved.name} is now ${saved.role === 'agent' ? 'an agent' : `an ${saved.role}`}.`) },
            )
          }
        >
          {ROLES.filter((role) => isOwner || role.value !== 'owner' || member.role === 'owner').map((role) => (
            <option key={role.value} value={role.value}>
              {role.label}
            </option>
          ))}
        </select>
        {canChange && member.status !== 'invited' ? (
          <button
            type="button"
            className="button button--quiet button--small button--inline"
            onClick={() =>
              update.mutate(
                { id: member.id, change: { status: member.status === 'disabled' ? 'active' : 'disabled' } },
                {
                  onSuccess: (saved) =>
                    onAnnounce(
                      saved.status === 'disabled' ? `${saved.name} is disabled and signed out.` : `${saved.name} can sign in again.`,
                    ),
                },
              )
            }
          >
            {member.status === 'disabled' ? 'Enable' : 'Disable'}
            <span className="visually-hidden"> {member.name}</span>
          </button>
        ) : null}
      </div>
      {update.isError ? (
        <p className="notice notice--error member__error" role="alert">
          {messageOf(update.error)}
        </p>
      ) : null}
    </li>
  );
}

type Field = 'email' | 'name' | 'role';

function InviteForm({ isOwner, onInvited }: { isOwner: boolean; onInvited: (member: TTeamMember) => void }) {
  const invite = useInviteMember();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<TTeamRole>('agent');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (invite.isPending) return;
    const next: Partial<Record<Field, string>> = {
      email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) ? undefined : 'Enter an email address like name@example.com.',
      name: name.trim() ? undefined : 'Enter their name.',
    };
    setErrors(next);
    setFormError(null);
    if (next.email || next.name) return;
    invite.mutate(
      { email: email.trim(), name: name.trim(), role },
      {
        onSuccess: (member) => {
          setEmail('');
          setName('');
          setRole('agent');
          onInvited(member);
          emailRef.current?.focus();
        },
        onError: (failure) => {
          const spread = formErrorsFrom<Field>(failure, { email: 'Email', name: 'Name', role: 'Role' }, { EMAIL_TAKEN: 'email' });
          setErrors(spread.fields);
          setFormError(spread.form);
        },
      },
    );
  };
  return (
    <form className="card form" noValidate onSubmit={onSubmit} aria-labelledby="invite-title">
      <h2 className="card__heading" id="invite-title">
        Invite a teammate
      </h2>
      <div className="contact-form__fields">
        <TextField
          ref={emailRef}
          label="Email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
        <TextField label="Name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as TTeamRole)}
          error={errors.role}
          hint={ROLES.find((r) => r.value === role)?.what}
        >
          {ROLES.filter((r) => isOwner || r.value !== 'owner').map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </SelectField>
      </div>
      <ErrorNotice message={formError} />
      <div className="card__actions">
        <ActionButton type="submit" className="button--inline" isPending={invite.isPending} pendingLabel="Sending…">
          Send invitation
        </ActionButton>
      </div>
    </form>
  );
}
