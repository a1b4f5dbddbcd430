import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { isDatabaseUnavailable, isObjectStoreUnavailable, isStorageFull } from '../../platform/db/unavailable.js';
import { type DNSResolver, verifyWithMailauth } from './inbound-authentication.js';
import { acceptInboundMail, type InboundMailDeps, routeInboundRecipient } from './inbound-mail.service.js';

/**
 * The SMTP door (README "Receiving email"): a listener that takes mail for our reply addresses
 * only. Unknown recipients are refused at RCPT (550) so nothing is ever bounced by us; a message
 * over the size limit is refused (552); a message is verified with mailauth (SPF, DKIM, DMARC),
 * handed to the pipeline, and answered 250 only once it is in the database — a failure there is
 * a 451, so the sending server keeps it and tries again. No AUTH: nobody submits mail here.
 */

/** The slice of a pino logger the listener uses (Fastify's, or the worker command's console). */
export interface InboundSmtpLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface InboundSmtpOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly maxBytes: number;
  /** PEM files; STARTTLS is offered only with both. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  readonly logger: InboundSmtpLogger;
  /** After a message was stored: nudge the in-process worker. */
  readonly wakeWorker: () => void;
  /** DNS for mailauth; the system resolver when absent. */
  readonly resolver?: DNSResolver;
}

export interface InboundSmtpListener {
  readonly port: number;
  /** Stops accepting connections and waits (up to the close timeout) for open sessions to end. */
  close(): Promise<void>;
}

/** Recipients one message may have: a reply goes to one address, a few Cc'd reply addresses at most. */
const MAX_RECIPIENTS = 50;
const MAX_CLIENTS = 100;
const SOCKET_TIMEOUT_MS = 60_000;
const CLOSE_TIMEOUT_MS = 10_000;

type SmtpError = Error & { responseCode: number };

function smtpError(responseCode: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode });
}

const temporaryFailure = () => smtpError(451, '4.3.0 Temporary failure, please try again later');

export async function startInboundSmtpListener(deps: InboundMailDeps, options: InboundSmtpOptions): Promise<InboundSmtpListener> {
  const { logger } = options;
  const mta = hostname();
  const tls = options.tls ? { key: readFileSync(options.tls.keyFile), cert: readFileSync(options.tls.certFile) } : undefined;

  const server = new SMTPServer({
    name: mta,
    banner: 'Servelo inbound mail',
    secure: false,
    ...(tls ?? {}),
    // Without a certificate of ours, smtp-server would offer STARTTLS with a built-in one: never.
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: options.maxBytes,
    maxClients: MAX_CLIENTS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    closeTimeout: CLOSE_TIMEOUT_MS,
    disableReverseLookup: true,
    logger: false,

    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
        callback(smtpError(452, '4.5.3 Too many recipients'));
        return;
      }
      routeInboundRecipient(deps.db, deps.inboundDomain, address.address).then(
        (target) => {
          if (target) {
            callback();
            return;
          }
          // Refused here, so the sending server tells its user; we never send a bounce ourselves.
          logger.info(
            { door: 'smtp', remoteAddress: session.remoteAddress, domain: domainOf(address.address) },
            'inbound mail: unknown recipient refused',
          );
          callback(smtpError(550, '5.1.1 No such recipient here'));
        },
        (error: unknown) => {
          logger.error({ err: error, door: 'smtp' }, 'inbound mail: recipient lookup failed');
          callback(temporaryFailure());
        },
      );
    },

    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      const chunks: Buffer[] = [];
      let size = 0;
      let answered = false;
      const answer = (error: Error | null, message?: string) => {
        if (answered) return;
        answered = true;
        callback(error, message);
      };
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit the rest is read and thrown away: the answer is 552 either way.
        if (size <= options.maxBytes) chunks.push(chunk);
      });
      stream.on('error', () => answer(temporaryFailure()));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > options.maxBytes) {
          logger.info({ door: 'smtp', remoteAddress: session.remoteAddress, size }, 'inbound mail: message over the size limit refused');
          answer(smtpError(552, '5.3.4 Message too big'));
          return;
        }
        receive(Buffer.concat(chunks, size), session).then(
          (message) => answer(null, message),
          (error: unknown) => answer(error instanceof Error && 'responseCode' in error ? error : temporaryFailure()),
        );
      });
    },
  });

  async function receive(raw: Buffer, session: SMTPServerSession): Promise<string> {
    const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
    const to = session.envelope.rcptTo.map((r) => r.address);
    const authentication = await verifyWithMailauth(raw, {
      ip: session.remoteAddress,
      helo: session.hostNameAppearsAs,
      sender: from,
      mta,
      ...(options.resolver ? { resolver: options.resolver } : {}),
    });
    try {
      const result = await acceptInboundMail(deps, { raw, door: 'smtp', envelope: { from, to }, authentication });
      logger.info(
        {
          door: 'smtp',
          accepted: result.accepted,
          duplicates: result.duplicates,
          unroutable: result.unroutable.length,
          dmarc: authentication.dmarc,
        },
        'inbound mail: message accepted',
      );
      if (result.accepted > 0) options.wakeWorker();
      return '2.0.0 Message accepted';
    } catch (error) {
      const known = isDatabaseUnavailable(error) || isObjectStoreUnavailable(error) || isStorageFull(error);
      if (known) logger.warn({ err: error, door: 'smtp' }, 'inbound mail: storage unavailable, the sender will retry');
      else logger.error({ err: error, door: 'smtp' }, 'inbound mail: accepting failed');
      throw temporaryFailure();
    }
  }

  server.on('error', (error: Error) => logger.error({ err: error, door: 'smtp' }, 'inbound mail: listener error'));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
