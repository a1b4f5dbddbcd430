import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { AppError } from './errors.js';

/** The region of a BCP 47 locale (`en-US` → `US`), used to read national phone numbers. */
export function regionOfLocale(locale: string): CountryCode | undefined {
  try {
    const region = new Intl.Locale(locale).maximize().region;
    return region && /^[A-Z]{2}$/.test(region) ? (region as CountryCode) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a phone number as people type it and returns E.164 (`+13125550142`); national numbers are
 * read in the organisation's region.
 * @throws PHONE_INVALID
 */
export function toE164(raw: string, defaultRegion: CountryCode | undefined): string {
  const parsed = parsePhoneNumberFromString(raw, defaultRegion);
  if (!parsed || !parsed.isValid()) {
    throw new AppError('PHONE_INVALID', undefined, { details: [{ path: 'phone', message: 'is not a valid phone number' }] });
  }
  return parsed.number;
}

/**
 * The one reading of a phone field: undefined keeps the stored number, null or blank clears it,
 * anything else is read in the organisation's locale's region and returned as E.164.
 * @throws PHONE_INVALID
 */
export function normalisePhone(raw: string | null | undefined, locale: string): string | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw.trim() === '') return null;
  return toE164(raw, regionOfLocale(locale));
}

/** E.164 as written in its own country (`(312) 555-0142`); international format for other countries. */
export function formatPhone(e164: string, region: CountryCode | undefined): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === region ? parsed.formatNational() : parsed.formatInternational();
}
