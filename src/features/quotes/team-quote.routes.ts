import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { requireTeamRole } from '../team/team-viewer.js';
import { presentTeamQuoteDetail, presentTeamQuoteRow } from './team-quote.presenter.js';
import {
  ZCreateQuoteRequest,
  ZQuoteSettings,
  ZSendQuoteRequest,
  ZTeamQuoteDetail,
  ZTeamQuoteIdParams,
  ZTeamQuoteList,
  ZTeamQuoteListQuery,
  ZUpdateQuoteRequest,
} from './team-quote.schemas.js';
import { getQuoteSettings, getTeamQuoteView, listTeamQuotes, renderTeamQuotePdf, updateQuoteSettings } from './team-quote.service.js';
import { changeTeamQuote, createTeamQuote, duplicateTeamQuote, sendTeamQuote, withdrawTeamQuote } from './team-quote-write.service.js';

const TAGS = ['team quotes'];
const ZEmptyBody = z.strictObject({}).optional();
const ZPdfQuery = z.strictObject({ version: z.coerce.number().int().min(1).max(10_000).optional() });

/** A quote's PDF as a download; never cached (it carries a signature once accepted). */
export function sendQuotePdf(reply: FastifyReply, file: { pdf: Buffer; fileName: string }): FastifyReply {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(file.pdf);
}

/**
 * Quotes in the team app (`/api/team/quotes…`, `/api/team/quote-settings`); any role works quotes,
 * owners and admins change the default terms. Registered inside the team surface's signed-in
 * routes: `request.teamViewer` is set, no-store too.
 */
export function registerTeamQuoteRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const mailDeps = {
    ...deps,
    publicUrl: config.http.publicUrl,
    portalSubdomainBase: config.domains.subdomainBase,
    fromAddress: config.mail.fromAddress,
  };
  const detail = { 200: ZTeamQuoteDetail };

  typed.get(
    '/api/team/quotes',
    {
      schema: {
        tags: TAGS,
        summary:
          "The organisation's quotes, newest change first: status filter (all, open or one status), client or ticket, keyset pages, counts",
        querystring: ZTeamQuoteListQuery,
        response: { 200: ZTeamQuoteList },
      },
    },
    async (request) => {
      const page = await listTeamQuotes(deps, request.teamViewer, request.query);
      return { quotes: page.rows.map(presentTeamQuoteRow), nextCursor: page.nextCursor, counts: page.counts };
    },
  );

  typed.post(
    '/api/team/quotes',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a draft quote for a client, optionally on one of its tickets',
        body: ZCreateQuoteRequest,
        response: { 201: ZTeamQuoteDetail },
      },
    },
    async (request, reply) => reply.code(201).send(presentTeamQuoteDetail(await createTeamQuote(deps, request.teamViewer, request.body))),
  );

  typed.get(
    '/api/team/quotes/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'A quote: its current version, versions, recipients, acceptance and history',
        params: ZTeamQuoteIdParams,
        response: detail,
      },
    },
    async (request) => presentTeamQuoteDetail(await getTeamQuoteView(deps, request.teamViewer, request.params.id)),
  );

  typed.patch(
    '/api/team/quotes/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a draft in place, or revise a sent quote: a new version that supersedes the current one and is emailed at once',
        params: ZTeamQuoteIdParams,
        body: ZUpdateQuoteRequest,
        response: detail,
      },
    },
    async (request) => {
      const view = await changeTeamQuote(deps, request.teamViewer, request.params.id, request.body);
      deps.wakeWorker();
      return presentTeamQuoteDetail(view);
    },
  );

  typed.post(
    '/api/team/quotes/:id/send',
    {
      schema: {
        tags: TAGS,
        summary: "Send a draft: email the chosen contacts (or the quote's, or all) a deep link to it",
        params: ZTeamQuoteIdParams,
        body: ZSendQuoteRequest,
        response: detail,
      },
    },
    async (request) => {
      const view = await sendTeamQuote(deps, request.teamViewer, request.params.id, request.body);
      deps.wakeWorker();
      return presentTeamQuoteDetail(view);
    },
  );

  typed.post(
    '/api/team/quotes/:id/withdraw',
    {
      schema: {
        tags: TAGS,
        summary: 'Withdraw a sent quote: it can no longer be accepted',
        params: ZTeamQuoteIdParams,
        body: ZEmptyBody,
        response: detail,
      },
    },
    async (request) => presentTeamQuoteDetail(await withdrawTeamQuote(deps, request.teamViewer, request.params.id)),
  );

  typed.post(
    '/api/team/quotes/:id/duplicate',
    {
      schema: {
        tags: TAGS,
        summary: 'A new draft with the same lines, terms and recipients',
        params: ZTeamQuoteIdParams,
        body: ZEmptyBody,
        response: { 201: ZTeamQuoteDetail },
      },
    },
    async (request, reply) =>
      reply.code(201).send(presentTeamQuoteDetail(await duplicateTeamQuote(deps, request.teamViewer, request.params.id))),
  );

  typed.get(
    '/api/team/quotes/:id/pdf',
    {
      schema: {
        tags: TAGS,
        summary: 'A version of the quote as a PDF (the current one by default), signed once accepted',
        params: ZTeamQuoteIdParams,
        querystring: ZPdfQuery,
      },
    },
    async (request, reply) =>
      sendQuotePdf(reply, await renderTeamQuotePdf(mailDeps, request.teamViewer, request.params.id, request.query.version)),
  );

  typed.get(
    '/api/team/quote-settings',
    { schema: { tags: TAGS, summary: 'The default terms new quotes start with', response: { 200: ZQuoteSettings } } },
    async (request) => getQuoteSettings(deps, request.teamViewer),
  );

  typed.put(
    '/api/team/quote-settings',
    {
      // 403 for agents before anything is validated, like the other settings.
      preValidation: async (request) => requireTeamRole(request.teamViewer, 'admin'),
      schema: {
        tags: TAGS,
        summary: 'Change the default terms of new quotes (owner or admin)',
        body: ZQuoteSettings,
        response: { 200: ZQuoteSettings },
      },
    },
    async (request) => updateQuoteSettings(deps, request.teamViewer, request.body, requestMetaOf(request)),
  );
}
