import { useEffect, useState } from 'react';
import { useDisplayFormats } from './app-kit.js';
import { formatDateTime, formatMoney, formatRelative, formatScheduled } from './format.js';
import { formatInZone, zoneLabel } from './time-zone.js';

/** The current time, renewed every `intervalMs`, so "2 minutes ago" does not go stale on an open page. */
export function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The exact moment: in the organisation's zone, with the zone named (team app), or in the browser's (portal). */
function exactMoment(iso: string, locale: string, timeZone: string | null): string {
  if (!timeZone) return formatDateTime(iso, locale);
  return `${formatInZone(iso, timeZone, locale)} (${zoneLabel(timeZone, new Date(iso))})`;
}

/** "2 hours ago", with the exact moment in `title` and `dateTime`. */
export function RelativeTime({ iso, now }: { iso: string; now: Date }) {
  const { locale, timeZone } = useDisplayFormats();
  return (
    <time dateTime={iso} title={exactMoment(iso, locale, timeZone)}>
      {formatRelative(iso, locale, now)}
    </time>
  );
}

/** "Mar 14, 2026, 9:05 AM" in the browser's time zone. */
export function DateTime({ iso }: { iso: string }) {
  const { locale } = useDisplayFormats();
  return <time dateTime={iso}>{formatDateTime(iso, locale)}</time>;
}

/** A visit's date in the browser's zone: "Tue, Mar 14, 9:00 AM" (year only when it is not this year). */
export function ScheduledDate({ iso }: { iso: string }) {
  const { locale } = useDisplayFormats();
  return (
    <time dateTime={iso} title={formatDateTime(iso, locale)}>
      {formatScheduled(iso, locale)}
    </time>
  );
}

/** "Tue, Mar 10, 2026, 9:00 AM" on the organisation's clocks (team app), optionally with the zone. */
export function ZonedDateTime({ iso, withZone = false }: { iso: string; withZone?: boolean }) {
  const { locale, timeZone } = useDisplayFormats();
  const zone = timeZone ?? 'UTC';
  return (
    <time dateTime={iso}>
      {formatInZone(iso, zone, locale)}
      {withZone ? <span className="zone-note"> {zoneLabel(zone, new Date(iso))}</span> : null}
    </time>
  );
}

/** An amount in minor units, in its own currency and the organisation's locale. */
export function Money({ amount, currency }: { amount: number; currency: string }) {
  const { locale } = useDisplayFormats();
  return <span className="money">{formatMoney(amount, currency, locale)}</span>;
}
