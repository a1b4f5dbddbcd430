import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { presentPortalQuoteDetail, presentPortalQuoteSummary } from './portal-quote.presenter.js';
import {
  ZAcceptQuoteRequest,
  ZDeclineQuoteRequest,
  ZPortalQuoteDetail,
  ZPortalQuoteList,
  ZPortalQuoteListQuery,
  ZQuoteIdParams,
  ZRequestQuoteChangesRequest,
  ZRequestQuoteChangesResponse,
} from './portal-quote.schemas.js';
import {
  acceptViewerQuote,
  declineViewerQuote,
  getViewerQuoteDetail,
  listViewerQuotes,
  renderViewerQuotePdf,
  requestViewerQuoteChanges,
} from './portal-quote.service.js';
import { sendQuotePdf } from './team-quote.routes.js';

const ZSlugParams = z.object({ slug: z.string() });
const TAGS = ['portal quotes'];
/** Accepting decodes an image and takes a lock: a handful a minute is all a person needs. */
const DECISION_RATE = { rateLimit: { max: 60, timeWindow: 60_000 } };

/**
 * The signed-in customer's quotes: list, read, accept, decline, ask for changes, download.
 * Registered inside the portal surface's signed-in routes: `request.portalViewer` is set, no-store too.
 */
export function registerPortalQuoteRoutes(portal: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = portal.withTypeProvider<ZodTypeProvider>();
  const ctx = {
    ...deps,
    publicUrl: config.http.publicUrl,
    portalSubdomainBase: config.domains.subdomainBase,
    fromAddress: config.mail.fromAddress,
  };
  const org = (viewer: { tenant: { locale: string; timeZone: string } }) => ({
    locale: viewer.tenant.locale,
    timeZone: viewer.tenant.timeZone,
  });

  typed.get(
    '/api/quotes',
    {
      schema: {
        tags: TAGS,
        summary: 'Your quotes: waiting for you, accepted, declined, expired or all',
        params: ZSlugParams,
        querystring: ZPortalQuoteListQuery,
        response: { 200: ZPortalQuoteList },
      },
    },
    async (request) => ({
      quotes: (await listViewerQuotes(deps, request.portalViewer, request.query.status)).map(presentPortalQuoteSummary),
    }),
  );

  typed.get(
    '/api/quotes/:id',
    { schema: { tags: TAGS, summary: 'A quote, as its current version', params: ZQuoteIdParams, response: { 200: ZPortalQuoteDetail } } },
    async (request) => {
      const view = await getViewerQuoteDetail(ctx, request.portalViewer, request.params.id);
      deps.wakeWorker();
      return presentPortalQuoteDetail(view, org(request.portalViewer));
    },
  );

  typed.post(
    '/api/quotes/:id/accept',
    {
      config: DECISION_RATE,
      schema: {
        tags: TAGS,
        summary: 'Accept the version you read, signed when the quote asks for it',
        params: ZQuoteIdParams,
        body: ZAcceptQuoteRequest,
        response: { 200: ZPortalQuoteDetail },
      },
    },
    async (request) => {
      const view = await acceptViewerQuote(ctx, request.portalViewer, request.params.id, request.body, requestMetaOf(request));
      deps.wakeWorker();
      return presentPortalQuoteDetail(view, org(request.portalViewer));
    },
  );

  typed.post(
    '/api/quotes/:id/decline',
    {
      config: DECISION_RATE,
      schema: {
        tags: TAGS,
        summary: 'Decline, with an optional reason',
        params: ZQuoteIdParams,
        body: ZDeclineQuoteRequest,
        response: { 200: ZPortalQuoteDetail },
      },
    },
    async (request) => {
      const view = await declineViewerQuote(ctx, request.portalViewer, request.params.id, request.body.reason);
      deps.wakeWorker();
      return presentPortalQuoteDetail(view, org(request.portalViewer));
    },
  );

  typed.post(
    '/api/quotes/:id/request-changes',
    {
      config: DECISION_RATE,
      schema: {
        tags: TAGS,
        summary: "Ask for changes: your message goes on the quote's ticket (a new one if it has none)",
        params: ZQuoteIdParams,
        body: ZRequestQuoteChangesRequest,
        response: { 200: ZRequestQuoteChangesResponse },
      },
    },
    async (request) => {
      const view = await requestViewerQuoteChanges(ctx, request.portalViewer, request.params.id, request.body.message);
      deps.wakeWorker();
      return { ...presentPortalQuoteDetail(view, org(request.portalViewer)), ticketId: view.ticketId };
    },
  );

  typed.get(
    '/api/quotes/:id/pdf',
    { schema: { tags: TAGS, summary: 'The quote as a PDF, signed once accepted', params: ZQuoteIdParams } },
    async (request, reply) => sendQuotePdf(reply, await renderViewerQuotePdf(ctx, request.portalViewer, request.params.id)),
  );
}
