import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer, OutgoingMail } from './mailer.js';
import { prepareMail } from './prepare-mail.js';

export interface SmtpMailerOptions {
  /** `smtp://` or `smtps://`, with credentials and query options if the relay needs them. */
  readonly smtpUrl: string;
  readonly connectionTimeoutMs?: number;
  readonly greetingTimeoutMs?: number;
  readonly socketTimeoutMs?: number;
  /** Connections kept open to the relay, each sending one message at a time (default 5). */
  readonly maxConnections?: number;
}

/**
 * The production transport: a small pool of SMTP connections to the configured relay, each
 * sending one message after another. A connection per message (what this was) costs a TCP and
 * often a TLS handshake, the greeting and AUTH every time — on a busy day the worker then sent
 * about a fifth of what arrived. A pooled connection that the relay closed, or that dies with a
 * relay restart, is dropped by the pool and the message's job fails and is retried by the
 * outbox; connections are also replaced every 100 messages and close after `socketTimeoutMs`
 * idle. The timeouts are far below nodemailer's defaults (minutes) so that an unreachable relay
 * fails the job quickly and the outbox retries it, well inside the job's lease.
 */
export class SmtpMailer implements Mailer {
  readonly transport = 'smtp' as const;
  private readonly transporter: Transporter;

  constructor(options: SmtpMailerOptions) {
    this.transporter = createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      maxMessages: 100,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.greetingTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      // Messages never name files or URLs to attach; refuse them even if one slipped through.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  /** Sends one message built from the structured fields only; throws when it is invalid or the relay refuses it. */
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const prepared = prepareMail(mail);
    const info = await this.transporter.sendMail({
      from: { name: prepared.from.name, address: prepared.from.address },
      to: { name: '', address: prepared.to },
      ...(prepared.replyTo ? { replyTo: { name: '', address: prepared.replyTo } } : {}),
      subject: prepared.subject,
      text: prepared.text,
      html: prepared.html,
      headers: { ...prepared.headers },
      attachments: prepared.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      // Stated rather than derived from the headers: exactly one RCPT TO, whatever the headers say.
      envelope: { from: prepared.returnPath, to: [prepared.to] },
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    return { messageId: String(info.messageId) };
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
