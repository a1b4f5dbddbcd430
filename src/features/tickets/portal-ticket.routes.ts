import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { presentPortalQuoteSummary } from '../quotes/portal-quote.presenter.js';
import { listViewerQuotes } from '../quotes/portal-quote.service.js';
import type { CustomerActionLimits } from './portal-ticket-limits.http.js';
import { presentMessage, presentTicketDetail, presentTicketSummary } from './portal-ticket.presenter.js';
import {
  ZCloseRequest,
  ZListTicketsQuery,
  ZListTicketsResponse,
  ZPortalTicketDetail,
  ZReplyRequest,
  ZReplyResponse,
  ZSubmitTicketRequest,
  ZTicketIdParams,
} from './portal-ticket.schemas.js';
import {
  closeAsViewer,
  getViewerTicketDetail,
  listViewerTickets,
  replyAsViewer,
  submitViewerTicket,
  type PortalViewer,
} from './portal-ticket.service.js';

const ZSlugParams = z.object({ slug: z.string() });
const TAGS = ['portal tickets'];

/**
 * The signed-in customer's tickets: list, detail, submit, reply, close (ARCHITECTURE.md §6).
 * Submitting, replying and closing count against the customer's limits first (429 over them).
 * Registered inside the portal surface's signed-in routes: `request.portalViewer` is set, no-store too.
 */
export function registerPortalTicketRoutes(
  portal: FastifyInstance,
  options: { deps: Deps; config: Config; customerLimits: CustomerActionLimits },
): void {
  const { deps, config, customerLimits } = options;
  const typed = portal.withTypeProvider<ZodTypeProvider>();

  const limits = { ticketQuotaBytes: config.files.ticketQuotaBytes };
  const detailOf = async (viewer: PortalViewer, id: string) => {
    const detail = await getViewerTicketDetail(deps, viewer, id);
    const quotes = await listViewerQuotes(deps, viewer, 'all', id);
    return presentTicketDetail(detail, viewer, quotes.map(presentPortalQuoteSummary));
  };

  typed.get(
    '/api/tickets',
    { schema: { tags: TAGS, params: ZSlugParams, querystring: ZListTicketsQuery, response: { 200: ZListTicketsResponse } } },
    async (request) => {
      const page = await listViewerTickets(deps, request.portalViewer, request.query);
      return { tickets: page.tickets.map(presentTicketSummary), nextCursor: page.nextCursor };
    },
  );

  typed.post(
    '/api/tickets',
    { schema: { tags: TAGS, params: ZSlugParams, body: ZSubmitTicketRequest, response: { 201: ZPortalTicketDetail } } },
    async (request, reply) => {
      const viewer = request.portalViewer;
      await customerLimits.check(request, viewer, 'submission');
      const ticket = await submitViewerTicket(deps, viewer, request.body, limits);
      deps.wakeWorker();
      return reply.code(201).send(await detailOf(viewer, ticket.id));
    },
  );

  typed.get(
    '/api/tickets/:id',
    { schema: { tags: TAGS, params: ZTicketIdParams, response: { 200: ZPortalTicketDetail } } },
    async (request) => detailOf(request.portalViewer, request.params.id),
  );

  typed.post(
    '/api/tickets/:id/messages',
    { schema: { tags: TAGS, params: ZTicketIdParams, body: ZReplyRequest, response: { 201: ZReplyResponse } } },
    async (request, reply) => {
      const viewer = request.portalViewer;
      await customerLimits.check(request, viewer, 'reply');
      const result = await replyAsViewer(deps, viewer, request.params.id, request.body, limits);
      deps.wakeWorker();
      const names = { contacts: new Map([[viewer.contactId, viewer.contactName]]), team: new Map<string, string>() };
      return reply
        .code(201)
        .send({ message: presentMessage(result.message, names, viewer, result.attachments), ticket: presentTicketSummary(result.ticket) });
    },
  );

  typed.post(
    '/api/tickets/:id/close',
    { schema: { tags: TAGS, params: ZTicketIdParams, body: ZCloseRequest, response: { 200: ZPortalTicketDetail } } },
    async (request) => {
      const viewer = request.portalViewer;
      await customerLimits.check(request, viewer, 'close');
      await closeAsViewer(deps, viewer, request.params.id, request.body.message);
      deps.wakeWorker();
      return detailOf(viewer, request.params.id);
    },
  );
}
