import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { ZInboundWebhookResult } from './inbound-webhook.schemas.js';
import { acceptWebhookMail, parseRecipientList, verifyWebhookSignature } from './inbound-webhook.service.js';

/**
 * The raw message as the route receives it. Held out of sight of the generic body walkers (the
 * NUL guard walks every enumerable property, which for a 25 MB Buffer would be 25 million of them).
 */
class RawMessageBody {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  bytes(): Buffer {
    return this.#bytes;
  }
}

/**
 * `POST /api/inbound/email`: a mail provider's inbound webhook (README "Receiving email"). Outside
 * the portal and team surfaces: no session, no browser; every request is authenticated by its
 * HMAC signature instead. Answers 404 while INBOUND_WEBHOOK_SECRET is unset.
 */
export function registerInboundWebhookRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps, config } = options;
  const secret = config.inbound.webhookSecret;
  const mailDeps = { db: deps.db, clock: deps.clock, files: deps.files, inboundDomain: config.inboundDomain };
  void app.register(async (scope) => {
    scope.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: config.inbound.maxBytes }, (_request, body, done) => {
      done(null, new RawMessageBody(body as Buffer));
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/inbound/email',
      {
        bodyLimit: config.inbound.maxBytes,
        config: { signedServerToServer: true },
        // Unset secret: the door does not exist (before the body is read).
        onRequest: async () => {
          if (secret === null) throw new AppError('NOT_FOUND');
        },
        schema: {
          tags: ['inbound mail'],
          summary:
            'Receives one email (raw MIME, Content-Type: message/rfc822) from a mail provider, signed with INBOUND_WEBHOOK_SECRET. ' +
            'Envelope recipients come from X-Servelo-Recipients (comma-separated), else from the reply addresses in the message headers.',
          response: { 202: ZInboundWebhookResult },
        },
      },
      async (request, reply) => {
        if (secret === null) throw new AppError('NOT_FOUND');
        if (!(request.body instanceof RawMessageBody)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        const raw = request.body.bytes();
        verifyWebhookSignature(
          secret,
          { timestamp: headerOf(request.headers['x-servelo-timestamp']), signature: headerOf(request.headers['x-servelo-signature']) },
          raw,
          deps.clock.now(),
        );
        const result = await acceptWebhookMail(mailDeps, {
          raw,
          recipients: parseRecipientList(headerOf(request.headers['x-servelo-recipients'])),
          trustedRelays: config.inbound.trustedRelays,
        });
        if (result.unroutable.length > 0)
          request.log.info({ unroutable: result.unroutable.length }, 'inbound mail: recipients dropped (no such reply address)');
        if (result.accepted > 0) deps.wakeWorker();
        return reply.code(202).send({ accepted: result.accepted, duplicates: result.duplicates });
      },
    );
  });
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
