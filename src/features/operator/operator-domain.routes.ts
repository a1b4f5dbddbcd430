import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { certificateContextOf } from '../domains/certificate.service.js';
import type { DomainContext } from '../domains/custom-domain.service.js';
import { createDnsResolver } from '../domains/dns-resolver.js';
import { presentOperatorDomain } from './operator-domain.presenter.js';
import {
  ZOperatorDomainList,
  ZOperatorDomainListQuery,
  ZOperatorDomainParams,
  ZOperatorRevokeRequest,
  ZOperatorUploadCertificateRequest,
} from './operator-domain.schemas.js';
import {
  checkForOperator,
  issueForOperator,
  listDomainsForOperator,
  renewForOperator,
  revokeForOperator,
  uploadForOperator,
} from './operator-domain.service.js';

const TAGS = ['operator'];

/** The console's custom domains (`/api/operator/domains…`): inside the operator surface's signed-in routes. */
export function registerOperatorDomainRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const certificates = certificateContextOf(config, deps);
  const dns: DomainContext = {
    db: deps.db,
    clock: deps.clock,
    domains: config.domains,
    resolver: createDnsResolver(config.domains.dnsServers),
    publicUrl: config.http.publicUrl,
    fromAddress: config.mail.fromAddress,
    wakeWorker: () => deps.wakeWorker(),
  };
  const actorOf = (request: FastifyRequest) => ({ operatorId: request.operatorIdentity.operator.id, meta: requestMetaOf(request) });

  typed.get(
    '/api/operator/domains',
    {
      schema: {
        tags: TAGS,
        summary: "Every organisation's custom domain with its state and certificate, by tab",
        querystring: ZOperatorDomainListQuery,
        response: { 200: ZOperatorDomainList },
      },
    },
    async (request) => {
      const list = await listDomainsForOperator(deps, request.query);
      const acme = config.domains.acme !== null;
      return {
        domains: list.rows.map((row) => presentOperatorDomain(row, acme)),
        counts: list.counts,
        issuer: acme ? 'acme' : 'proxy',
      } as const;
    },
  );

  typed.post(
    '/api/operator/domains/:domainId/issue',
    { schema: { tags: TAGS, summary: 'Approve a verified domain: issue its certificate', params: ZOperatorDomainParams } },
    async (request, reply) => {
      await issueForOperator(certificates, request.params.domainId, actorOf(request));
      return reply.code(204).send();
    },
  );

  typed.post(
    '/api/operator/domains/:domainId/renew',
    { schema: { tags: TAGS, summary: 'Renew the certificate now (ACME)', params: ZOperatorDomainParams } },
    async (request, reply) => {
      await renewForOperator(certificates, request.params.domainId, actorOf(request));
      return reply.code(204).send();
    },
  );

  typed.post(
    '/api/operator/domains/:domainId/revoke',
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke the certificate in service',
        params: ZOperatorDomainParams,
        body: ZOperatorRevokeRequest,
      },
    },
    async (request, reply) => {
      await revokeForOperator(certificates, request.params.domainId, request.body.reason, actorOf(request));
      return reply.code(204).send();
    },
  );

  typed.post(
    '/api/operator/domains/:domainId/certificate',
    {
      bodyLimit: 128 * 1024,
      schema: {
        tags: TAGS,
        summary: 'Upload a PEM certificate chain and key for the domain',
        params: ZOperatorDomainParams,
        body: ZOperatorUploadCertificateRequest,
      },
    },
    async (request, reply) => {
      await uploadForOperator(certificates, request.params.domainId, request.body, actorOf(request));
      return reply.code(204).send();
    },
  );

  typed.post(
    '/api/operator/domains/:domainId/check',
    { schema: { tags: TAGS, summary: 'Ask DNS about the domain now', params: ZOperatorDomainParams } },
    async (request, reply) => {
      await checkForOperator(dns, request.params.domainId);
      return reply.code(204).send();
    },
  );
}
