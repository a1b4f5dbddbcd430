import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { discardRequestBody, multipartParts, requireUploadLength } from '../../platform/http/multipart.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { requireTeamRole } from '../team/team-viewer.js';
import { removeOrganisationLogo, replaceOrganisationLogo } from './organisation-logo.service.js';
import { getOrganisationSettings, updateOrganisationSettings } from './organisation-settings.service.js';
import { getNotificationSettings, updateNotificationSettings } from '../notifications/notification-settings.service.js';
import { getPortalSettings, updatePortalSettingsAsTeam } from './portal-settings.service.js';
import { getCustomerLimitsSettings, updateCustomerLimitsSettings } from './customer-limits-settings.service.js';
import { presentOrganisationSettings, presentPortalSettings } from './team-settings.presenter.js';
import {
  ZCustomerLimitsSettings,
  ZUpdateCustomerLimitsRequest,
  ZNotificationSettings,
  ZOrganisationSettings,
  ZPortalSettings,
  ZUpdateNotificationSettingsRequest,
  ZUpdateOrganisationRequest,
  ZUpdatePortalSettingsRequest,
} from './team-settings.schemas.js';

const TAGS = ['team settings'];
/** Logo uploads per address and minute: plenty for trying a few, not for a flood of image decoding. */
const LOGO_RATE = { rateLimit: { max: 20, timeWindow: 60_000 } };

/**
 * Organisation, portal, customer-limit and notification settings (`/api/team/settings/…`); owners and admins only.
 * Registered inside the team surface's signed-in routes: `request.teamViewer` is set, no-store too.
 */
export function registerTeamSettingsRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const site = { publicUrl: config.http.publicUrl, portalSubdomainBase: config.domains.subdomainBase };
  // Allowed before anything is validated or read: 403 for agents, whatever was sent (the surface
  // answered 401 without a session). The services check the role again (they are called directly too).
  const guard = {
    preValidation: async (request: FastifyRequest) => {
      requireTeamRole(request.teamViewer, 'admin');
    },
  };

  typed.get(
    '/api/team/settings/organisation',
    {
      ...guard,
      schema: { tags: TAGS, summary: "The organisation's name, look and regional settings", response: { 200: ZOrganisationSettings } },
    },
    async (request) => presentOrganisationSettings(await getOrganisationSettings(deps, request.teamViewer)),
  );

  typed.patch(
    '/api/team/settings/organisation',
    {
      ...guard,
      schema: {
        tags: TAGS,
        summary: 'Change the name, accent colour, currency (ISO 4217), time zone (IANA) or locale (BCP 47)',
        body: ZUpdateOrganisationRequest,
        response: { 200: ZOrganisationSettings },
      },
    },
    async (request) =>
      presentOrganisationSettings(await updateOrganisationSettings(deps, request.teamViewer, request.body, requestMetaOf(request))),
  );

  typed.put(
    '/api/team/settings/organisation/logo',
    {
      ...guard,
      config: LOGO_RATE,
      schema: {
        tags: TAGS,
        summary: 'Replace the logo (multipart/form-data, one raster image in field "logo"); re-encoded to a PNG inside 512×512',
        response: { 200: ZOrganisationSettings },
      },
    },
    async (request, reply) => {
      const viewer = request.teamViewer;
      const limits = { maxFiles: 1, maxFileBytes: config.files.maxFileBytes };
      requireUploadLength(request, reply, limits);
      try {
        return presentOrganisationSettings(
          await replaceOrganisationLogo(
            deps,
            viewer,
            multipartParts(request, limits),
            { maxFileBytes: limits.maxFileBytes, tenantQuotaBytes: config.files.tenantQuotaBytes },
            requestMetaOf(request),
          ),
        );
      } catch (error) {
        // A refused upload: drain the rest of the body so the client reads the error.
        discardRequestBody(request);
        throw error;
      }
    },
  );

  typed.delete(
    '/api/team/settings/organisation/logo',
    { ...guard, schema: { tags: TAGS, summary: 'Remove the logo', response: { 200: ZOrganisationSettings } } },
    async (request) => presentOrganisationSettings(await removeOrganisationLogo(deps, request.teamViewer, requestMetaOf(request))),
  );

  typed.get(
    '/api/team/settings/portal',
    {
      ...guard,
      schema: {
        tags: TAGS,
        summary: 'Portal switches, the default visibility of new clients, and the portal URL',
        response: { 200: ZPortalSettings },
      },
    },
    async (request) => presentPortalSettings(await getPortalSettings(deps, request.teamViewer), site),
  );

  typed.patch(
    '/api/team/settings/portal',
    {
      ...guard,
      schema: {
        tags: TAGS,
        summary: 'Turn portal submissions and reopen-by-reply on or off; set the visibility new clients get',
        body: ZUpdatePortalSettingsRequest,
        response: { 200: ZPortalSettings },
      },
    },
    async (request) =>
      presentPortalSettings(await updatePortalSettingsAsTeam(deps, request.teamViewer, request.body, requestMetaOf(request)), site),
  );

  typed.get(
    '/api/team/settings/customer-limits',
    {
      ...guard,
      schema: {
        tags: TAGS,
        summary: "What one customer may do in the portal: the defaults, the organisation's own values, what applies",
        response: { 200: ZCustomerLimitsSettings },
      },
    },
    async (request) => getCustomerLimitsSettings(deps, request.teamViewer, config.customerLimits),
  );

  typed.patch(
    '/api/team/settings/customer-limits',
    {
      ...guard,
      schema: {
        tags: TAGS,
        summary: 'Set per-customer limits for this organisation (null returns one to the default)',
        body: ZUpdateCustomerLimitsRequest,
        response: { 200: ZCustomerLimitsSettings },
      },
    },
    async (request) => updateCustomerLimitsSettings(deps, request.teamViewer, config.customerLimits, request.body, requestMetaOf(request)),
  );

  typed.get(
    '/api/team/settings/notifications',
    {
      ...guard,
      schema: { tags: TAGS, summary: 'Who receives customer-activity emails', response: { 200: ZNotificationSettings } },
    },
    async (request) => getNotificationSettings(deps, request.teamViewer),
  );

  typed.patch(
    '/api/team/settings/notifications',
    {
      ...guard,
      schema: {
        tags: TAGS,
        summary: 'Choose exactly who receives customer-activity emails (active members)',
        body: ZUpdateNotificationSettingsRequest,
        response: { 200: ZNotificationSettings },
      },
    },
    async (request) => updateNotificationSettings(deps, request.teamViewer, request.body, requestMetaOf(request)),
  );
}
