import { useEffect, useState } from 'react';
import { formatMoney, formatRelative } from '../shared/format.js';
import { formatInZone, zoneLabel } from './lib/time-zone.js';
import { useOrganisationFormats } from './team-bootstrap.js';

/** The current time, renewed every `intervalMs`, so "2 minutes ago" does not go stale on an open page. */
export function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "2 hours ago", with the exact moment on the organisation's clocks in `title`. */
export function RelativeTime({ iso, now }: { iso: string; now: Date }) {
  const { locale, timeZone } = useOrganisationFormats();
  return (
    <time dateTime={iso} title={`${formatInZone(iso, timeZone, locale)} (${zoneLabel(timeZone, new Date(iso))})`}>
      {formatRelative(iso, locale, now)}
    </time>
  );
}

/** "Tue, Mar 10, 2026, 9:00 AM" on the organisation's clocks. */
export function ZonedDateTime({ iso, withZone = false }: { iso: string; withZone?: boolean }) {
  const { locale, timeZone } = useOrganisationFormats();
  return (
    <time dateTime={iso}>
      {formatInZone(iso, timeZone, locale)}
      {withZone ? <span className="zone-note"> {zoneLabel(timeZone, new Date(iso))}</span> : null}
    </time>
  );
}

/** An amount in minor units, in its own currency and the organisation's locale. */
export function Money({ amount, currency }: { amount: number; currency: string }) {
  const { locale } = useOrganisationFormats();
  return <span className="money">{formatMoney(amount, currency, locale)}</span>;
}
