import { createContext, useContext } from 'react';
import type { AppKit } from '../shared/app-kit.js';
import { readJsonScript } from '../shared/read-json-script.js';
import { TEAM_API_BASE } from './team-api.js';

/**
 * How the open organisation writes dates and money, embedded by the server in the page
 * (src/features/shells/team-shell.html.ts): its time zone, locale and currency. Null when the
 * page was loaded signed out; after signing in or switching organisation the page reloads once
 * to get the new organisation's (see SignedInRoute).
 */
export interface OrganisationFormats {
  readonly tenantId: string;
  readonly timeZone: string;
  readonly locale: string;
  readonly currency: string;
}

export const TEAM_BOOTSTRAP_ID = 'team-bootstrap';

export function readOrganisationFormats(): OrganisationFormats | null {
  const data = readJsonScript(TEAM_BOOTSTRAP_ID);
  if (typeof data !== 'object' || data === null) return null;
  const organisation = (data as { organisation?: unknown }).organisation;
  if (typeof organisation !== 'object' || organisation === null) return null;
  const o = organisation as Record<string, unknown>;
  if (typeof o.tenantId !== 'string' || typeof o.timeZone !== 'string' || typeof o.locale !== 'string' || typeof o.currency !== 'string') {
    return null;
  }
  return {
    tenantId: o.tenantId,
    timeZone: isTimeZone(o.timeZone) ? o.timeZone : 'UTC',
    locale: isLocale(o.locale) ? o.locale : navigator.language,
    currency: /^[A-Z]{3}$/.test(o.currency) ? o.currency : 'USD',
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isLocale(locale: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}

export const OrganisationContext = createContext<{
  formats: OrganisationFormats | null;
  /** After the organisation's settings change its zone, locale or currency. */
  setFormats: (formats: OrganisationFormats) => void;
}>({ formats: null, setFormats: () => undefined });

/** The open organisation's formats; only under SignedInRoute, which makes sure they are the session's. */
export function useOrganisationFormats(): OrganisationFormats {
  const { formats } = useContext(OrganisationContext);
  if (!formats) throw new Error('useOrganisationFormats() outside a signed-in route');
  return formats;
}

/**
 * The shared kit as the team app draws it: titles say "Servelo" (the organisation is in the
 * header), headings keep the scroll, dates are on the open organisation's clocks.
 */
export function teamKit(formats: OrganisationFormats | null): AppKit {
  return {
    apiBase: TEAM_API_BASE,
    titleOf: (page) => (page ? `${page} · Servelo` : 'Servelo'),
    scrollToHeading: false,
    headingClass: 'page-title',
    card: {
      section: 'card card--message',
      icon: 'card__icon',
      title: 'card__title',
      text: 'card__text',
      actions: 'card__actions',
      button: 'button button--primary button--inline',
    },
    formats: formats ? { locale: formats.locale, timeZone: formats.timeZone } : null,
  };
}
