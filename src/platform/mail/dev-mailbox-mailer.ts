import { type Clock, systemClock } from '../clock.js';
import type { Executor } from '../db/database.js';
import { newId } from '../ids.js';
import { deleteDevMailBeyond, insertDevMail } from './dev-mail.repository.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import { findMessageIdHeader, prepareMail } from './prepare-mail.js';

/** How many messages the dev mailbox keeps: enough to follow a session's mail, small enough to never matter. */
export const DEV_MAILBOX_KEEP = 500;

export interface DevMailboxMailerOptions {
  readonly clock?: Clock;
  /** Newest messages kept; older ones are deleted after each insert. */
  readonly keep?: number;
}

/**
 * The embedded default transport (no `SMTP_URL`): instead of sending, it stores each message in
 * `dev_mail` for `/_dev/mail`, after the same checks and clean-up as SMTP, so what a developer
 * sees there is what a recipient would have received.
 */
export class DevMailboxMailer implements Mailer {
  readonly transport = 'dev-mailbox' as const;
  private readonly clock: Clock;
  private readonly keep: number;

  constructor(
    private readonly db: Executor,
    options: DevMailboxMailerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.keep = options.keep ?? DEV_MAILBOX_KEEP;
    if (!(Number.isInteger(this.keep) && this.keep >= 1)) throw new RangeError('keep must be a positive integer');
  }

  /** Stores the message as SMTP would have sent it; throws when it is invalid. */
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const prepared = prepareMail(mail);
    const id = newId();
    // A caller's own Message-ID (threading) wins, as it does over SMTP.
    const messageId = findMessageIdHeader(prepared.headers) ?? `<${id}@dev-mailbox>`;
    const headers = findMessageIdHeader(prepared.headers) ? prepared.headers : { 'Message-ID': messageId, ...prepared.headers };
    await insertDevMail(this.db, {
      id,
      createdAt: this.clock.now(),
      from: { name: prepared.from.name === '' ? null : prepared.from.name, address: prepared.from.address },
      to: prepared.to,
      replyTo: prepared.replyTo,
      subject: prepared.subject,
      text: prepared.text,
      html: prepared.html,
      headers,
      attachments: prepared.attachments,
    });
    await deleteDevMailBeyond(this.db, this.keep);
    return { messageId };
  }

  async close(): Promise<void> {
    // The database belongs to the caller.
  }
}
