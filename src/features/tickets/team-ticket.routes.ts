import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { listTeamTickets } from './inbox.service.js';
import { presentTeamMessage, presentTeamTicketDetail, presentTeamTicketRow } from './team-ticket.presenter.js';
import {
  ZCreateTeamTicketRequest,
  ZTeamMessageRequest,
  ZTeamMessageResponse,
  ZTeamTicketDetail,
  ZTeamTicketIdParams,
  ZTeamTicketList,
  ZTeamTicketListQuery,
  ZUpdateTeamTicketRequest,
} from './team-ticket.schemas.js';
import { changeTeamTicket, getTeamTicketDetail } from './team-ticket.service.js';
import { addTeamMessage, createTeamTicket } from './team-ticket-write.service.js';

const TAGS = ['team tickets'];

/**
 * The team inbox and ticket page (`/api/team/tickets…`); any role — ticket work is agent work.
 * Registered inside the team surface's signed-in routes: `request.teamViewer` is set, no-store too.
 */
export function registerTeamTicketRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const limits = { ticketQuotaBytes: config.files.ticketQuotaBytes };
  const replyContext = {
    db: deps.db,
    clock: deps.clock,
    publicUrl: config.http.publicUrl,
    portalSubdomainBase: config.domains.subdomainBase,
    fromAddress: config.mail.fromAddress,
  };
  const detailOf = async (viewer: TeamViewer, id: string) => presentTeamTicketDetail(await getTeamTicketDetail(deps, viewer, id));

  typed.get(
    '/api/team/tickets',
    {
      schema: {
        tags: TAGS,
        summary: "The organisation's tickets: filters, search, four sorts, keyset pages, counts per status on the first page",
        querystring: ZTeamTicketListQuery,
        response: { 200: ZTeamTicketList },
      },
    },
    async (request) => {
      const page = await listTeamTickets(deps, request.teamViewer, request.query);
      return { tickets: page.tickets.map(presentTeamTicketRow), nextCursor: page.nextCursor, counts: page.counts };
    },
  );

  typed.post(
    '/api/team/tickets',
    {
      schema: {
        tags: TAGS,
        summary: "Open a ticket on behalf of a client's contact",
        body: ZCreateTeamTicketRequest,
        response: { 201: ZTeamTicketDetail },
      },
    },
    async (request, reply) => {
      const viewer = request.teamViewer;
      const ticket = await createTeamTicket(deps, viewer, request.body, limits);
      return reply.code(201).send(await detailOf(viewer, ticket.id));
    },
  );

  typed.get(
    '/api/team/tickets/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'A ticket with its whole conversation (internal notes included), files and history; marks it read',
        params: ZTeamTicketIdParams,
        response: { 200: ZTeamTicketDetail },
      },
    },
    async (request) => detailOf(request.teamViewer, request.params.id),
  );

  typed.patch(
    '/api/team/tickets/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change status, priority, assignee, scheduled time or charge; each change is recorded in the history',
        params: ZTeamTicketIdParams,
        body: ZUpdateTeamTicketRequest,
        response: { 200: ZTeamTicketDetail },
      },
    },
    async (request) => {
      const viewer = request.teamViewer;
      await changeTeamTicket(deps, viewer, request.params.id, request.body);
      return detailOf(viewer, request.params.id);
    },
  );

  typed.post(
    '/api/team/tickets/:id/messages',
    {
      schema: {
        tags: TAGS,
        summary: 'Reply to the customer (public) or add an internal note',
        params: ZTeamTicketIdParams,
        body: ZTeamMessageRequest,
        response: { 201: ZTeamMessageResponse },
      },
    },
    async (request, reply) => {
      const viewer = request.teamViewer;
      const result = await addTeamMessage(replyContext, viewer, request.params.id, request.body, limits);
      deps.wakeWorker();
      const people = { contacts: new Map(), team: new Map([[viewer.memberId, { name: viewer.name }]]) };
      return reply
        .code(201)
        .send({ message: presentTeamMessage(result.message, people, result.attachments), ticket: presentTeamTicketRow(result.ticket) });
    },
  );
}
