import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { TOperatorCreateTenantRequest, TOperatorTenant } from '../../features/operator/operator-tenant.schemas.js';
import { formErrorsFrom } from '../shared/field-errors.js';
import { ActionButton, ErrorNotice, TextField } from '../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../shared/page-heading.js';
import { operatorApi } from './operator-api.js';

type Field = 'name' | 'slug' | 'ownerEmail';
const LABELS: Record<Field, string> = { name: 'Name', slug: 'Portal address', ownerEmail: 'Owner’s email' };

/** A portal address from a name: "Acme Plumbing & Co" → "acme-plumbing-co". */
function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/** `/operator/tenants/new`: an organisation and the email of its first owner, who gets an invitation. */
export function NewTenantPage() {
  usePageTitle('New organisation');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);
  const [ownerEmail, setOwnerEmail] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (input: TOperatorCreateTenantRequest) => operatorApi.post<TOperatorTenant>('tenants', input),
    onSuccess: (tenant) => {
      void queryClient.invalidateQueries({ queryKey: ['operator-tenants'] });
      void navigate(`/tenants/${encodeURIComponent(tenant.id)}`);
    },
    onError: (failure) => {
      const spread = formErrorsFrom(failure, LABELS, { TENANT_SLUG_TAKEN: 'slug' });
      setErrors(spread.fields);
      setFormError(spread.form);
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const missing: Partial<Record<Field, string>> = {};
    if (!name.trim()) missing.name = 'Enter the organisation’s name.';
    if (!slug.trim()) missing.slug = 'Enter a portal address.';
    if (!ownerEmail.trim()) missing.ownerEmail = 'Enter the email of the person who will own it.';
    setErrors(missing);
    setFormError(null);
    if (Object.keys(missing).length > 0) return;
    create.mutate({ name: name.trim(), slug: slug.trim(), ownerEmail: ownerEmail.trim() });
  };

  return (
    <div className="page">
      <p className="operator-back">
        <Link to="/tenants">← All organisations</Link>
      </p>
      <PageHeading>New organisation</PageHeading>
      <form className="card form operator-form" noValidate onSubmit={onSubmit}>
        <TextField
          label={LABELS.name}
          hint="Shown to its customers and its team."
          value={name}
          maxLength={120}
          onChange={(event) => {
            setName(event.target.value);
            if (!slugTouched) setSlug(slugOf(event.target.value));
          }}
          error={errors.name}
        />
        <TextField
          label={LABELS.slug}
          hint={`Customers sign in at /portal/${slug || 'address'}. Lowercase letters, digits and hyphens.`}
          value={slug}
          maxLength={63}
          spellCheck={false}
          onChange={(event) => {
            setSlugTouched(true);
            setSlug(event.target.value);
          }}
          error={errors.slug}
        />
        <TextField
          label={LABELS.ownerEmail}
          type="email"
          name="owner-email"
          autoCapitalize="none"
          spellCheck={false}
          hint="They get an email invitation to set a password and run the organisation’s team app."
          value={ownerEmail}
          onChange={(event) => setOwnerEmail(event.target.value)}
          error={errors.ownerEmail}
        />
        <ErrorNotice message={formError} />
        <div className="card__actions">
          <ActionButton type="submit" className="button--inline" isPending={create.isPending} pendingLabel="Creating…">
            Create and invite the owner
          </ActionButton>
          <Link className="button button--secondary button--inline" to="/tenants">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
