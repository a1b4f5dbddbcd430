import { z } from 'zod';
import { ZDisplayName } from '../../platform/display-name.js';

/** Path segments the platform uses itself; a tenant slug may not shadow them. */
export const RESERVED_SLUGS = new Set([
  'api',
  'app',
  'admin',
  'operator',
  'assets',
  'static',
  'portal',
  'www',
  'mail',
  'help',
  'status',
  'healthz',
  'readyz',
]);

export const ZTenantSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, { error: 'must be at least 2 characters' })
  .max(63, { error: 'must be at most 63 characters' })
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, { error: 'may contain only lowercase letters, digits and inner hyphens' })
  .refine((slug) => !RESERVED_SLUGS.has(slug), { error: 'is reserved' });

export const ZAccentColor = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour like #1d4ed8' })
  .transform((c) => c.toLowerCase());

export const ZCreateTenantRequest = z.strictObject({
  slug: ZTenantSlug,
  name: ZDisplayName(120),
  accentColor: ZAccentColor.default('#2563eb'),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code like USD' })
    .default('USD'),
  locale: z.string().trim().min(2).max(35).default('en-US'),
  timeZone: z.string().trim().refine(isTimeZone, { error: 'must be an IANA time zone like Europe/London' }).default('UTC'),
});
export type TCreateTenantRequest = z.input<typeof ZCreateTenantRequest>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Public branding and settings of a portal (`GET B/api/portal`). */
export const ZPortalInfo = z.object({
  name: z.string(),
  slug: z.string(),
  accentColor: z.string(),
  accentTextColor: z.string(),
  logoUrl: z.string().nullable(),
  submissionsEnabled: z.boolean(),
  /** For formatting charges: ISO 4217 currency and BCP 47 locale of the organisation. */
  currency: z.string(),
  locale: z.string(),
});
export type TPortalInfo = z.infer<typeof ZPortalInfo>;
