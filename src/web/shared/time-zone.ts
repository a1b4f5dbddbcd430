/**
 * Dates and times in the ORGANISATION's time zone. A visit "Tuesday 9:00" means 9:00 where the
 * business works, whoever enters it and wherever their laptop thinks it is, so the scheduled field
 * is entered and shown in the tenant's zone and sent to the API as a UTC ISO string.
 */

export interface ZonedDateTime {
  /** `YYYY-MM-DD`, as `<input type="date">` holds it. */
  readonly date: string;
  /** `HH:mm` (24 h), as `<input type="time">` holds it. */
  readonly time: string;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    y: parts.year ?? 1970,
    mo: parts.month ?? 1,
    d: parts.day ?? 1,
    h: parts.hour ?? 0,
    mi: parts.minute ?? 0,
    s: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
export function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant (ISO) as the date and time a clock in the zone shows. */
export function toZoned(iso: string, timeZone: string): ZonedDateTime {
  const w = wallClock(new Date(iso).getTime(), timeZone);
  return { date: `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}`, time: `${pad(w.h)}:${pad(w.mi)}` };
}

export type ZonedParse =
  | {
      readonly ok: true;
      readonly iso: string;
      /** The clock time was skipped (spring forward) and moved on by the gap. */ readonly shifted: boolean;
    }
  | { readonly ok: false; readonly error: string };

/**
 * The UTC instant (ISO, `…Z`) of a date and time on the zone's clocks. In the hour skipped when
 * clocks go forward the time is moved on by the gap (02:30 → 03:30) and `shifted` says so; in the
 * hour that repeats when clocks go back, the first (earlier) one is meant.
 */
export function fromZoned(value: ZonedDateTime, timeZone: string): ZonedParse {
  const dateMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.date);
  if (!dateMatch) return { ok: false, error: 'Enter a date.' };
  const timeMatch = /^(\d{2}):(\d{2})$/.exec(value.time || '');
  if (!timeMatch) return { ok: false, error: 'Enter a time.' };
  const [y, mo, d] = [Number(dateMatch[1]), Number(dateMatch[2]), Number(dateMatch[3])];
  const [h, mi] = [Number(timeMatch[1]), Number(timeMatch[2])];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) {
    return { ok: false, error: 'Enter a real date and time.' };
  }
  // Two candidates: the offsets just before and just after the wall time. The earlier valid one
  // wins (the first of a repeated hour); none valid means the time fell in a skipped hour.
  const before = offsetAt(asUtc - 24 * 3_600_000, timeZone);
  const after = offsetAt(asUtc + 24 * 3_600_000, timeZone);
  const candidates = [...new Set([asUtc - before, asUtc - after, asUtc - offsetAt(asUtc, timeZone)])].sort((a, b) => a - b);
  for (const candidate of candidates) {
    const w = wallClock(candidate, timeZone);
    if (w.y === y && w.mo === mo && w.d === d && w.h === h && w.mi === mi)
      return { ok: true, iso: new Date(candidate).toISOString(), shifted: false };
  }
  // Skipped: keep the offset from before the change, which lands after the gap (02:30 → 03:30).
  return { ok: true, iso: new Date(asUtc - before).toISOString(), shifted: true };
}

/** "GMT+1", "GMT-5", "GMT" — the zone's offset at an instant, as people read it. */
export function offsetLabel(timeZone: string, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    // Engines differ on the zero offset ("GMT" or "GMT+0").
    return (part?.value ?? timeZone).replace(/^GMT[+-]0$/, 'GMT');
  } catch {
    return timeZone;
  }
}

/** "Europe/London (GMT+1)" — what is written next to a date field. Underscores become spaces. */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  return `${timeZone.replace(/_/g, ' ')} (${offsetLabel(timeZone, at)})`;
}

const displayFormats = new Map<string, Intl.DateTimeFormat>();

/** "Tue, 14 Mar 2026, 09:00" on the organisation's clocks, in its locale. */
export function formatInZone(iso: string, timeZone: string, locale: string): string {
  const key = `${locale}|${timeZone}`;
  let format = displayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    });
    displayFormats.set(key, format);
  }
  return format.format(new Date(iso));
}
