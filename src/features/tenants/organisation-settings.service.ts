import { createHash } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/validation.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { contrastRatio, pickTextColor } from './branding.service.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { findTenantById, type Tenant, updateOrganisation } from './tenant.service.js';
import { type TOrganisationSettings, type TUpdateOrganisationRequest, ZUpdateOrganisationRequest } from './team-settings.schemas.js';

/** WCAG 2.x AA: 4.5:1 for text (1.4.3), 3:1 for the accent as a shape against the page (1.4.11). */
const MIN_TEXT_CONTRAST = 4.5;
const MIN_PAGE_CONTRAST = 3;
const PAGE_BACKGROUND = '#ffffff';

/** The fields of the organisation settings, as they are named on the tenant. */
const ORGANISATION_FIELDS = ['name', 'accentColor', 'currency', 'timeZone', 'locale'] as const;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * How readable the accent is: the text colour the portal puts on it (black or white, whichever
 * contrasts more — at least 4.58:1 by construction) and the accent itself on the white page,
 * where a very light accent makes outlines, focus rings and the header's edge disappear.
 */
export function accentContrastOf(accentColor: string): Pick<TOrganisationSettings, 'accentTextColor' | 'contrast' | 'contrastWarning'> {
  const accentTextColor = pickTextColor(accentColor);
  const text = contrastRatio(accentColor, accentTextColor);
  const page = contrastRatio(accentColor, PAGE_BACKGROUND);
  return {
    accentTextColor,
    contrast: { text: round2(text), page: round2(page) },
    contrastWarning: text < MIN_TEXT_CONTRAST || page < MIN_PAGE_CONTRAST,
  };
}

/** The settings as the team app shows them; the logo URL carries a version of the stored logo. */
export function presentOrganisationSettings(tenant: Tenant): TOrganisationSettings {
  const version = tenant.logoKey ? createHash('sha256').update(tenant.logoKey).digest('hex').slice(0, 12) : null;
  return {
    name: tenant.name,
    slug: tenant.slug,
    accentColor: tenant.accentColor,
    ...accentContrastOf(tenant.accentColor),
    currency: tenant.currency,
    timeZone: tenant.timeZone,
    locale: tenant.locale,
    logoUrl: version ? `/portal/${tenant.slug}/logo?v=${version}` : null,
  };
}

/** The viewer's organisation as it is now (the session's copy may be a request old). @throws TENANT_NOT_FOUND */
export async function getSettingsTenant(ctx: AppContext, viewer: TeamViewer): Promise<Tenant> {
  const tenant = await findTenantById(ctx.db, viewer.tenant.id);
  if (!tenant) throw new AppError('TENANT_NOT_FOUND');
  return tenant;
}

/**
 * The organisation's name, accent colour (with its contrast), currency, time zone and locale.
 * @throws FORBIDDEN for agents
 */
export async function getOrganisationSettings(ctx: AppContext, viewer: TeamViewer): Promise<TOrganisationSettings> {
  requireTeamRole(viewer, 'admin');
  return presentOrganisationSettings(await getSettingsTenant(ctx, viewer));
}

/**
 * Changes any of the organisation's name, accent colour, currency, time zone (IANA) and locale
 * (BCP 47); the portal shows them on its next request. Audited with old and new values.
 * @throws FORBIDDEN for agents, VALIDATION_FAILED
 */
export async function updateOrganisationSettings(
  ctx: AppContext,
  viewer: TeamViewer,
  input: TUpdateOrganisationRequest,
  meta: RequestMeta,
): Promise<TOrganisationSettings> {
  requireTeamRole(viewer, 'admin');
  const patch = parseInput(ZUpdateOrganisationRequest, input);
  const tenant = await inTransaction(ctx.db, async (trx) => {
    const before = await getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
    const changes: Record<string, { from: string; to: string }> = {};
    for (const field of ORGANISATION_FIELDS) {
      const to = patch[field];
      if (to !== undefined && to !== before[field]) changes[field] = { from: before[field], to };
    }
    if (Object.keys(changes).length === 0) return before;
    await updateOrganisation({ db: trx, clock: ctx.clock }, before.id, patch);
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: before.id,
      actor: { kind: 'team_member', id: viewer.memberId },
      action: 'settings.organisation.updated',
      subject: { kind: 'tenant', id: before.id },
      data: { changes },
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
    });
    return getSettingsTenant({ db: trx, clock: ctx.clock }, viewer);
  });
  return presentOrganisationSettings(tenant);
}
