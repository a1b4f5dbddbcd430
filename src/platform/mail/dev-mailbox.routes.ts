import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import { DEV_MAIL_BASE, renderDevMailList, renderDevMailMessage, withLinksInNewTab } from './dev-mailbox.html.js';
import { clearDevMail, type DevMail, getDevMail, listDevMail } from './dev-mailbox.service.js';

/**
 * `/_dev/mail`: what the dev-mailbox transport "sent", for people (HTML) and for tests and
 * scripts (JSON). Registered only while the dev mailbox is the transport (ARCHITECTURE.md §6).
 * Read-only apart from clearing, which goes through the app's same-origin guard like every DELETE.
 */
const ZDevMailMessage = z.object({
  id: z.string(),
  createdAt: z.string(),
  from: z.object({ name: z.string().nullable(), address: z.string() }),
  to: z.string(),
  replyTo: z.string().nullable(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  headers: z.record(z.string(), z.string()),
  /** Each is downloadable at `…/api/messages/{id}/attachments/{index}`. */
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), size: z.number().int() })),
});
type TDevMailMessage = z.infer<typeof ZDevMailMessage>;

const ZListQuery = z.strictObject({
  to: z.string().trim().min(1).max(320).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const ZIdParams = z.object({ id: z.string().max(100) });
const ZAttachmentParams = z.object({ id: z.string().max(100), index: z.coerce.number().int().min(0).max(100) });
const ZList = z.object({ messages: z.array(ZDevMailMessage) });
const ZCleared = z.object({ deleted: z.number().int() });

/**
 * The sandbox for the HTML part, sent with that response alone: no scripts, no plugins, no
 * requests except images (remote logos) and the message's own inline styles, which the app's
 * nonce-based policy would block. Framed only by our own pages; links may open a new tab.
 */
const MESSAGE_HTML_CSP = [
  "default-src 'none'",
  'img-src * data:',
  "style-src 'unsafe-inline'",
  'font-src * data:',
  "frame-ancestors 'self'",
  "form-action 'none'",
  'sandbox allow-popups allow-popups-to-escape-sandbox',
].join('; ');

function toMessage(mail: DevMail): TDevMailMessage {
  return {
    id: mail.id,
    createdAt: mail.createdAt.toISOString(),
    from: { name: mail.from.name, address: mail.from.address },
    to: mail.to,
    replyTo: mail.replyTo,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: { ...mail.headers },
    attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.content.length })),
  };
}

/** Registers the dev mailbox's pages and JSON API; call it only when the dev mailbox is the mail transport. */
export function registerDevMailboxRoutes(app: FastifyInstance, db: Db): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['dev-mailbox'];

  typed.get(
    `${DEV_MAIL_BASE}/api/messages`,
    { schema: { tags, querystring: ZListQuery, response: { 200: ZList } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const messages = await listDevMail(db, request.query);
      return { messages: messages.map(toMessage) };
    },
  );

  typed.get(
    `${DEV_MAIL_BASE}/api/messages/:id`,
    { schema: { tags, params: ZIdParams, response: { 200: ZDevMailMessage } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return toMessage(await getDevMail(db, request.params.id));
    },
  );

  typed.get(
    `${DEV_MAIL_BASE}/api/messages/:id/attachments/:index`,
    { schema: { tags, params: ZAttachmentParams } },
    async (request, reply) => {
      const attachment = (await getDevMail(db, request.params.id)).attachments[request.params.index];
      if (!attachment) throw new AppError('NOT_FOUND');
      // Always a download, never rendered on this origin.
      return reply
        .header('cache-control', 'no-store')
        .header('content-type', attachment.contentType)
        .header('content-disposition', `attachment; filename="${attachment.filename.replace(/[^\x20-\x7e]|"/g, '_')}"`)
        .header('x-content-type-options', 'nosniff')
        .send(attachment.content);
    },
  );

  typed.delete(`${DEV_MAIL_BASE}/api/messages`, { schema: { tags, response: { 200: ZCleared } } }, async () => ({
    deleted: await clearDevMail(db),
  }));

  typed.get(DEV_MAIL_BASE, { schema: { hide: true } }, async (_request, reply) => {
    const messages = await listDevMail(db, { limit: 500 });
    return sendPage(reply, renderDevMailList(messages, reply.cspNonce.style));
  });

  typed.get(`${DEV_MAIL_BASE}/:id`, { schema: { hide: true, params: ZIdParams } }, async (request, reply) => {
    const mail = await getDevMail(db, request.params.id);
    return sendPage(reply, renderDevMailMessage(mail, reply.cspNonce.style));
  });

  typed.get(`${DEV_MAIL_BASE}/:id/html`, { schema: { hide: true, params: ZIdParams } }, async (request, reply) => {
    const mail = await getDevMail(db, request.params.id);
    // Replaces what helmet set for the whole app (frame-ancestors 'none', DENY): this response,
    // and only this one, is meant to be framed by our own message page.
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', MESSAGE_HTML_CSP)
      .header('x-frame-options', 'SAMEORIGIN')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send(withLinksInNewTab(mail.html));
  });
}

function sendPage(reply: FastifyReply, html: string): FastifyReply {
  // Each page carries a fresh CSP nonce, so it must never be cached.
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
