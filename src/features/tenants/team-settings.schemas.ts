import { z } from 'zod';
import { ZClientVisibility } from '../clients/client.schemas.js';
import { ZAccentColor } from './tenant.schemas.js';
import { ZDisplayName } from '../../platform/display-name.js';

/**
 * The team app's settings contract (`/api/team/settings/…`, owners and admins only: agents get
 * 403 FORBIDDEN), shared by the server routes and the web app. Every change takes effect in the
 * portal on its next request and is recorded in the audit log with old and new values.
 */

/** True when `Intl` accepts the zone; answers its canonical name (`europe/london` → `Europe/London`). */
export function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** A well-formed BCP 47 tag that `Intl` can format with, in canonical form (`en-gb` → `en-GB`); else undefined. */
export function canonicalLocale(tag: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical && Intl.DateTimeFormat.supportedLocalesOf([canonical]).length > 0 ? canonical : undefined;
  } catch {
    return undefined;
  }
}

/** An ISO 4217 currency `Intl` knows (`usd` → `USD`); else undefined. */
export function canonicalCurrency(code: string): string | undefined {
  const upper = code.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(upper) && Intl.supportedValuesOf('currency').includes(upper) ? upper : undefined;
}

const refined = (canonical: (value: string) => string | undefined, error: string) =>
  z
    .string()
    .trim()
    .max(100)
    .refine((value) => canonical(value) !== undefined, { error })
    .transform((value) => canonical(value) ?? value);

export const ZOrganisationName = ZDisplayName(120);
export const ZCurrency = refined(canonicalCurrency, 'must be an ISO 4217 currency code like USD');
export const ZTimeZone = refined(canonicalTimeZone, 'must be an IANA time zone like Europe/London');
export const ZLocale = refined(canonicalLocale, 'must be a language tag like en-GB');

/** GET /api/team/settings/organisation (and the answer to PATCH and to the logo routes). */
export const ZOrganisationSettings = z.object({
  name: z.string(),
  slug: z.string(),
  accentColor: z.string(),
  /** Black or white, whichever reads better on the accent (what the portal header uses). */
  accentTextColor: z.string(),
  /** WCAG 2.x contrast ratios, rounded to two decimals. */
  contrast: z.object({
    /** Of the text colour on the accent (header, buttons). */
    text: z.number(),
    /** Of the accent on the portal's white page (outlines, focus rings, highlights). */
    page: z.number(),
  }),
  /** True when `contrast.text` is under 4.5:1 or `contrast.page` under 3:1: show a warning beside the colour. */
  contrastWarning: z.boolean(),
  currency: z.string(),
  timeZone: z.string(),
  locale: z.string(),
  /** The logo as the portal serves it, with a version so a preview shows a new one at once; null without one. */
  logoUrl: z.string().nullable(),
});
export type TOrganisationSettings = z.infer<typeof ZOrganisationSettings>;

/** PATCH /api/team/settings/organisation — any subset. */
export const ZUpdateOrganisationRequest = z.strictObject({
  name: ZOrganisationName.optional(),
  accentColor: ZAccentColor.optional(),
  currency: ZCurrency.optional(),
  timeZone: ZTimeZone.optional(),
  locale: ZLocale.optional(),
});
export type TUpdateOrganisationRequest = z.input<typeof ZUpdateOrganisationRequest>;

/** GET /api/team/settings/portal (and the answer to PATCH). */
export const ZPortalSettings = z.object({
  submissionsEnabled: z.boolean(),
  reopenOnReply: z.boolean(),
  /** The ticket visibility new clients get; existing clients keep theirs. */
  clientVisibilityDefault: ZClientVisibility,
  /** Read-only: where customers find the portal (its custom domain once active). */
  portalUrl: z.string(),
  /** Read-only: the default address `PUBLIC_URL/portal/{slug}`, which keeps working whatever the custom domain does. */
  defaultPortalUrl: z.string(),
});
export type TPortalSettings = z.infer<typeof ZPortalSettings>;

/** PATCH /api/team/settings/portal — any subset. */
export const ZUpdatePortalSettingsRequest = z.strictObject({
  submissionsEnabled: z.boolean().optional(),
  reopenOnReply: z.boolean().optional(),
  clientVisibilityDefault: ZClientVisibility.optional(),
});
export type TUpdatePortalSettingsRequest = z.input<typeof ZUpdatePortalSettingsRequest>;

/** GET /api/team/settings/notifications (and the answer to PATCH). */
export const ZNotificationSettings = z.object({
  /** Ids of the active members emailed about customer activity (new requests, replies, closings). */
  recipients: z.array(z.string()),
  /** The active members to choose from. */
  members: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(['owner', 'admin', 'agent']) })),
});
export type TNotificationSettings = z.infer<typeof ZNotificationSettings>;

/** PATCH /api/team/settings/notifications — the complete list; every id must be an active member (else 400). */
export const ZUpdateNotificationSettingsRequest = z.strictObject({
  recipients: z.array(z.string().max(100)).max(1000),
});
export type TUpdateNotificationSettingsRequest = z.input<typeof ZUpdateNotificationSettingsRequest>;

/** A customer limit: a whole number from 1 (a day's requests, or megabytes). */
const ZLimit = z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(1_000_000);
const limitShape = {
  submissionsPerMinute: ZLimit,
  submissionsPerDay: ZLimit,
  repliesPerMinute: ZLimit,
  repliesPerDay: ZLimit,
  closesPerMinute: ZLimit,
  closesPerDay: ZLimit,
  uploadsPerMinute: ZLimit,
  uploadsPerDay: ZLimit,
  /** Megabytes of files one customer may keep uploaded but not yet sent with a message. */
  pendingUploadMb: ZLimit,
  /** Megabytes one customer may upload in 24 hours. */
  uploadMbPerDay: ZLimit,
};
export const ZCustomerLimits = z.object(limitShape);
export type TCustomerLimits = z.infer<typeof ZCustomerLimits>;

/** GET /api/team/settings/customer-limits (and the answer to PATCH): what one customer may do in the portal. */
export const ZCustomerLimitsSettings = z.object({
  /** The installation's values (PORTAL_LIMIT_*). */
  defaults: ZCustomerLimits,
  /** The values this organisation set; a limit not named here is the default. */
  overrides: ZCustomerLimits.partial(),
  /** What applies now. */
  effective: ZCustomerLimits,
});
export type TCustomerLimitsSettings = z.infer<typeof ZCustomerLimitsSettings>;

/** PATCH /api/team/settings/customer-limits — any subset; null returns a limit to the default. */
export const ZUpdateCustomerLimitsRequest = z.strictObject(
  Object.fromEntries(Object.entries(limitShape).map(([key, schema]) => [key, schema.nullable().optional()])) as {
    [K in keyof typeof limitShape]: z.ZodOptional<z.ZodNullable<(typeof limitShape)[K]>>;
  },
);
export type TUpdateCustomerLimitsRequest = z.input<typeof ZUpdateCustomerLimitsRequest>;
