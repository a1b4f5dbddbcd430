import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Config, TrustProxy } from './config/config.js';
import type { Deps } from './deps.js';
import { registerPortalFileRoutes } from './features/attachments/portal-file.routes.js';
import { registerTeamFileRoutes } from './features/attachments/team-file.routes.js';
import { registerAcmeChallengeRoutes } from './features/domains/acme-challenge.routes.js';
import { registerTeamAuditRoutes } from './features/audit/team-audit.routes.js';
import { registerTeamUndeliveredMailRoutes } from './features/notifications/team-undelivered-mail.routes.js';
import { registerTeamInboundRoutes } from './features/inbound-mail/team-inbound.routes.js';
import { registerPortalAccountRoutes, registerPortalAuthRoutes } from './features/auth/portal-auth.routes.js';
import { registerTeamAccountRoutes, registerTeamAuthRoutes } from './features/auth/team-auth.routes.js';
import { registerInboundWebhookRoutes } from './features/inbound-mail/inbound-webhook.routes.js';
import { registerTeamClientRoutes } from './features/clients/team-client.routes.js';
import { ONE_CLICK_UNSUBSCRIBE_ROUTE, registerPortalUnsubscribeRoutes } from './features/notifications/portal-unsubscribe.routes.js';
import { registerPortalQuoteRoutes } from './features/quotes/portal-quote.routes.js';
import { registerTeamQuoteRoutes } from './features/quotes/team-quote.routes.js';
import { registerPortalShellRoutes } from './features/shells/portal-shell.routes.js';
import { registerTeamShellRoutes } from './features/shells/team-shell.routes.js';
import { registerOperatorShellRoutes } from './features/shells/operator-shell.routes.js';
import { registerTeamMemberRoutes } from './features/team/team.routes.js';
import { registerTeamSettingsRoutes } from './features/tenants/team-settings.routes.js';
import { registerTeamCustomDomainRoutes } from './features/domains/team-custom-domain.routes.js';
import { createCustomerActionLimits } from './features/tickets/portal-ticket-limits.http.js';
import { registerPortalTicketRoutes } from './features/tickets/portal-ticket.routes.js';
import { registerTeamTicketRoutes } from './features/tickets/team-ticket.routes.js';
import { registerInternalTlsAskRoutes } from './features/domains/internal-tls-ask.routes.js';
import { HostRouter, portalHostOriginsOf, registerHostRouting } from './http/host-routing.js';
import { portalFileViewerOf, portalSurface } from './http/portal-surface.js';
import { registerRateLimit } from './http/rate-limit.js';
import { teamSurface } from './http/team-surface.js';
import { operatorSurface } from './http/operator-surface.js';
import { registerOperatorAuthRoutes, registerOperatorEnrolmentRoutes } from './features/operator/operator-auth.routes.js';
import { registerOperatorTenantRoutes } from './features/operator/operator-tenant.routes.js';
import { registerOperatorDomainRoutes } from './features/operator/operator-domain.routes.js';
import { trackInFlightHandlers } from './platform/http/in-flight.js';
import { registerMultipart } from './platform/http/multipart.js';
import { registerPublicApiDocs, registerTeamApiDocs } from './platform/http/api-docs.routes.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import { registerInputGuard } from './platform/http/input-guard.js';
import { registerHealthRoutes } from './platform/http/health.routes.js';
import { registerDevMailboxRoutes } from './platform/mail/dev-mailbox.routes.js';
import { registerSecurity } from './platform/http/security.js';
import { registerWebAssets } from './platform/http/web-assets.js';

/** Log redaction (SECURITY.md §8): secrets never reach the log, whatever logs a request. */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.code',
  // Uploaded certificates' private keys (and the chain, for good measure) never reach the log.
  '*.keyPem',
  '*.certPem',
];

/**
 * Builds the HTTP application: platform plugins first, then the portal surface and the team
 * surface with each feature's routes, registered explicitly so the wiring reads top to bottom.
 * Listening is the caller's business (server.ts).
 */
export async function buildApp(config: Config, deps: Deps): Promise<FastifyInstance> {
  // Which site the request's Host is (platform, one tenant's portal host, unknown), decided before
  // routing: see http/host-routing.ts. Its errors are logged through the app once it exists.
  let logError: (error: unknown) => void = () => undefined;
  const hostRouter = new HostRouter(deps, config.domains, (error) => logError(error));
  const app = Fastify({
    rewriteUrl: (request) => hostRouter.rewrite(request),
    logger: { level: config.log.level, redact: { paths: REDACT, censor: '[redacted]' } },
    // Request ids are ours; a client-supplied X-Request-Id is never trusted or echoed.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: toTrustProxy(config.http.trustProxy),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    bodyLimit: 1024 * 1024,
    // No request (an upload included) takes longer than this to arrive; the sweep relies on it.
    requestTimeout: config.http.requestTimeoutMs,
    return503OnClosing: true,
  });
  logError = (error) => app.log.error({ err: error }, 'custom domains could not be reloaded');
  app.decorate('hostRouter', hostRouter);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Before any route: a shutdown waits for handlers still cleaning up (server.ts).
  trackInFlightHandlers(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Graceful shutdown: responses that finish after close() began ask the client to drop the
  // keep-alive connection, so the server can close as soon as in-flight requests are done. Before
  // the listener closes (which would reset the idle keep-alive connections clients hold), a short
  // drain lets a request that arrives on one get Fastify's 503 with `Connection: close` instead.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    if (app.server.listening) await drainConnections(app.server, SHUTDOWN_DRAIN_MS);
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  // Cookies are parsed before the cross-site check, so a refused write can still be audited with
  // the session its browser sent (http/refusal-audit.ts).
  await app.register(cookie);
  await registerSecurity(app, {
    publicOrigin: config.http.publicOrigin,
    hstsIncludeSubDomains: config.http.hstsIncludeSubDomains,
    // RFC 8058: mail providers POST the one-click unsubscribe from their servers (no Origin, no
    // fetch metadata, no cookie); the token in its URL is the only authority. No other route.
    crossSiteWriteRoutes: [ONE_CLICK_UNSUBSCRIBE_ROUTE],
    // A portal host (custom domain, per-organisation subdomain) accepts writes from its own origin only.
    hostOrigins: (request) => portalHostOriginsOf(request, config.http.publicOrigin),
  });
  registerErrorHandling(app);
  registerInputGuard(app);
  await registerMultipart(app);
  await registerRateLimit(app, deps.redis);
  const customerLimits = createCustomerActionLimits(app, config.customerLimits);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Servelo API', version: '1' },
    },
    transform: jsonSchemaTransform,
  });
  registerPublicApiDocs(app, { development: config.env === 'development' });

  registerHealthRoutes(app, deps.db, { dataDir: config.dataDir, minFreeBytes: config.minFreeDiskBytes });
  registerHostRouting(app, hostRouter);
  // Caddy's on-demand TLS asks here before obtaining a certificate (loopback / INTERNAL_ADDRESSES only).
  registerInternalTlsAskRoutes(app, { deps, config });
  // The dev mailbox exists only while it is the mail transport (never beside a real SMTP relay).
  if (deps.mailer.transport === 'dev-mailbox') registerDevMailboxRoutes(app, deps.db);
  const web = await registerWebAssets(app, config);
  // A mail provider's inbound webhook: signed server-to-server requests, outside both surfaces.
  registerInboundWebhookRoutes(app, { deps, config });
  // ACME HTTP-01 answers, on the challenge's own host only (any claimed host may ask).
  registerAcmeChallengeRoutes(app, { deps });

  // The customer portal: the surface resolves the tenant from the slug, and the customer on the
  // signed-in routes (401 before validation, no-store).
  await app.register(portalSurface, {
    prefix: '/portal/:slug',
    ctx: deps,
    config,
    publicRoutes: (portal) => {
      registerPortalAuthRoutes(portal, { deps, config });
      registerPortalUnsubscribeRoutes(portal, { deps });
      registerPortalShellRoutes(portal, { deps, web });
    },
    signedInRoutes: (portal) => {
      registerPortalAccountRoutes(portal, { deps, config });
      registerPortalTicketRoutes(portal, { deps, config, customerLimits });
      registerPortalQuoteRoutes(portal, { deps, config });
      registerPortalFileRoutes(portal, {
        deps,
        config,
        viewerOf: (request) => portalFileViewerOf(request, deps),
        checkUploadLimit: (request) => customerLimits.checkUpload(request, request.portalViewer),
      });
    },
  });

  // The team app's API (`/api/team/…`): the surface resolves the member on the signed-in routes
  // (401 before validation) and marks every answer no-store.
  await app.register(teamSurface, {
    ctx: deps,
    config,
    publicRoutes: (team) => {
      registerTeamAuthRoutes(team, { deps, config });
    },
    signedInRoutes: (team) => {
      registerTeamAccountRoutes(team, { deps, config });
      registerTeamMemberRoutes(team, { deps });
      registerTeamClientRoutes(team, { deps, config });
      registerTeamSettingsRoutes(team, { deps, config });
      registerTeamCustomDomainRoutes(team, { deps, config });
      registerTeamAuditRoutes(team, { deps });
      registerTeamUndeliveredMailRoutes(team, { deps });
      registerTeamInboundRoutes(team, { deps, config });
      registerTeamTicketRoutes(team, { deps, config });
      registerTeamQuoteRoutes(team, { deps, config });
      registerTeamFileRoutes(team, { deps, config, viewerOf: async (request) => request.teamViewer });
      registerTeamApiDocs(team);
    },
  });

  // The operator console's API (`/api/operator/…`, platform host only): its own cookie and
  // sessions; TOTP is required, so a password-only session reaches the enrolment routes alone.
  await app.register(operatorSurface, {
    deps,
    config,
    publicRoutes: (operator) => registerOperatorAuthRoutes(operator, { deps, config }),
    enrolmentRoutes: (operator) => registerOperatorEnrolmentRoutes(operator, { deps, config }),
    signedInRoutes: (operator) => {
      registerOperatorTenantRoutes(operator, { deps, config });
      registerOperatorDomainRoutes(operator, { deps, config });
    },
  });

  // The team app's HTML shell (`/app/…`): outside the API surface, it serves signed-out visitors too.
  registerTeamShellRoutes(app, { deps, config, web });
  // The operator console's HTML shell (`/operator/…`).
  registerOperatorShellRoutes(app, { web });

  return app;
}

/** How long a closing server keeps its listener so clients on keep-alive connections learn to reconnect. */
const SHUTDOWN_DRAIN_MS = 1_000;

/** Waits until no connection is open, or `ms` passed. */
async function drainConnections(server: Server, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise<number>((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A hop count becomes "trust the nearest N proxies"; a list names them; never `true` (SECURITY.md §4). */
function toTrustProxy(setting: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (setting === false) return false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return [...setting];
}
