import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { presentQuarantined } from './team-inbound.presenter.js';
import { ZQuarantineDecision, ZQuarantineList, ZQuarantineParams } from './team-inbound.schemas.js';
import { discardQuarantined, listQuarantine, releaseQuarantined } from './team-inbound.service.js';

const TAGS = ['team inbound mail'];

/** The quarantine of inbound email: list, release as a reply, discard (any member; audited). */
export function registerTeamInboundRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const ctx = {
    ...deps,
    publicUrl: config.http.publicUrl,
    portalSubdomainBase: config.domains.subdomainBase,
    fromAddress: config.mail.fromAddress,
    limits: {
      maxFileBytes: config.files.maxFileBytes,
      tenantQuotaBytes: config.files.tenantQuotaBytes,
      ticketQuotaBytes: config.files.ticketQuotaBytes,
    },
  };
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/team/inbound/quarantine',
    {
      schema: {
        tags: TAGS,
        summary: 'Emails held for review: a sender that did not match or failed DMARC, or too many messages to one ticket',
        response: { 200: ZQuarantineList },
      },
    },
    async (request) => ({ messages: (await listQuarantine(ctx, request.teamViewer)).map(presentQuarantined) }),
  );
  typed.post(
    '/api/team/inbound/quarantine/:id/release',
    {
      schema: {
        tags: TAGS,
        summary: 'Posts a held email to its ticket as the reply of the person its reply address was sent to',
        params: ZQuarantineParams,
        response: { 200: ZQuarantineDecision },
      },
    },
    async (request) => {
      const { postedMessageId } = await releaseQuarantined(ctx, request.teamViewer, request.params.id, requestMetaOf(request));
      deps.wakeWorker();
      return { status: 'released' as const, postedMessageId };
    },
  );
  typed.post(
    '/api/team/inbound/quarantine/:id/discard',
    {
      schema: {
        tags: TAGS,
        summary: 'Discards a held email: it is never posted',
        params: ZQuarantineParams,
        response: { 200: ZQuarantineDecision },
      },
    },
    async (request) => {
      await discardQuarantined(ctx, request.teamViewer, request.params.id, requestMetaOf(request));
      return { status: 'discarded' as const, postedMessageId: null };
    },
  );
}
