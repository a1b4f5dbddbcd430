import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { discardRequestBody, multipartParts, requireUploadLength } from '../../platform/http/multipart.js';
import { teamRequestMeta, teamViewerOf } from '../sessions/team-session.http.js';
import { requireTeamRole } from '../team/team-viewer.js';
import { removeOrganisationLogo, replaceOrganisationLogo } from './organisation-logo.service.js';
import { getOrganisationSettings, updateOrganisationSettings } from './organisation-settings.service.js';
import { getNotificationSettings, updateNotificationSettings } from '../notifications/notification-settings.service.js';
import { getPortalSettings, updatePortalSettingsAsTeam } from './portal-settings.service.js';
import {
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

async function noStore(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('cache-control', 'no-store');
}

/** Organisation, portal and notification settings (`/api/team/settings/…`); owners and admins only. */
export function registerTeamSettingsRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const viewerOf = (request: FastifyRequest) => teamViewerOf(request, deps, config);
  const publicUrl = config.http.publicUrl;
  // Signed in and allowed before anything is validated or read: 401 without a session, 403 for
  // agents, whatever was sent. The services check the role again (they are called directly too).
  const guard = {
    onRequest: noStore,
    preValidation: async (request: FastifyRequest) => {
      requireTeamRole(await viewerOf(request), 'admin');
    },
  };

  typed.get(
    '/api/team/settings/organisation',
    {
      ...guard,
      schema: { tags: TAGS, summary: "The organisation's name, look and regional settings", response: { 200: ZOrganisationSettings } },
    },
    async (request) => getOrganisationSettings(deps, await viewerOf(request)),
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
    async (request) => updateOrganisationSettings(deps, await viewerOf(request), request.body, teamRequestMeta(request)),
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
      const viewer = await viewerOf(request);
      const limits = { maxFiles: 1, maxFileBytes: config.files.maxFileBytes };
      requireUploadLength(request, reply, limits);
      try {
        return await replaceOrganisationLogo(
          deps,
          viewer,
          multipartParts(request, limits),
          { maxFileBytes: limits.maxFileBytes, tenantQuotaBytes: config.files.tenantQuotaBytes },
          teamRequestMeta(request),
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
    async (request) => removeOrganisationLogo(deps, await viewerOf(request), teamRequestMeta(request)),
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
    async (request) => getPortalSettings(deps, await viewerOf(request), publicUrl),
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
    async (request) => updatePortalSettingsAsTeam(deps, await viewerOf(request), request.body, teamRequestMeta(request), publicUrl),
  );

  typed.get(
    '/api/team/settings/notifications',
    {
      ...guard,
      schema: { tags: TAGS, summary: 'Who receives customer-activity emails', response: { 200: ZNotificationSettings } },
    },
    async (request) => getNotificationSettings(deps, await viewerOf(request)),
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
    async (request) => updateNotificationSettings(deps, await viewerOf(request), request.body, teamRequestMeta(request)),
  );
}
