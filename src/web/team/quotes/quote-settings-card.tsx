import { useState, type FormEvent } from 'react';
import { messageOf } from '../../shared/api-client.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { ActionButton, CharacterCounter, ErrorNotice, LiveStatus, TextAreaField } from '../../shared/form-controls.js';
import { useQuoteSettings, useUpdateQuoteSettings, type QuoteSettings } from './use-quotes.js';

const MAX_TERMS = 20_000;

/** "Quotes" on the organisation settings page: the terms every new quote starts with (owner and admin). */
export function QuoteSettingsCard() {
  const settings = useQuoteSettings();
  if (settings.data) return <QuoteSettingsForm settings={settings.data} />;
  if (settings.isError) return <ErrorNotice message={messageOf(settings.error)} />;
  return <span className="skeleton skeleton--block" aria-busy="true" />;
}

function QuoteSettingsForm({ settings }: { settings: QuoteSettings }) {
  const update = useUpdateQuoteSettings();
  const [terms, setTerms] = useState(settings.defaultTerms);
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    if (terms.length > MAX_TERMS) return setError(`Default terms must be at most ${MAX_TERMS.toLocaleString()} characters.`);
    setError(undefined);
    setFormError(null);
    update.mutate(
      { defaultTerms: terms },
      {
        onSuccess: () => setAnnouncement('Saved. New quotes start with these terms.'),
        onError: (failure) => {
          const spread = formErrorsFrom(failure, { defaultTerms: 'Default terms' });
          setError(spread.fields.defaultTerms);
          setFormError(spread.form);
        },
      },
    );
  };
  return (
    <form className="card form settings-form" noValidate onSubmit={onSubmit} aria-labelledby="quote-settings-title">
      <h2 className="card__heading" id="quote-settings-title">
        Quotes
      </h2>
      <TextAreaField
        label="Default terms for new quotes"
        hint="Each new quote starts with these; they can be changed per quote. Quotes already written keep theirs."
        rows={5}
        value={terms}
        error={error}
        counter={<CharacterCounter length={terms.length} max={MAX_TERMS} />}
        onChange={(event) => setTerms(event.target.value)}
      />
      <ErrorNotice message={formError} />
      <div className="card__actions">
        <ActionButton type="submit" isPending={update.isPending} pendingLabel="Saving…" className="button--inline">
          Save terms
        </ActionButton>
      </div>
      <LiveStatus>{update.isPending ? 'Saving…' : announcement}</LiveStatus>
    </form>
  );
}
