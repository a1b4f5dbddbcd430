import { QUOTE_EXPIRE_JOB } from './features/quotes/quote.service.js';
import { DOMAIN_CHECK_JOB } from './features/domains/custom-domain.service.js';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config/config.js';
import { closeDeps, createDeps, type Deps } from './deps.js';
import { seedDemoTenant } from './features/demo/demo-seed.service.js';
import { describeDemoCredentials, writeDemoCredentials } from './features/demo/demo-credentials.js';
import { countTenants } from './features/tenants/tenant.service.js';
import { SWEEP_FILES_JOB } from './features/attachments/file-jobs.js';
import {
  type InboundSmtpListener,
  type InboundSmtpLogger,
  startInboundSmtpListener,
} from './features/inbound-mail/inbound-smtp.listener.js';
import { certificateKeyFrom } from './features/domains/certificate-crypto.js';
import { RENEW_CERTIFICATES_JOB } from './features/domains/certificate-renewal.service.js';
import { type HttpsListener, startHttpsListener } from './features/domains/https-listener.http.js';
import { buildJobHandlers } from './job-handlers.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { OutboxWorker } from './platform/jobs/worker.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly deps: Deps;
  readonly url: string;
  /** The inbound SMTP listener's port, null when this process does not run it. */
  readonly smtpPort: number | null;
  /** Servelo's own HTTPS listener's port (HTTPS_PORT), null when it is off. */
  readonly httpsPort: number | null;
  /** Stops accepting connections, lets in-flight requests and jobs finish, then closes the database. */
  close(): Promise<void>;
  /**
   * Cuts every connection, so requests still under way end now (an upload is cleaned up as if
   * its client had gone away) and `close()` can finish; returns how many requests were cut off.
   */
  cutOff(): number;
}

/** loadConfig → createDeps → migrate → (seed) → buildApp → listen; the in-process worker by default. */
export async function startServer(config: Config, say: (line: string) => void = console.log): Promise<RunningServer> {
  const deps = createDeps(config);
  await migrateToLatest(deps.db);
  if (config.demo.seedOnStart && (await countTenants(deps.db)) === 0) {
    // Team passwords for the demo are generated in development only (never in production, nor in tests).
    const { tenant, teamCredentials } = await seedDemoTenant(deps, { teamPasswords: config.env === 'development' });
    say(`Seeded the demo tenant "${tenant.name}".`);
    if (teamCredentials.length > 0) {
      const file = writeDemoCredentials(config.dataDir, teamCredentials);
      for (const line of describeDemoCredentials(teamCredentials, file, `${config.http.publicUrl}/app`)) say(line);
    }
  }

  const app = await buildApp(config, deps);
  const worker = config.worker.inProcess ? createWorker(config, deps, app) : undefined;
  deps.wakeWorker = () => worker?.wake();

  await app.listen({ host: config.http.host, port: config.http.port });
  const https = config.domains.https ? await startHttps(config, deps, app) : undefined;
  const smtp = config.inbound.smtp?.runIn === 'start' ? await startInboundSmtp(config, deps, app.log) : undefined;
  worker?.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const url = `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    app,
    deps,
    url,
    close() {
      closing ??= (async () => {
        // Mail first: open SMTP sessions finish (or are cut at its close timeout) while the database is still there.
        await smtp?.close();
        await https?.close();
        await app.close();
        // A cut connection ends before its handler has cleaned up; the database must outlive that.
        await app.inFlightHandlers.settled();
        await worker?.stop();
        await closeDeps(deps);
      })();
      return closing;
    },
    smtpPort: smtp?.port ?? null,
    httpsPort: https?.port ?? null,
    cutOff() {
      const cut = app.inFlightHandlers.count();
      app.server.closeAllConnections();
      https?.cutOff();
      return cut;
    },
  };
}

/** Starts the inbound SMTP listener as configured (the caller checked that this command runs it). */
export async function startInboundSmtp(config: Config, deps: Deps, logger: InboundSmtpLogger): Promise<InboundSmtpListener | undefined> {
  const smtp = config.inbound.smtp;
  if (!smtp) return undefined;
  return startInboundSmtpListener(
    { db: deps.db, clock: deps.clock, files: deps.files, inboundDomain: config.inboundDomain },
    { host: smtp.host, port: smtp.port, maxBytes: config.inbound.maxBytes, tls: smtp.tls, logger, wakeWorker: () => deps.wakeWorker() },
  );
}

/** Servelo's own HTTPS listener (HTTPS_PORT) beside the HTTP one, serving the same app with a certificate per SNI name. */
export function startHttps(config: Config, deps: Deps, app: FastifyInstance): Promise<HttpsListener> | undefined {
  const https = config.domains.https;
  if (!https) return undefined;
  return startHttpsListener(
    app,
    {
      db: deps.db,
      clock: deps.clock,
      certificateKey: certificateKeyFrom({ keySecret: config.domains.keySecret, appSecret: deps.appSecret }),
      lapseGraceMs: config.domains.lapseGraceMs,
    },
    https,
  );
}

export function createWorker(config: Config, deps: Deps, app: FastifyInstance | undefined): OutboxWorker {
  return new OutboxWorker({
    db: deps.db,
    clock: deps.clock,
    handlers: buildJobHandlers(config, deps, app?.log ?? { info: (_obj, msg) => console.log(msg) }),
    logger: app?.log ?? console,
    pollIntervalMs: config.worker.pollIntervalMs,
    maxAttempts: config.worker.maxAttempts,
    concurrency: config.worker.concurrency,
    recurring: [
      { kind: SWEEP_FILES_JOB, everyMs: 10 * 60_000, atStart: true },
      // Expiry is applied on every read too; the sweep makes lists and counts right for quotes nobody opens.
      { kind: QUOTE_EXPIRE_JOB, everyMs: 15 * 60_000, atStart: true },
      // Custom domains: claims waiting for DNS on a backoff, proven ones daily (each on its own next_check_at).
      { kind: DOMAIN_CHECK_JOB, everyMs: 5 * 60_000, atStart: true },
      // Certificates: ACME renewals 30 days before expiry (with their backoff), warnings for uploaded ones.
      { kind: RENEW_CERTIFICATES_JOB, everyMs: 60 * 60_000, atStart: true },
    ],
  });
}

/** After cutting off what outlived the shutdown timeout, how long cleaning up may take before the process exits 1. */
const CUT_OFF_GRACE_MS = 5_000;

/**
 * Stops cleanly on SIGTERM/SIGINT: in-flight requests finish (new ones get 503), the worker
 * finishes its jobs, then the process exits 0. Requests still under way after `shutdownTimeoutMs`
 * (a long upload on a slow line) are cut off — their half-written files are removed as for a
 * client that went away — and the process still exits 0 once that is done; only a shutdown that
 * cannot finish even then exits 1.
 */
export function closeOnSignals(
  server: { close(): Promise<void>; cutOff?(): number },
  timeoutMs: number,
  say: (line: string) => void = console.log,
): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    say(`Received ${signal}, shutting down…`);
    const timer = setTimeout(() => {
      const cut = server.cutOff?.() ?? 0;
      say(`Shutdown timeout: cut off ${cut} request${cut === 1 ? '' : 's'} still under way.`);
      setTimeout(() => {
        say('Shutdown did not finish; exiting.');
        process.exit(1);
      }, CUT_OFF_GRACE_MS).unref();
    }, timeoutMs);
    timer.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: a second signal (a supervisor repeating itself) must not kill the process mid-shutdown.
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
