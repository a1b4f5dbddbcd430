import { useContext, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { TOrganisationSettings } from '../../../features/tenants/team-settings.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { ActionButton, ErrorNotice, LiveStatus, SelectField, TextField } from '../../shared/form-controls.js';
import { LoadErrorCard } from '../../shared/states.js';
import { checkAccent, isHexColor } from '../lib/contrast.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { OrganisationContext } from '../team-bootstrap.js';
import { QuoteSettingsCard } from '../quotes/quote-settings-card.js';
import { LogoEditor } from './logo-editor.js';
import { useOrganisationSettings, useUpdateOrganisation } from './use-settings.js';

type Field = 'name' | 'accentColor' | 'currency' | 'timeZone' | 'locale';
const LABELS: Record<Field, string> = {
  name: 'Name',
  accentColor: 'Accent colour',
  currency: 'Currency',
  timeZone: 'Time zone',
  locale: 'Language and region',
};
const LOCALES = [
  'en-US',
  'en-GB',
  'en-CA',
  'en-AU',
  'en-IE',
  'de-DE',
  'de-AT',
  'de-CH',
  'fr-FR',
  'fr-CA',
  'es-ES',
  'es-MX',
  'it-IT',
  'nl-NL',
  'pt-PT',
  'pt-BR',
  'sv-SE',
  'da-DK',
  'nb-NO',
  'fi-FI',
  'pl-PL',
];

/** `/app/settings/organisation`: name, logo, accent colour (with the portal's header as it will look), currency, time zone, locale. */
export function OrganisationSettingsPage() {
  usePageTitle('Organisation settings');
  const settings = useOrganisationSettings();
  if (settings.data) return <OrganisationForm settings={settings.data} />;
  if (settings.isError)
    return <LoadErrorCard message={messageOf(settings.error)} onRetry={() => void settings.refetch()} isRetrying={settings.isFetching} />;
  return (
    <div aria-busy="true">
      <PageHeading>Organisation</PageHeading>
      <span className="skeleton skeleton--block" />
    </div>
  );
}

function OrganisationForm({ settings }: { settings: TOrganisationSettings }) {
  const update = useUpdateOrganisation();
  const { formats, setFormats } = useContext(OrganisationContext);
  const [name, setName] = useState(settings.name);
  const [accent, setAccent] = useState(settings.accentColor);
  const [currency, setCurrency] = useState(settings.currency);
  const [timeZone, setTimeZone] = useState(settings.timeZone);
  const [locale, setLocale] = useState(settings.locale);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const currencies = useMemo(() => Intl.supportedValuesOf('currency'), []);
  const check = isHexColor(accent) ? checkAccent(accent) : null;
  const [logoUrl, setLogoUrl] = useState(settings.logoUrl);

  useEffect(() => setLogoUrl(settings.logoUrl), [settings.logoUrl]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    const next: Partial<Record<Field, string>> = {
      name: name.trim() ? undefined : 'Enter the organisation’s name.',
      accentColor: isHexColor(accent) ? undefined : 'Enter a colour like #1d4ed8.',
    };
    setErrors(next);
    setFormError(null);
    if (next.name || next.accentColor) return;
    update.mutate(
      { name: name.trim(), accentColor: accent.toLowerCase(), currency, timeZone, locale },
      {
        onSuccess: (saved) => {
          // What the server keeps (canonical zone and locale names, a lower-case colour).
          setName(saved.name);
          setAccent(saved.accentColor);
          setTimeZone(saved.timeZone);
          setLocale(saved.locale);
          setCurrency(saved.currency);
          setAnnouncement('Saved. The portal shows the changes now.');
          if (formats) setFormats({ ...formats, timeZone: saved.timeZone, locale: saved.locale, currency: saved.currency });
        },
        onError: (failure) => {
          const spread = formErrorsFrom(failure, LABELS);
          setErrors(spread.fields);
          setFormError(spread.form);
        },
      },
    );
  };

  return (
    <div className="settings-section">
      <PageHeading>Organisation</PageHeading>
      <p className="muted settings-section__intro">
        What your customers see in the portal and in emails. Changes show in the portal at once.
      </p>
      <LogoEditor name={name || settings.name} logoUrl={logoUrl} onChanged={(saved) => setLogoUrl(saved.logoUrl)} />
      <form className="card form settings-form" noValidate onSubmit={onSubmit}>
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          maxLength={120}
          autoComplete="organization"
        />
        <div className="field">
          <label className="field__label" htmlFor="accent-hex">
            Accent colour
          </label>
          <p className="field__hint" id="accent-hint">
            The portal&rsquo;s header and buttons. Type a hex colour or pick one.
          </p>
          <div className="colour-input">
            <input
              type="color"
              className="colour-input__swatch"
              aria-label="Pick the accent colour"
              value={isHexColor(accent) ? accent.toLowerCase() : '#000000'}
              onChange={(e) => setAccent(e.target.value)}
            />
            <input
              id="accent-hex"
              className="field__input colour-input__hex"
              value={accent}
              spellCheck={false}
              autoComplete="off"
              maxLength={7}
              aria-describedby={`accent-hint accent-contrast${errors.accentColor ? ' accent-error' : ''}`}
              aria-invalid={errors.accentColor ? true : undefined}
              onChange={(e) => setAccent(e.target.value.trim())}
            />
          </div>
          {errors.accentColor ? (
            <p className="field__error" id="accent-error">
              {errors.accentColor}
            </p>
          ) : null}
          <PortalHeaderPreview
            name={name || settings.name}
            logoUrl={logoUrl}
            accent={check ? accent : settings.accentColor}
            textColor={check?.textColor ?? settings.accentTextColor}
          />
          <p
            id="accent-contrast"
            className={check?.isWarning ? 'notice notice--warning contrast' : 'contrast muted'}
            role={check?.isWarning ? 'status' : undefined}
          >
            {check
              ? check.isWarning
                ? `Low contrast: text on this colour is ${check.textContrast}:1 (needs 4.5:1) and the colour on white is ${check.pageContrast}:1 (needs 3:1). Some customers will struggle to read the portal; choose a darker or stronger colour.`
                : `Good contrast: text ${check.textContrast}:1, on white ${check.pageContrast}:1.`
              : 'Enter a colour like #1d4ed8 to see the preview.'}
          </p>
        </div>
        <div className="settings-form__row">
          <SelectField
            label="Currency"
            hint="For new charges."
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            error={errors.currency}
          >
            {currencies.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Time zone"
            hint="Visits are entered and shown in this zone."
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            error={errors.timeZone}
          >
            {(zones.includes(timeZone) ? zones : [timeZone, ...zones]).map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Language and region"
            hint="How dates and amounts are written."
            value={locale}
            onChange={(e) => setLocale(e.target.value)}
            error={errors.locale}
          >
            {(LOCALES.includes(locale) ? LOCALES : [locale, ...LOCALES]).map((tag) => (
              <option key={tag} value={tag}>
                {localeName(tag)}
              </option>
            ))}
          </SelectField>
        </div>
        <ErrorNotice message={formError} />
        <div className="card__actions">
          <ActionButton type="submit" className="button--inline" isPending={update.isPending} pendingLabel="Saving…">
            Save changes
          </ActionButton>
          {update.isSuccess && !update.isPending ? <span className="saved-note">Saved</span> : null}
        </div>
      </form>
      <QuoteSettingsCard />
      <LiveStatus>{announcement}</LiveStatus>
    </div>
  );
}

function localeName(tag: string): string {
  try {
    return `${new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag} (${tag})`;
  } catch {
    return tag;
  }
}

/** The portal's header bar as customers will see it, drawn with the colour being chosen. */
function PortalHeaderPreview({
  name,
  logoUrl,
  accent,
  textColor,
}: {
  name: string;
  logoUrl: string | null;
  accent: string;
  textColor: string;
}) {
  return (
    <figure className="portal-preview">
      <div className="portal-preview__bar" style={{ background: accent, color: textColor }} data-testid="accent-preview">
        {logoUrl ? <img className="portal-preview__logo" src={logoUrl} alt="" width={32} height={32} /> : null}
        <span className="portal-preview__name">{name}</span>
        <span className="portal-preview__button" style={{ borderColor: textColor }}>
          Requests
        </span>
      </div>
      <div className="portal-preview__page">
        <span className="portal-preview__action" style={{ background: accent, color: textColor }}>
          New request
        </span>
        <span className="portal-preview__link" style={{ color: accent }}>
          A link in the accent colour
        </span>
      </div>
      <figcaption className="visually-hidden">Preview of the portal&rsquo;s header with this colour</figcaption>
    </figure>
  );
}
