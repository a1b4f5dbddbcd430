import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import { ZRetryUndeliveredMail, ZRetryUndeliveredMailResult, ZUndeliveredMailList } from './team-undelivered-mail.schemas.js';
import { listUndeliveredMail, retryUndeliveredMail } from './team-undelivered-mail.service.js';

/** Email the outbox gave up on, for the organisation's owners and admins: see it and send it again. */
export function registerTeamUndeliveredMailRoutes(app: FastifyInstance, options: { deps: Deps }): void {
  const { deps } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/team/mail/undelivered',
    {
      schema: {
        tags: ['team notifications'],
        summary: "The organisation's emails that could not be delivered after about two days of retries (owners and admins)",
        response: { 200: ZUndeliveredMailList },
      },
    },
    async (request) => ({ mails: await listUndeliveredMail(deps, request.teamViewer) }),
  );
  typed.post(
    '/api/team/mail/undelivered/retry',
    {
      schema: {
        tags: ['team notifications'],
        summary: 'Sends undelivered emails again, all or the ones named (owners and admins)',
        body: ZRetryUndeliveredMail,
        response: { 200: ZRetryUndeliveredMailResult },
      },
    },
    async (request) => {
      const requeued = await retryUndeliveredMail(deps, request.teamViewer, request.body.ids);
      if (requeued > 0) deps.wakeWorker();
      return { requeued };
    },
  );
}
