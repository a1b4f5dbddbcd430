import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { requireTeamRole } from '../team/team-viewer.js';
import { presentCustomDomainSettings } from './custom-domain.presenter.js';
import {
  checkCustomDomainNow,
  claimCustomDomain,
  type DomainContext,
  getCustomDomain,
  removeCustomDomain,
} from './custom-domain.service.js';
import { createDnsResolver } from './dns-resolver.js';
import { ZClaimCustomDomainRequest, ZCustomDomainSettings } from './team-custom-domain.schemas.js';

const TAGS = ['team settings'];
const PATH = '/api/team/settings/custom-domain';

/**
 * The organisation's custom domain (`/api/team/settings/custom-domain`); owners and admins only.
 * Registered inside the team surface's signed-in routes: `request.teamViewer` is set, no-store too.
 */
export function registerTeamCustomDomainRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const ctx: DomainContext = {
    db: deps.db,
    clock: deps.clock,
    domains: config.domains,
    resolver: createDnsResolver(config.domains.dnsServers),
    publicUrl: config.http.publicUrl,
    fromAddress: config.mail.fromAddress,
    wakeWorker: () => deps.wakeWorker(),
  };
  const present = (view: Awaited<ReturnType<typeof getCustomDomain>>) =>
    presentCustomDomainSettings(view, config.domains, deps.clock.now());
  // 403 for agents before anything is validated or read, like the other settings routes.
  const guard = {
    preValidation: async (request: FastifyRequest) => {
      requireTeamRole(request.teamViewer, 'admin');
    },
  };

  typed.get(
    PATH,
    {
      ...guard,
      schema: {
        tags: TAGS,
        summary: 'The custom domain (or null), the DNS records to add, its state in words, what DNS answered and the certificate',
        response: { 200: ZCustomDomainSettings },
      },
    },
    async (request) => present(await getCustomDomain(deps, request.teamViewer)),
  );

  typed.put(
    PATH,
    {
      ...guard,
      schema: {
        tags: TAGS,
        summary: 'Claim a custom domain, or replace the current one (a fresh TXT token; waits for DNS)',
        body: ZClaimCustomDomainRequest,
        response: { 200: ZCustomDomainSettings },
      },
    },
    async (request) => present(await claimCustomDomain(ctx, request.teamViewer, request.body.host, requestMetaOf(request))),
  );

  typed.post(
    `${PATH}/check`,
    {
      ...guard,
      schema: {
        tags: TAGS,
        summary: 'Check DNS now (once per 10 seconds; 429 with Retry-After before that)',
        response: { 200: ZCustomDomainSettings },
      },
    },
    async (request) => present(await checkCustomDomainNow(ctx, request.teamViewer)),
  );

  typed.delete(
    PATH,
    {
      ...guard,
      schema: { tags: TAGS, summary: 'Remove the custom domain (and its certificates)', response: { 200: ZCustomDomainSettings } },
    },
    async (request) => {
      await removeCustomDomain(deps, request.teamViewer, requestMetaOf(request));
      return present(null);
    },
  );
}
