import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { teamViewerOf } from '../sessions/team-session.http.js';
import { requireTeamRole } from '../team/team-viewer.js';
import { ZAuditPage, ZListAuditQuery } from './team-audit.schemas.js';
import { listTeamAuditLog } from './team-audit.service.js';

/** The organisation's audit log (`GET /api/team/audit`); owners only. */
export function registerTeamAuditRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const viewerOf = (request: FastifyRequest) => teamViewerOf(request, deps, config);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/team/audit',
    {
      onRequest: async (_request, reply) => {
        reply.header('cache-control', 'no-store');
      },
      // 401 without a session and 403 below owner before the query is even validated.
      preValidation: async (request) => {
        requireTeamRole(await viewerOf(request), 'owner');
      },
      schema: {
        tags: ['team audit'],
        summary: "The organisation's audit log, newest first, keyset-paginated (owners only)",
        querystring: ZListAuditQuery,
        response: { 200: ZAuditPage },
      },
    },
    async (request) => listTeamAuditLog(deps, await viewerOf(request), request.query),
  );
}
