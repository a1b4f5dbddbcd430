import { useEffect, useState } from 'react';
import { formatDateTime, formatMoney, formatRelative, formatScheduled } from '../shared/format.js';
import { usePortal } from './portal-context.js';

/** The current time, renewed every `intervalMs`, so "2 minutes ago" does not go stale on an open page. */
export function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "2 hours ago", with the exact moment (browser time zone) in `title` and `dateTime`. */
export function RelativeTime({ iso, now }: { iso: string; now: Date }) {
  const { locale } = usePortal();
  return (
    <time dateTime={iso} title={formatDateTime(iso, locale)}>
      {formatRelative(iso, locale, now)}
    </time>
  );
}

/** "Mar 14, 2026, 9:05 AM" in the browser's time zone. */
export function DateTime({ iso }: { iso: string }) {
  const { locale } = usePortal();
  return <time dateTime={iso}>{formatDateTime(iso, locale)}</time>;
}

/** A visit's date: "Tue, Mar 14, 9:00 AM" (year only when it is not this year). */
export function ScheduledDate({ iso }: { iso: string }) {
  const { locale } = usePortal();
  return (
    <time dateTime={iso} title={formatDateTime(iso, locale)}>
      {formatScheduled(iso, locale)}
    </time>
  );
}

/** An amount in minor units, in its own currency and the organisation's locale. */
export function Money({ amount, currency }: { amount: number; currency: string }) {
  const { locale } = usePortal();
  return <span className="money">{formatMoney(amount, currency, locale)}</span>;
}
