import { describe, expect, it } from 'vitest';
import { formatInZone, fromZoned, offsetAt, toZoned, zoneLabel } from './time-zone.js';

describe('time zones of the organisation', () => {
  it('turns a wall-clock time in the zone into UTC and back', () => {
    expect(fromZoned({ date: '2026-03-10', time: '09:00' }, 'America/New_York')).toEqual({
      ok: true,
      iso: '2026-03-10T13:00:00.000Z',
      shifted: false,
    });
    expect(fromZoned({ date: '2026-07-01', time: '09:00' }, 'Europe/London')).toEqual({
      ok: true,
      iso: '2026-07-01T08:00:00.000Z',
      shifted: false,
    });
    expect(fromZoned({ date: '2026-01-15', time: '23:30' }, 'Asia/Kolkata')).toEqual({
      ok: true,
      iso: '2026-01-15T18:00:00.000Z',
      shifted: false,
    });
    expect(fromZoned({ date: '2026-01-01', time: '00:00' }, 'UTC')).toEqual({ ok: true, iso: '2026-01-01T00:00:00.000Z', shifted: false });
    expect(toZoned('2026-03-10T13:00:00.000Z', 'America/New_York')).toEqual({ date: '2026-03-10', time: '09:00' });
    expect(toZoned('2026-12-31T23:30:00.000Z', 'Pacific/Auckland')).toEqual({ date: '2027-01-01', time: '12:30' });
    expect(offsetAt(Date.UTC(2026, 6, 1), 'Europe/Berlin')).toBe(2 * 3_600_000);
  });

  it('moves a time in the skipped hour past the gap, and takes the first of a repeated hour', () => {
    // 8 March 2026: New York skips 02:00–03:00.
    expect(fromZoned({ date: '2026-03-08', time: '02:30' }, 'America/New_York')).toEqual({
      ok: true,
      iso: '2026-03-08T07:30:00.000Z',
      shifted: true,
    });
    expect(toZoned('2026-03-08T07:30:00.000Z', 'America/New_York')).toEqual({ date: '2026-03-08', time: '03:30' });
    // 1 November 2026: 01:30 happens twice; the first (EDT, UTC-4) is meant.
    expect(fromZoned({ date: '2026-11-01', time: '01:30' }, 'America/New_York')).toEqual({
      ok: true,
      iso: '2026-11-01T05:30:00.000Z',
      shifted: false,
    });
  });

  it('refuses what is not a date or a time', () => {
    expect(fromZoned({ date: '', time: '09:00' }, 'UTC')).toEqual({ ok: false, error: 'Enter a date.' });
    expect(fromZoned({ date: '2026-02-30', time: '09:00' }, 'UTC')).toEqual({ ok: false, error: 'Enter a real date and time.' });
    expect(fromZoned({ date: '2026-02-10', time: '' }, 'UTC')).toEqual({ ok: false, error: 'Enter a time.' });
  });

  it('names the zone with its offset and formats in it', () => {
    expect(zoneLabel('America/New_York', new Date('2026-07-01T12:00:00Z'))).toBe('America/New York (GMT-4)');
    expect(zoneLabel('UTC', new Date('2026-07-01T12:00:00Z'))).toBe('UTC');
    expect(zoneLabel('Europe/London', new Date('2026-01-01T12:00:00Z'))).toBe('Europe/London (GMT)');
    expect(formatInZone('2026-03-10T13:00:00.000Z', 'America/New_York', 'en-US')).toBe('Tue, Mar 10, 2026, 9:00 AM');
  });
});
