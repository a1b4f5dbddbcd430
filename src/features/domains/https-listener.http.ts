import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { findServedCertificateByHost } from './certificate.repository.js';
import { fromDbTime } from '../../platform/db/time.js';
import { decryptSecretText } from './certificate-crypto.js';
import { onCertificateChanged } from './certificate-events.js';
import { certificatePurpose } from './certificate.service.js';
import { isServable } from './custom-domain.domain.js';

export interface HttpsListener {
  readonly port: number;
  close(): Promise<void>;
  /** Cuts every connection (shutdown timeout). */
  cutOff(): void;
}

/** How long a looked-up certificate (or its absence) is reused before the database is asked again. */
const FOUND_TTL_MS = 60_000;
const MISSING_TTL_MS = 5_000;

/**
 * Servelo's own HTTPS listener (HTTPS_PORT) for single-machine installs: the same Fastify app as
 * the HTTP listener, with the certificate chosen per SNI name from the database — the active
 * certificate of a servable custom domain, decrypted into a TLS context cached in process
 * (dropped when this process changes it, re-read after a minute otherwise). There is no default
 * certificate: a name without one (or no SNI at all) fails the handshake, so no tenant's name
 * leaks to a client asking for another.
 */
export async function startHttpsListener(
  app: FastifyInstance,
  ctx: AppContext & { readonly certificateKey: Buffer; readonly lapseGraceMs: number },
  listen: { readonly host: string; readonly port: number },
): Promise<HttpsListener> {
  const cache = new Map<string, { context: SecureContext | null; until: number }>();
  const stopListening = onCertificateChanged((host) => cache.delete(host));

  async function contextFor(servername: string): Promise<SecureContext | null> {
    const host = servername.toLowerCase().replace(/\.$/, '');
    const cached = cache.get(host);
    if (cached && cached.until > Date.now()) return cached.context;
    const row = await findServedCertificateByHost(ctx.db, host);
    let context: SecureContext | null = null;
    if (
      row &&
      isServable(
        { status: row.domainStatus, lapsedAt: row.lapsedAt === null ? null : fromDbTime(row.lapsedAt) },
        ctx.clock.now(),
        ctx.lapseGraceMs,
      )
    ) {
      context = createSecureContext({
        cert: decryptSecretText(ctx.certificateKey, certificatePurpose(row.id, 'cert'), row.certCiphertext),
        key: decryptSecretText(ctx.certificateKey, certificatePurpose(row.id, 'key'), row.keyCiphertext),
      });
    }
    cache.set(host, { context, until: Date.now() + (context ? FOUND_TTL_MS : MISSING_TTL_MS) });
    return context;
  }

  const server: Server = createServer({
    SNICallback: (servername, done) => {
      contextFor(servername).then(
        (context) => (context ? done(null, context) : done(new Error(`no certificate for ${servername}`))),
        (error: unknown) => {
          app.log.error({ err: error, servername }, 'could not load the certificate for an HTTPS connection');
          done(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  });
  // The same application: Fastify sees an encrypted socket, so request.protocol is https.
  server.on('request', (req, res) => app.server.emit('request', req, res));
  server.on('tlsClientError', (error: Error, socket: Socket) => {
    app.log.debug({ err: error.message }, 'TLS handshake refused');
    socket.destroy();
  });
  server.headersTimeout = app.server.headersTimeout;
  server.requestTimeout = app.server.requestTimeout;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  return {
    port,
    cutOff() {
      server.closeAllConnections();
    },
    close() {
      stopListening();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
