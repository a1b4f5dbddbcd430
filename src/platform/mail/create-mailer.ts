import type { Config } from '../../config/config.js';
import type { Db } from '../db/database.js';
import { DevMailboxMailer } from './dev-mailbox-mailer.js';
import type { Mailer } from './mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/** The configured transport: the SMTP relay when `SMTP_URL` is set, else the dev mailbox (`/_dev/mail`). */
export function createMailer(config: Config, db: Db): Mailer {
  const { smtpUrl, smtpMaxConnections } = config.mail;
  return smtpUrl ? new SmtpMailer({ smtpUrl, maxConnections: smtpMaxConnections }) : new DevMailboxMailer(db);
}
