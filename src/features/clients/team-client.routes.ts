import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { createKeyedRateLimit } from '../../http/rate-limit.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { presentTeamClient, presentTeamContact } from './team-client.presenter.js';
import {
  ZCreateTeamClientRequest,
  ZCreateTeamContactRequest,
  ZEndContactSessionsResponse,
  ZInviteContactResponse,
  ZListTeamClientsQuery,
  ZTeamClient,
  ZTeamClientDetail,
  ZTeamClientIdParams,
  ZTeamClientList,
  ZTeamContact,
  ZUpdateTeamClientRequest,
  ZUpdateTeamContactRequest,
} from './team-client.schemas.js';
import { createTeamClient, getTeamClient, listTeamClients, updateTeamClient } from './team-client.service.js';
import { addTeamContact, endTeamContactSessions, inviteTeamContact, updateTeamContact } from './team-contact.service.js';

const TAGS = ['team clients'];
const MINUTE = 60_000;

/**
 * Clients and contacts of the team app (`/api/team/clients…`, `/api/team/contacts…`); any role.
 * Registered inside the team surface's signed-in routes: `request.teamViewer` is set, no-store too.
 */
export function registerTeamClientRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const contactContext = {
    db: deps.db,
    clock: deps.clock,
    publicUrl: config.http.publicUrl,
    portalSubdomainBase: config.domains.subdomainBase,
    fromAddress: config.mail.fromAddress,
  };

  // Portal invitations per contact: a second one within a minute is a double click, more than ten
  // a day is someone's inbox being flooded. Shared across instances when Redis is configured.
  const invitePerMinute = createKeyedRateLimit(app, 'team-invite-1m', 1, MINUTE);
  const invitePerDay = createKeyedRateLimit(app, 'team-invite-1d', 10, 24 * 60 * MINUTE);
  const checkInviteLimits = async (request: FastifyRequest, contactId: string) => {
    // The day's limit is not counted when the minute's refused (a double click is not an invitation).
    if (!(await invitePerMinute(request, contactId)) || !(await invitePerDay(request, contactId))) {
      throw new AppError('RATE_LIMITED', 'This contact was sent an invitation moments ago.');
    }
  };

  typed.get(
    '/api/team/clients',
    {
      schema: {
        tags: TAGS,
        summary: "Search the organisation's clients (name, or a contact's name or email), A to Z, keyset-paginated",
        querystring: ZListTeamClientsQuery,
        response: { 200: ZTeamClientList },
      },
    },
    async (request) => {
      const page = await listTeamClients(deps, request.teamViewer, request.query);
      return { clients: page.clients.map(presentTeamClient), nextCursor: page.nextCursor };
    },
  );

  typed.post(
    '/api/team/clients',
    {
      schema: { tags: TAGS, summary: 'Create a client', body: ZCreateTeamClientRequest, response: { 201: ZTeamClient } },
    },
    async (request, reply) => {
      const summary = await createTeamClient(deps, request.teamViewer, request.body, requestMetaOf(request));
      return reply.code(201).send(presentTeamClient(summary));
    },
  );

  typed.get(
    '/api/team/clients/:id',
    {
      schema: { tags: TAGS, summary: 'A client with its contacts', params: ZTeamClientIdParams, response: { 200: ZTeamClientDetail } },
    },
    async (request) => {
      const viewer = request.teamViewer;
      const { summary, contacts } = await getTeamClient(deps, viewer, request.params.id);
      return { client: presentTeamClient(summary), contacts: contacts.map((c) => presentTeamContact(c, viewer.tenant.locale)) };
    },
  );

  typed.patch(
    '/api/team/clients/:id',
    {
      schema: {
        tags: TAGS,
        summary: "Rename a client or change which tickets its contacts see in the portal ('all' or 'own')",
        params: ZTeamClientIdParams,
        body: ZUpdateTeamClientRequest,
        response: { 200: ZTeamClient },
      },
    },
    async (request) => {
      const summary = await updateTeamClient(deps, request.teamViewer, request.params.id, request.body, requestMetaOf(request));
      return presentTeamClient(summary);
    },
  );

  typed.post(
    '/api/team/clients/:id/contacts',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a contact to a client (email unique in the organisation)',
        params: ZTeamClientIdParams,
        body: ZCreateTeamContactRequest,
        response: { 201: ZTeamContact },
      },
    },
    async (request, reply) => {
      const viewer = request.teamViewer;
      const contact = await addTeamContact(deps, viewer, request.params.id, request.body, requestMetaOf(request));
      return reply.code(201).send(presentTeamContact(contact, viewer.tenant.locale));
    },
  );

  typed.patch(
    '/api/team/contacts/:id',
    {
      schema: {
        tags: TAGS,
        summary: "Change a contact's name, phone, email or status; a new email or disabling ends its sign-in links and sessions",
        params: ZTeamClientIdParams,
        body: ZUpdateTeamContactRequest,
        response: { 200: ZTeamContact },
      },
    },
    async (request) => {
      const viewer = request.teamViewer;
      const contact = await updateTeamContact(contactContext, viewer, request.params.id, request.body, requestMetaOf(request));
      deps.wakeWorker();
      return presentTeamContact(contact, viewer.tenant.locale);
    },
  );

  typed.post(
    '/api/team/contacts/:id/invite',
    {
      schema: {
        tags: TAGS,
        summary: 'Email the contact a portal sign-in link (at most one a minute and ten a day per contact)',
        params: ZTeamClientIdParams,
        response: { 202: ZInviteContactResponse },
      },
    },
    async (request, reply) => {
      const viewer = request.teamViewer;
      await checkInviteLimits(request, request.params.id);
      const contact = await inviteTeamContact(deps, viewer, request.params.id, requestMetaOf(request));
      deps.wakeWorker();
      return reply.code(202).send({ email: contact.email });
    },
  );

  typed.post(
    '/api/team/contacts/:id/end-sessions',
    {
      schema: {
        tags: TAGS,
        summary: "End all of the contact's portal sessions",
        params: ZTeamClientIdParams,
        response: { 200: ZEndContactSessionsResponse },
      },
    },
    async (request) => {
      const ended = await endTeamContactSessions(deps, request.teamViewer, request.params.id, requestMetaOf(request));
      return { ended };
    },
  );
}
